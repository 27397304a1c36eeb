import { describe, expect, it } from 'vitest';
import type { Resolution } from './resolution-context';
import { createWorkspaceResolver } from './workspace-resolver';
import { readWorkspacePackages } from './workspace-packages';
import { normalize, packageNameOf } from './workspace-paths';

/** The resolver over files held in memory; `installed` plays the working tree's node_modules. */
function resolverOf(texts: Record<string, string>, installed: Record<string, string> = {}) {
  const manifests = new Map(Object.entries(texts).filter(([file]) => file.endsWith('package.json')));
  return createWorkspaceResolver(
    { files: new Set(Object.keys(texts)), readFile: (file) => texts[file], readInstalled: (file) => installed[file] },
    manifests,
  );
}

const file = (path: string, via?: string[]): Resolution => ({ kind: 'file', file: path, ...(via ? { via } : {}) });
const json = (value: unknown) => JSON.stringify(value);

describe('relative paths', () => {
  const { resolve } = resolverOf({
    'apps/api/src/main.ts': '',
    'apps/api/src/routes.ts': '',
    'apps/api/src/util/index.ts': '',
    'apps/api/src/view.tsx': '',
    'apps/api/src/legacy.js': '',
    'apps/api/src/esm.mts': '',
    'apps/api/src/data.json': '{}',
    'apps/api/src/logo.svg': '',
    'apps/api/src/types.d.ts': '',
    'apps/api/src/compiled.d.ts': '',
    'apps/api/src/compiled.js': '',
  });
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
    ['./util/', 'apps/api/src/util/index.ts'],
    ['./data.json', 'apps/api/src/data.json'],
    ['./logo.svg', 'apps/api/src/logo.svg'],
    ['./types', 'apps/api/src/types.d.ts'],
    ['../src/routes?raw', 'apps/api/src/routes.ts'],
    // TypeScript prefers the declaration; what runs is the JavaScript beside it.
    ['./compiled', 'apps/api/src/compiled.js'],
  ])('%s → %s', (specifier, target) => {
    expect(resolve(from, specifier)).toEqual(file(target));
  });

  it("a folder's own index: `.` and `..` (TypeScript asks for the folder with a trailing slash)", () => {
    expect(resolve('apps/api/src/util/helpers.ts', '.')).toEqual(file('apps/api/src/util/index.ts'));
    expect(resolve('apps/api/src/util/deep/leaf.ts', '..')).toEqual(file('apps/api/src/util/index.ts'));
    expect(resolve('apps/api/src/util/deep/leaf.ts', '../')).toEqual(file('apps/api/src/util/index.ts'));
    // A folder without an index is still no file.
    expect(resolve('apps/api/src/main.ts', '.')).toMatchObject({ kind: 'unresolved', missingPath: 'apps/api/src' });
  });

  it('a relative path with no file is unresolved, naming the path it points to (maybe generated code)', () => {
    expect(resolve(from, './missing')).toEqual({
      kind: 'unresolved',
      detail: 'no file matches "./missing" (looked for apps/api/src/missing with extensions and index files)',
      missingPath: 'apps/api/src/missing',
    });
    expect(resolve(from, '../generated/client.js')).toMatchObject({ missingPath: 'apps/api/generated/client' });
  });

  it('a path climbing out of the workspace is unresolved', () => {
    expect(resolve('a.ts', '../../outside').kind).toBe('unresolved');
  });
});

