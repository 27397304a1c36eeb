import { describe, expect, it } from 'vitest';
import type { ResolutionContext } from './resolution-context';
import { normalize, packageNameOf, resolveSpecifier } from './resolve-specifier';
import { readTsconfigPaths } from './tsconfig-paths';
import { readWorkspacePackages } from './workspace-packages';

function context(files: string[], extra: Partial<ResolutionContext> = {}): ResolutionContext {
  return { files: new Set(files), paths: [], packages: new Map(), ...extra };
}

describe('resolveSpecifier: relative paths', () => {
  const ctx = context([
    'apps/api/src/main.ts',
    'apps/api/src/routes.ts',
    'apps/api/src/util/index.ts',
    'apps/api/src/view.tsx',
    'apps/api/src/legacy.js',
    'apps/api/src/esm.mts',
    'apps/api/src/data.json',
    'apps/api/src/logo.svg',
    'apps/api/src/types.d.ts',
  ]);
  const from = 'apps/api/src/main.ts';

  it.each([
    ['./routes', 'apps/api/src/routes.ts'],
    ['./routes.ts', 'apps/api/src/routes.ts'],
    ['./routes.js', 'apps/api/src/routes.ts'],
    ['./view.jsx', 'apps/api/src/view.tsx'],
    ['./view', 'apps/api/src/view.tsx'],
    ['./esm.mjs', 'apps/api/src/esm.mts'],
    ['./legacy', 'apps/api/src/legacy.js'],
    ['./util', 'apps/api/src/util/index.ts'],
    ['./util/index.js', 'apps/api/src/util/index.ts'],
    ['./data.json', 'apps/api/src/data.json'],
    ['./logo.svg', 'apps/api/src/logo.svg'],
    ['./types', 'apps/api/src/types.d.ts'],
    ['../src/routes?raw', 'apps/api/src/routes.ts'],
  ])('%s → %s', (specifier, file) => {
    expect(resolveSpecifier(from, specifier, ctx)).toEqual({ kind: 'file', file });
  });

  it('a relative path with no file is unresolved (a safety case), with what was tried', () => {
    expect(resolveSpecifier(from, './missing', ctx)).toEqual({
      kind: 'unresolved',
      detail: 'no file matches "./missing" (looked for apps/api/src/missing with extensions and index files)',
    });
  });

  it('a path climbing out of the workspace is unresolved', () => {
    expect(resolveSpecifier('a.ts', '../../outside', ctx).kind).toBe('unresolved');
  });
});

describe('resolveSpecifier: tsconfig paths and baseUrl', () => {
  const files = ['libs/db/src/index.ts', 'libs/ui/src/button.tsx', 'libs/ui/src/index.ts', 'src/shared/config.ts'];

  it('exact and wildcard aliases, the longest prefix winning', () => {
    const ctx = context(files, {
      paths: [
        { pattern: '@acme/db', targets: ['libs/db/src/index.ts'] },
        { pattern: '@acme/*', targets: ['libs/*/src/index.ts'] },
        { pattern: '@acme/ui/*', targets: ['libs/ui/src/*'] },
      ],
    });
    expect(resolveSpecifier('apps/a/main.ts', '@acme/db', ctx)).toEqual({ kind: 'file', file: 'libs/db/src/index.ts' });
    expect(resolveSpecifier('apps/a/main.ts', '@acme/ui', ctx)).toEqual({ kind: 'file', file: 'libs/ui/src/index.ts' });
    expect(resolveSpecifier('apps/a/main.ts', '@acme/ui/button', ctx)).toEqual({
      kind: 'file',
      file: 'libs/ui/src/button.tsx',
    });
  });

  it('an alias that matches but names no file is unresolved', () => {
    const ctx = context(files, { paths: [{ pattern: '@acme/*', targets: ['libs/*/src/index.ts'] }] });
    expect(resolveSpecifier('apps/a/main.ts', '@acme/gone', ctx)).toEqual({
      kind: 'unresolved',
      detail: 'tsconfig path "@acme/*" matches "@acme/gone" but none of libs/*/src/index.ts exists',
    });
  });

  it('a deep import under an exactly aliased workspace name is unresolved, not external', () => {
    const ctx = context(files, { paths: [{ pattern: '@acme/db', targets: ['libs/db/src/index.ts'] }] });
    expect(resolveSpecifier('apps/a/main.ts', '@acme/db/internal', ctx)).toEqual({
      kind: 'unresolved',
      detail: '"@acme/db/internal" is under the workspace alias "@acme/db" but no tsconfig path matches it',
    });
    expect(resolveSpecifier('apps/a/main.ts', '@acme/other', ctx)).toEqual({
      kind: 'external',
      packageName: '@acme/other',
    });
  });

  it('baseUrl-relative imports', () => {
    expect(resolveSpecifier('apps/a/main.ts', 'shared/config', context(files, { baseUrl: 'src' }))).toEqual({
      kind: 'file',
      file: 'src/shared/config.ts',
    });
  });

  it('reads paths through `extends`, relative to the file that declares them', () => {
    const texts: Record<string, string> = {
      'tsconfig.json': '{ "extends": "./config/tsconfig.paths.json", "compilerOptions": { "strict": true } }',
      'config/tsconfig.paths.json':
        '{ // comments are allowed\n "compilerOptions": { "paths": { "@acme/db": ["../libs/db/src/index.ts"] }, "target": "es2022" } }',
    };
    const result = readTsconfigPaths('tsconfig.json', (file) => texts[file]);
    expect(result.paths).toEqual([{ pattern: '@acme/db', targets: ['libs/db/src/index.ts'] }]);
    expect(result.compilerOptions).toMatchObject({ strict: true, target: 'es2022' });
    expect(result.files).toEqual(['tsconfig.json', 'config/tsconfig.paths.json']);
  });

  it('paths with a baseUrl are relative to the baseUrl', () => {
    const result = readTsconfigPaths(
      'tsconfig.base.json',
      () => '{ "compilerOptions": { "baseUrl": "./src", "paths": { "~/*": ["*"] } } }',
    );
    expect(result).toMatchObject({ baseUrl: 'src', paths: [{ pattern: '~/*', targets: ['src/*'] }] });
  });
});

