import { describe, expect, it } from 'vitest';
import { findContractChanges } from './find-contract-changes';
import { loadLibraryVersion } from './library-files';

const files: Record<string, string> = {
  'libs/a/src/index.ts':
    "export * from './lib/user.js';\nexport * as util from './lib/util';\nexport type { Page } from '@acme/paging';",
  'libs/a/src/lib/user.ts': "import type { Id } from '@acme/ids';\nexport interface User { id: Id }",
  'libs/a/src/lib/util/index.ts': 'export const one = 1;',
  'libs/paging/src/index.ts': 'export interface Page { size: number }',
};
const read = (path: string) => files[path];

describe('loadLibraryVersion', () => {
  it('follows relative imports (`.js` names the `.ts` source, folders their index), `export * as` and tsconfig paths', () => {
    const version = loadLibraryVersion('head', ['libs/a/src/index.ts'], read, {
      paths: { '@acme/paging': ['libs/paging/src/index.ts'] },
    });
    expect([...version.files.keys()].sort()).toEqual([
      '/head/libs/a/src/index.ts',
      '/head/libs/a/src/lib/user.ts',
      '/head/libs/a/src/lib/util/index.ts',
      '/head/libs/paging/src/index.ts',
    ]);
    // A package nothing reads stays unresolved: its types count as `any`, and the result says so.
    expect(version.unresolved.get('/head/libs/a/src/lib/user.ts')).toEqual(['@acme/ids']);
  });

  it('reads an installed package through its package.json `types` when the caller gives readExternal', () => {
    const external: Record<string, string> = {
      'node_modules/@acme/ids/package.json': JSON.stringify({ types: './dist/index.d.ts' }),
      'node_modules/@acme/ids/dist/index.d.ts': 'export type Id = string;',
    };
    const version = loadLibraryVersion('head', ['libs/a/src/index.ts'], read, {
      readExternal: (path) => external[path],
    });
    expect(version.files.get('/external/node_modules/@acme/ids/dist/index.d.ts')).toBe('export type Id = string;');
    expect(version.unresolved.get('/head/libs/a/src/lib/user.ts')).toBeUndefined();
  });
});

describe('findContractChanges inputs', () => {
  const library = (base: Record<string, string>, head: Record<string, string>) => ({
    project: 'a',
    root: 'libs/a',
    entryFiles: ['libs/a/src/index.ts'],
    readBase: (path: string) => base[path],
    readHead: (path: string) => head[path],
  });

  it('sees a change in a type taken from a package only when it can read the package', () => {
    const base = {
      'libs/a/src/index.ts':
        "import type { Stream } from 'streams';\nexport function ticks(): Stream<number> { return null!; }",
    };
    const head = {
      'libs/a/src/index.ts':
        "import type { Stream } from 'streams';\nexport function ticks(): Stream<string> { return null!; }",
    };
    const external: Record<string, string> = {
      'node_modules/streams/index.d.ts': 'export interface Stream<T> { next(): T }',
    };
    const [unread] = findContractChanges({ libraries: [library(base, head)] });
    expect(unread).toMatchObject({ exportName: 'ticks', breaking: false });
    expect(unread.detail).toContain('`streams` were not read and count as `any`');
    const [read] = findContractChanges({
      libraries: [{ ...library(base, head), readExternal: (path) => external[path] }],
    });
    expect(read).toMatchObject({ exportName: 'ticks', kind: 'changed-export', breaking: true });
    expect(read.detail).toContain("Type 'string' is not assignable to type 'number'");
  });

  it('names the project and the fix when a library has no entry file', () => {
    expect(() => findContractChanges({ libraries: [{ ...library({}, {}), entryFiles: [] }] })).toThrow(
      /Project 'a' has no entry file to compare: pass the files its consumers import .*libs\/a\/src\/index\.ts/,
    );
  });

  it('reports nothing for a library that is new at head, and every export of one deleted at head as removed', () => {
    const lib = { 'libs/a/src/index.ts': 'export function a(): void {}' };
    expect(findContractChanges({ libraries: [library({}, lib)] })).toEqual([]);
    expect(findContractChanges({ libraries: [library(lib, {})] })).toMatchObject([
      { exportName: 'a', kind: 'removed-export', breaking: true },
    ]);
  });
});