describe('tsconfig paths and baseUrl', () => {
  const sources = {
    'libs/db/src/index.ts': '',
    'libs/ui/src/button.tsx': '',
    'libs/ui/src/index.ts': '',
    'libs/ui/src/theme.css': '',
    'apps/a/main.ts': '',
  };
  const base = (paths: Record<string, string[]>, extra: Record<string, unknown> = {}) =>
    json({ compilerOptions: { paths, ...extra } });

  it('exact and wildcard aliases, the longest prefix winning', () => {
    const { resolve } = resolverOf({
      ...sources,
      'tsconfig.base.json': base({
        '@acme/db': ['libs/db/src/index.ts'],
        '@acme/*': ['libs/*/src/index.ts'],
        '@acme/ui/*': ['libs/ui/src/*'],
      }),
    });
    expect(resolve('apps/a/main.ts', '@acme/db')).toEqual(file('libs/db/src/index.ts'));
    expect(resolve('apps/a/main.ts', '@acme/ui')).toEqual(file('libs/ui/src/index.ts'));
    expect(resolve('apps/a/main.ts', '@acme/ui/button')).toEqual(file('libs/ui/src/button.tsx'));
    expect(resolve('apps/a/main.ts', '@acme/ui/theme.css')).toEqual(file('libs/ui/src/theme.css'));
  });

  it('an alias that matches but names no file is unresolved, naming the missing path', () => {
    const { resolve } = resolverOf({ ...sources, 'tsconfig.base.json': base({ '@acme/*': ['libs/*/src/index.ts'] }) });
    expect(resolve('apps/a/main.ts', '@acme/gone')).toEqual({
      kind: 'unresolved',
      detail:
        'tsconfig path "@acme/*" (tsconfig.base.json) matches "@acme/gone" but none of libs/gone/src/index.ts exists',
      missingPath: 'libs/gone/src/index',
    });
  });

  it('a deep import under an exactly aliased workspace name is unresolved, not external', () => {
    const { resolve } = resolverOf({
      ...sources,
      'tsconfig.base.json': base({ '@acme/db': ['libs/db/src/index.ts'] }),
    });
    expect(resolve('apps/a/main.ts', '@acme/db/internal')).toEqual({
      kind: 'unresolved',
      detail:
        '"@acme/db/internal" is under the workspace alias "@acme/db" (tsconfig.base.json) but no tsconfig path matches it',
    });
    expect(resolve('apps/a/main.ts', '@acme/other')).toEqual({ kind: 'external', packageName: '@acme/other' });
  });

  it('`paths` into node_modules name an installed package, not workspace code', () => {
    const { resolve } = resolverOf({
      ...sources,
      'tsconfig.base.json': base({ '@primer/react/deprecated': ['node_modules/@primer/react/lib/deprecated'] }),
    });
    expect(resolve('apps/a/main.ts', '@primer/react/deprecated')).toEqual({
      kind: 'external',
      packageName: '@primer/react',
    });
  });

  it('reads paths through `extends`, relative to the file that declares them, in JSONC', () => {
    const { resolve } = resolverOf({
      ...sources,
      'tsconfig.json': '{ "extends": "./config/tsconfig.paths.json", "compilerOptions": { "strict": true, }, }',
      'config/tsconfig.paths.json':
        '{ // comments are allowed\n "compilerOptions": { /* here too */ "paths": { "@acme/db": ["../libs/db/src/index.ts"], } } }',
    });
    expect(resolve('apps/a/main.ts', '@acme/db')).toEqual(file('libs/db/src/index.ts'));
  });

  it('reads a tsconfig that starts with a UTF-8 byte order mark', () => {
    const { resolve, rootTsconfig } = resolverOf({
      ...sources,
      'tsconfig.base.json': `\uFEFF${base({ '@acme/db': ['libs/db/src/index.ts'] })}`,
    });
    expect(rootTsconfig()?.problem).toBeUndefined();
    expect(resolve('apps/a/main.ts', '@acme/db')).toEqual(file('libs/db/src/index.ts'));
  });

  it('`extends` arrays and packages (read from the installed node_modules)', () => {
    const { resolve, tsconfig } = resolverOf(
      {
        ...sources,
        'tsconfig.base.json': json({ extends: ['@tsconfig/node20/tsconfig.json', './tsconfig.paths.json'] }),
        'tsconfig.paths.json': base({ '@acme/db': ['libs/db/src/index.ts'] }),
      },
      {
        'node_modules/@tsconfig/node20/package.json': json({ name: '@tsconfig/node20', version: '20.1.0' }),
        'node_modules/@tsconfig/node20/tsconfig.json': json({ compilerOptions: { target: 'es2022', strict: true } }),
      },
    );
    expect(resolve('apps/a/main.ts', '@acme/db')).toEqual(file('libs/db/src/index.ts'));
    expect(tsconfig('tsconfig.base.json')).toMatchObject({
      file: 'tsconfig.base.json',
      options: { strict: true },
      sources: ['tsconfig.base.json', 'node_modules/@tsconfig/node20/tsconfig.json', 'tsconfig.paths.json'],
    });
  });

  it('an app whose own tsconfig sets `baseUrl` resolves its imports under it', () => {
    const { resolve, tsconfigOf } = resolverOf({
      'tsconfig.base.json': base({ '@acme/db': ['libs/db/src/index.ts'] }),
      'libs/db/src/index.ts': '',
      'apps/shop/tsconfig.json': json({ extends: '../../tsconfig.base.json', compilerOptions: { baseUrl: 'src' } }),
      'apps/shop/tsconfig.app.json': json({ extends: './tsconfig.json', include: ['src/**/*.ts'] }),
      'apps/shop/src/main.ts': '',
      'apps/shop/src/utils/orderUtils/parseOrder.ts': '',
      'apps/shop/src/utils/orderUtils/index.ts': '',
    });
    expect(tsconfigOf('apps/shop/src/main.ts')?.file).toBe('apps/shop/tsconfig.app.json');
    expect(resolve('apps/shop/src/main.ts', 'utils/orderUtils/parseOrder')).toEqual(
      file('apps/shop/src/utils/orderUtils/parseOrder.ts'),
    );
    expect(resolve('apps/shop/src/main.ts', 'utils/orderUtils')).toEqual(
      file('apps/shop/src/utils/orderUtils/index.ts'),
    );
    // Its `paths` are relative to its baseUrl now (as for tsc): the root config's meaning still resolves it.
    expect(resolve('apps/shop/src/main.ts', '@acme/db')).toEqual(file('libs/db/src/index.ts'));
    expect(resolve('apps/shop/src/main.ts', 'lodash/fp')).toEqual({ kind: 'external', packageName: 'lodash' });
    // A folder under the baseUrl exists: a missing module there is workspace code (maybe generated).
    expect(resolve('apps/shop/src/main.ts', 'utils/generated/types')).toMatchObject({
      kind: 'unresolved',
      missingPath: 'apps/shop/src/utils/generated/types',
    });
  });

  it('aliases declared in the root tsconfig.json while tsconfig.base.json exists', () => {
    const { resolve } = resolverOf({
      ...sources,
      'tsconfig.base.json': json({ compilerOptions: { strict: true } }),
      'tsconfig.json': json({
        extends: './tsconfig.base.json',
        ...JSON.parse(base({ '@acme/db': ['libs/db/src/index.ts'] })),
      }),
      'apps/a/tsconfig.json': json({ extends: '../../tsconfig.base.json', include: ['**/*.ts'] }),
    });
    expect(resolve('apps/a/main.ts', '@acme/db')).toEqual(file('libs/db/src/index.ts'));
  });

  it('a file no project config includes is governed by the root config', () => {
    const { tsconfigOf } = resolverOf({
      ...sources,
      'tsconfig.base.json': base({}),
      'apps/a/tsconfig.json': json({ files: [], references: [{ path: './tsconfig.app.json' }] }),
      'apps/a/tsconfig.app.json': json({ include: ['src/**/*.ts'], exclude: ['src/**/*.spec.ts'] }),
      'apps/a/tsconfig.spec.json': json({ include: ['src/**/*.spec.ts'] }),
      'apps/a/src/app.ts': '',
      'apps/a/src/app.spec.ts': '',
    });
    expect(tsconfigOf('apps/a/src/app.ts')?.file).toBe('apps/a/tsconfig.app.json');
    expect(tsconfigOf('apps/a/src/app.spec.ts')?.file).toBe('apps/a/tsconfig.spec.json');
    expect(tsconfigOf('apps/a/main.ts')?.file).toBe('tsconfig.base.json');
  });

  it('a config that cannot be read makes its bare imports unresolved, naming the file and the fix', () => {
    const { resolve } = resolverOf({
      ...sources,
      'apps/a/tsconfig.json': '{ "compilerOptions": { "baseUrl": "." "paths": {} } }',
      'apps/a/local.ts': '',
    });
    const resolution = resolve('apps/a/main.ts', 'local');
    expect(resolution).toMatchObject({ kind: 'unresolved' });
    expect(resolution.kind === 'unresolved' && resolution.detail).toMatch(
      /^"local" cannot be resolved: apps\/a\/tsconfig.json cannot be read \(apps\/a\/tsconfig.json:1: .*\): its paths and baseUrl are unknown. Fix it \(or install the packages it extends\) so that `tsc -p apps\/a\/tsconfig.json --showConfig` succeeds.$/,
    );
    // Relative imports do not depend on it.
    expect(resolve('apps/a/main.ts', './local')).toEqual(file('apps/a/local.ts'));
  });

  it('an `extends` that cannot be found is a config that cannot be read', () => {
    const { resolve, rootTsconfig } = resolverOf({
      ...sources,
      'tsconfig.base.json': json({ extends: '@tsconfig/strictest/tsconfig.json' }),
    });
    expect(rootTsconfig()?.problem).toMatch(
      /^tsconfig.base.json cannot be read \(tsconfig.base.json:1: File '@tsconfig\/strictest\/tsconfig.json' not found.\)/,
    );
    expect(resolve('apps/a/main.ts', 'react').kind).toBe('unresolved');
  });
});