describe('resolveSpecifier: workspace packages', () => {
  const manifests = new Map([
    ['package.json', '{ "name": "root", "workspaces": ["packages/*"] }'],
    [
      'packages/core/package.json',
      '{ "name": "@acme/core", "main": "dist/index.js", "exports": { ".": { "types": "./dist/index.d.ts", "import": "./dist/index.js" }, "./feature/*": "./src/features/*.ts" } }',
    ],
    ['packages/plain/package.json', '{ "name": "plain", "main": "lib/main.js" }'],
    ['packages/bare/package.json', '{ "name": "bare" }'],
    ['packages/broken/package.json', '{ "name": "broken", "main": "nowhere.js" }'],
  ]);
  const { packages } = readWorkspacePackages(manifests);
  const ctx = context(
    [
      'packages/core/src/index.ts',
      'packages/core/src/features/login.ts',
      'packages/plain/lib/main.js',
      'packages/bare/index.ts',
    ],
    { packages },
  );

  it('by name through `exports` (built outputs mapped back to src/)', () => {
    expect(resolveSpecifier('apps/a.ts', '@acme/core', ctx)).toEqual({
      kind: 'file',
      file: 'packages/core/src/index.ts',
      via: ['packages/core/package.json'],
    });
    expect(resolveSpecifier('apps/a.ts', '@acme/core/feature/login', ctx)).toEqual({
      kind: 'file',
      file: 'packages/core/src/features/login.ts',
      via: ['packages/core/package.json'],
    });
  });

  it('by name through `main`, or the index when there is none', () => {
    expect(resolveSpecifier('apps/a.ts', 'plain', ctx)).toEqual({
      kind: 'file',
      file: 'packages/plain/lib/main.js',
      via: ['packages/plain/package.json'],
    });
    expect(resolveSpecifier('apps/a.ts', 'bare', ctx)).toEqual({
      kind: 'file',
      file: 'packages/bare/index.ts',
      via: ['packages/bare/package.json'],
    });
  });

  it('a workspace package whose entry does not exist is unresolved', () => {
    expect(resolveSpecifier('apps/a.ts', 'broken', ctx).kind).toBe('unresolved');
  });

  it('skips the root package.json and reports a manifest that does not parse', () => {
    const result = readWorkspacePackages(
      new Map([
        ['package.json', '{"name":"root"}'],
        ['libs/x/package.json', '{ nope'],
      ]),
    );
    expect([...result.packages.keys()]).toEqual([]);
    expect(result.errors[0]).toMatch(/^libs\/x\/package.json: /);
  });
});

describe('resolveSpecifier: externals and builtins', () => {
  it('records externals by package name, scoped or not', () => {
    expect(resolveSpecifier('a.ts', 'lodash/fp', context([]))).toEqual({ kind: 'external', packageName: 'lodash' });
    expect(resolveSpecifier('a.ts', '@nestjs/core/injector', context([]))).toEqual({
      kind: 'external',
      packageName: '@nestjs/core',
    });
    expect(packageNameOf('@scope/pkg/deep/path')).toBe('@scope/pkg');
  });

  it('node builtins ship nothing', () => {
    expect(resolveSpecifier('a.ts', 'node:fs', context([]))).toEqual({ kind: 'builtin' });
    expect(resolveSpecifier('a.ts', 'path', context([]))).toEqual({ kind: 'builtin' });
    expect(resolveSpecifier('a.ts', 'fs/promises', context([]))).toEqual({ kind: 'builtin' });
  });

  it('normalize collapses . and .. and refuses to leave the workspace', () => {
    expect(normalize('a/./b/../c')).toBe('a/c');
    expect(normalize('../a')).toBeUndefined();
  });
});
