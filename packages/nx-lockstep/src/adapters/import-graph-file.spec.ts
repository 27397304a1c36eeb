import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RememberedFile } from '../core/graph/import-graph';
import { importGraphFile } from './import-graph-file';
import { workspaceDataDirectory } from './parse-cache';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'lockstep-import-graph-'));
  roots.push(root);
  return root;
}

const files = new Map<string, RememberedFile>([
  [
    'a.ts',
    {
      edges: [
        { specifier: './b', kind: 'static', typeOnly: false, line: 1, resolution: { kind: 'file', file: 'b.ts' } },
        {
          specifier: 'chalk',
          kind: 'require',
          typeOnly: false,
          line: 2,
          resolution: { kind: 'external', packageName: 'chalk' },
        },
        {
          specifier: './gen',
          kind: 'dynamic',
          typeOnly: true,
          line: 3,
          resolution: { kind: 'unresolved', detail: 'no file', missingPath: 'gen' },
        },
      ],
      problems: ['a.ts loads modules the analysis cannot follow: require(x)'],
    },
  ],
  ['b.ts', { edges: [], problems: [] }],
]);
const blobs = new Map([
  ['a.ts', 'blob-a'],
  ['b.ts', 'blob-b'],
]);

describe('importGraphFile', () => {
  it('reads back each file whose blob is unchanged, as it was written', () => {
    const root = workspace();
    importGraphFile(root, 'key-1', blobs).save(files);
    const same = importGraphFile(root, 'key-1', blobs).load();
    expect(same?.size).toBe(2);
    expect(same?.get('a.ts')).toEqual(files.get('a.ts'));
    expect(new Map(same!.entries())).toEqual(files);
    const edited = importGraphFile(root, 'key-1', new Map([...blobs, ['a.ts', 'blob-a2']])).load();
    expect(edited?.get('a.ts')).toBeUndefined();
    expect(edited?.get('b.ts')).toEqual({ edges: [], problems: [] });
    expect(importGraphFile(root, 'key-2', blobs).load()).toBeUndefined();
  });

  it('uses nothing from a damaged file, and works out again a record that does not decode', () => {
    const root = workspace();
    const file = join(workspaceDataDirectory(root), 'nx-lockstep', 'import-graph.cache');
    const store = importGraphFile(root, 'key-1', blobs);
    expect(store.load()).toBeUndefined();
    store.save(files);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 4));
    expect(store.load()).toBeUndefined();
    // A resolution that is not one (valid JSON, valid indexes): that file is not taken, the other is.
    writeFileSync(
      file,
      Buffer.from(
        bytes.toString('latin1').replace('{\\"kind\\":\\"external\\"', '{\\"kynd\\":\\"external\\"'),
        'latin1',
      ),
    );
    const damaged = store.load();
    expect(damaged?.get('a.ts')).toBeUndefined();
    expect(damaged?.get('b.ts')).toEqual({ edges: [], problems: [] });
    writeFileSync(file, 'not an import graph');
    expect(store.load()).toBeUndefined();
  });
});