describe('workspace packages', () => {
  const texts = {
    'package.json': json({ name: 'root', workspaces: ['packages/*'] }),
    'packages/core/package.json': json({
      name: '@acme/core',
      main: 'dist/index.js',
      exports: { '.': { types: './dist/index.d.ts', import: './dist/index.js' }, './feature/*': './src/features/*.ts' },
    }),
    'packages/core/src/index.ts': '',
    'packages/core/src/features/login.ts': '',
    'packages/ui-core/package.json': json({
      name: '@scope/ui-core',
      exports: {
        '.': './src/index.ts',
        './i18n': { types: './dist/i18n.d.ts', 'my-source': './src/i18n/source.ts', import: './src/i18n/index.ts' },
      },
      imports: { '#internal/*': './src/internal/*.ts' },
    }),
    'packages/ui-core/src/index.ts': '',
    'packages/ui-core/src/i18n/index.ts': '',
    'packages/ui-core/src/i18n/source.ts': '',
    'packages/ui-core/src/internal/clock.ts': '',
    'packages/plain/package.json': json({ name: 'plain', main: 'lib/main.js' }),
    'packages/plain/lib/main.js': '',
    'packages/bare/package.json': json({ name: 'bare' }),
    'packages/bare/index.ts': '',
    'packages/broken/package.json': json({ name: 'broken', main: 'nowhere.js' }),
    'apps/a.ts': '',
  };

  it('subpaths through `exports`, with conditions', () => {
    const { resolve } = resolverOf(texts);
    expect(resolve('apps/a.ts', '@scope/ui-core/i18n')).toEqual(
      file('packages/ui-core/src/i18n/index.ts', ['packages/ui-core/package.json']),
    );
    expect(resolve('apps/a.ts', '@scope/ui-core')).toEqual(
      file('packages/ui-core/src/index.ts', ['packages/ui-core/package.json']),
    );
    // A custom condition of the governing tsconfig wins, as it does for tsc and bundlers.
    const custom = resolverOf({
      ...texts,
      'tsconfig.base.json': json({ compilerOptions: { customConditions: ['my-source'] } }),
    });
    expect(custom.resolve('apps/a.ts', '@scope/ui-core/i18n')).toEqual(
      file('packages/ui-core/src/i18n/source.ts', ['packages/ui-core/package.json']),
    );
  });

  it('package.json `imports` (#internal) from inside the package', () => {
    const { resolve } = resolverOf(texts);
    expect(resolve('packages/ui-core/src/index.ts', '#internal/clock')).toEqual(
      file('packages/ui-core/src/internal/clock.ts', ['packages/ui-core/package.json']),
    );
    expect(resolve('packages/ui-core/src/index.ts', '#internal/gone').kind).toBe('unresolved');
  });

  it('built outputs git does not hold are mapped back to their source', () => {
    const { resolve } = resolverOf(texts);
    expect(resolve('apps/a.ts', '@acme/core')).toEqual(
      file('packages/core/src/index.ts', ['packages/core/package.json']),
    );
    expect(resolve('apps/a.ts', '@acme/core/feature/login')).toEqual(
      file('packages/core/src/features/login.ts', ['packages/core/package.json']),
    );
  });

  it('dual builds (dist/esm, dist/cjs) map back to their source, through the package tsconfig when it says', () => {
    const dual = {
      'packages/i18n/package.json': json({
        name: '@scope/i18n',
        exports: {
          './locale': {
            types: './dist/types/locale/index.d.ts',
            import: './dist/esm/locale/index.js',
            require: './dist/cjs/locale/index.js',
          },
        },
      }),
      'packages/i18n/src/locale/index.ts': '',
      'packages/built/package.json': json({ name: 'built', main: './out/lib/main.js' }),
      'packages/built/tsconfig.lib.json': json({ compilerOptions: { outDir: 'out/lib', rootDir: 'source' } }),
      'packages/built/source/main.ts': '',
      'apps/a.ts': '',
    };
    const { resolve } = resolverOf(dual);
    expect(resolve('apps/a.ts', '@scope/i18n/locale')).toEqual(
      file('packages/i18n/src/locale/index.ts', ['packages/i18n/package.json']),
    );
    expect(resolve('apps/a.ts', 'built')).toEqual(
      file('packages/built/source/main.ts', ['packages/built/package.json']),
    );
  });

  it('a package whose `types` is a declaration in git resolves to what runs (its `main`, built from source)', () => {
    const { resolve } = resolverOf({
      'packages/typed/package.json': json({ name: 'typed', types: './index.d.ts', main: './dist/index.js' }),
      'packages/typed/index.d.ts': '',
      'packages/typed/src/index.ts': '',
      'apps/a.ts': '',
    });
    expect(resolve('apps/a.ts', 'typed')).toEqual(file('packages/typed/src/index.ts', ['packages/typed/package.json']));
  });

  it('by name through `main`, or the index when there is none', () => {
    const { resolve } = resolverOf(texts);
    expect(resolve('apps/a.ts', 'plain')).toEqual(file('packages/plain/lib/main.js', ['packages/plain/package.json']));
    expect(resolve('apps/a.ts', 'bare')).toEqual(file('packages/bare/index.ts', ['packages/bare/package.json']));
  });

  it('a workspace package whose entry does not exist is unresolved', () => {
    expect(resolverOf(texts).resolve('apps/a.ts', 'broken').kind).toBe('unresolved');
  });

  it('skips the root package.json, reads a byte order mark and reports a manifest that does not parse', () => {
    const result = readWorkspacePackages(
      new Map([
        ['package.json', '{"name":"root"}'],
        ['libs/x/package.json', '{ nope'],
        ['libs/y/package.json', '\uFEFF{"name":"y"}'],
      ]),
    );
    expect([...result.packages.keys()]).toEqual(['y']);
    expect(result.errors[0]).toMatch(/^libs\/x\/package.json: /);
  });
});

describe('externals and builtins', () => {
  const { resolve } = resolverOf({ 'a.ts': '' });

  it('records externals by package name, scoped or not', () => {
    expect(resolve('a.ts', 'lodash/fp')).toEqual({ kind: 'external', packageName: 'lodash' });
    expect(resolve('a.ts', '@nestjs/core/injector')).toEqual({ kind: 'external', packageName: '@nestjs/core' });
    expect(packageNameOf('@scope/pkg/deep/path')).toBe('@scope/pkg');
  });

  it('node builtins ship nothing', () => {
    expect(resolve('a.ts', 'node:fs')).toEqual({ kind: 'builtin' });
    expect(resolve('a.ts', 'path')).toEqual({ kind: 'builtin' });
    expect(resolve('a.ts', 'fs/promises')).toEqual({ kind: 'builtin' });
  });

  it('normalize collapses . and .. and refuses to leave the workspace', () => {
    expect(normalize('a/./b/../c')).toBe('a/c');
    expect(normalize('../a')).toBeUndefined();
  });
});
