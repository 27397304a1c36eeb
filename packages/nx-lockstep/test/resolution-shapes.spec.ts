/**
 * Resolution in the shapes real monorepos have and the hand-written resolver missed: small
 * workspaces with real git history and the real nx project graph, one change per shape.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeAffected } from '../src/adapters/analyze';
import type { AffectedResult, DeployableDecision, Precision } from '../src/core/result';
import {
  createFixtureWorkspace,
  deployableProject,
  git,
  libraryProject,
  NX_JSON,
  type FixtureWorkspace,
} from './support/fixture-workspace';

process.env.NX_DAEMON = 'false';
process.env.NX_ISOLATE_PLUGINS = 'false';
process.env.NX_NO_CLOUD = 'true';
process.env.CI = 'true';

const byProject = (result: AffectedResult) =>
  Object.fromEntries(result.deployables.map((decision) => [decision.project, decision])) as Record<
    string,
    DeployableDecision
  >;
const uncertain = (result: AffectedResult) =>
  result.deployables.flatMap((decision) => decision.reasons.filter((reason) => reason.kind === 'analysis-uncertain'));
const json = (value: unknown) => JSON.stringify(value, null, 2);

describe('a root tsconfig that starts with a UTF-8 byte order mark', () => {
  let ws: FixtureWorkspace;
  const sha: Record<string, string> = {};

  beforeAll(() => {
    ws = createFixtureWorkspace({
      'nx.json': NX_JSON,
      'package.json': json({ name: 'bom', private: true }),
      'tsconfig.base.json': `\uFEFF${json({ compilerOptions: { paths: { '@bom/util': ['libs/util/src/index.ts'] } } })}`,
      'apps/api/project.json': deployableProject('api', 'apps/api'),
      'apps/api/src/main.ts': "import { greet } from '@bom/util';\nconsole.log(greet('api'));\n",
      'libs/util/project.json': libraryProject('util', 'libs/util'),
      'libs/util/src/index.ts': 'export const greet = (name: string) => `hello ${name}`;\n',
    });
    sha.initial = git(ws.root, 'rev-parse', 'HEAD');
    sha.util = ws.commit('change the library', {
      'libs/util/src/index.ts': 'export const greet = (name: string) => `hi ${name}`;\n',
    });
  }, 120_000); // several git commits: slow on a busy machine
  afterAll(() => ws?.remove());

  it.each<Precision>(['file', 'symbol'])(
    '%s precision: a change to a library reached through its paths deploys',
    async (precision) => {
      const result = await analyzeAffected({ workspaceRoot: ws.root, base: sha.initial, head: sha.util, precision });
      expect(result.warnings ?? []).toEqual([]);
      expect(byProject(result).api).toMatchObject({
        affected: true,
        reasons: [
          {
            kind: 'imported-file-changed',
            file: 'libs/util/src/index.ts',
            via: ['apps/api/src/main.ts', 'libs/util/src/index.ts'],
          },
        ],
      });
    },
  );
});

describe('per-project tsconfigs, paths into node_modules, package exports and imports', () => {
  let ws: FixtureWorkspace;
  const sha: Record<string, string> = {};

  beforeAll(() => {
    ws = createFixtureWorkspace({
      'nx.json': NX_JSON,
      'package.json': json({ name: 'shapes', private: true, workspaces: ['packages/*'] }),
      'tsconfig.base.json': json({ extends: './configs/paths.json', compilerOptions: { strict: true } }),
      'configs/paths.json': json({
        compilerOptions: {
          paths: {
            '@shapes/orders': ['../libs/orders/src/index.ts'],
            '@primer/react/deprecated': ['../node_modules/@primer/react/lib/deprecated'],
          },
        },
      }),
      // An app whose own tsconfig sets `baseUrl`: `utils/…` is its own code, not a package.
      'apps/shop/project.json': deployableProject('shop', 'apps/shop'),
      'apps/shop/tsconfig.json': json({
        extends: '../../tsconfig.base.json',
        compilerOptions: { baseUrl: 'src' },
        include: ['src/**/*.ts'],
      }),
      'apps/shop/src/main.ts': [
        "import { parseOrder } from 'utils/orderUtils/parseOrder';",
        "import { Dialog } from '@primer/react/deprecated';",
        "import { total } from '@shapes/orders';",
        "console.log(parseOrder(' 1 '), total([1]), Dialog);",
        '',
      ].join('\n'),
      'apps/shop/src/utils/orderUtils/parseOrder.ts': 'export const parseOrder = (text: string) => text.trim();\n',
      // A library whose own tsconfig.lib.json sets `baseUrl` for its internal imports.
      'libs/orders/project.json': libraryProject('orders', 'libs/orders'),
      'libs/orders/tsconfig.json': json({ extends: '../../tsconfig.base.json', files: [] }),
      'libs/orders/tsconfig.lib.json': json({
        extends: './tsconfig.json',
        compilerOptions: { baseUrl: 'src' },
        include: ['src/**/*.ts'],
      }),
      'libs/orders/src/index.ts':
        "import { format } from 'helpers/format';\nexport const total = (items: number[]) => format(items.length);\n",
      'libs/orders/src/helpers/format.ts': 'export const format = (count: number) => `${count} items`;\n',
      'libs/orders/src/v2/helpers/format.ts': 'export const format = (count: number) => `${count} things`;\n',
      'libs/orders/src/v2/index.ts': 'export const total = (items: number[]) => items.length;\n',
      // A workspace package reached through a subpath of its `exports` (built output in dist,
      // which git does not hold) and its own `imports`.
      'packages/ui-core/project.json': libraryProject('ui-core', 'packages/ui-core'),
      'packages/ui-core/package.json': json({
        name: '@scope/ui-core',
        version: '1.0.0',
        exports: {
          './i18n': { types: './dist/types/i18n/index.d.ts', import: './dist/esm/i18n/index.js' },
        },
        imports: { '#format': './src/format.ts' },
      }),
      'packages/ui-core/src/i18n/index.ts':
        "import { upper } from '#format';\nexport const translate = (key: string) => upper(key);\n",
      'packages/ui-core/src/format.ts': 'export const upper = (text: string) => text.toUpperCase();\n',
      'apps/web/project.json': deployableProject('web', 'apps/web'),
      'apps/web/src/main.ts': "import { translate } from '@scope/ui-core/i18n';\nconsole.log(translate('hello'));\n",
    });
    sha.initial = git(ws.root, 'rev-parse', 'HEAD');
    sha.empty = ws.commit('nothing changes', {});
    sha.parseOrder = ws.commit('fix parseOrder', {
      'apps/shop/src/utils/orderUtils/parseOrder.ts':
        'export const parseOrder = (text: string) => text.trim().toLowerCase();\n',
    });
    sha.format = ws.commit('change a helper of the orders library', {
      'libs/orders/src/helpers/format.ts': 'export const format = (count: number) => `${count} item(s)`;\n',
    });
    sha.i18n = ws.commit('change the i18n entry of ui-core', {
      'packages/ui-core/src/i18n/index.ts':
        "import { upper } from '#format';\nexport const translate = (key: string) => upper(`t:${key}`);\n",
    });
    sha.upper = ws.commit('change what #format names', {
      'packages/ui-core/src/format.ts': 'export const upper = (text: string) => text.toLocaleUpperCase();\n',
    });
    sha.rebase = ws.commit('move the library baseUrl to src/v2', {
      'libs/orders/tsconfig.lib.json': json({
        extends: './tsconfig.json',
        compilerOptions: { baseUrl: 'src/v2' },
        include: ['src/**/*.ts'],
      }),
    });
    sha.v2 = ws.commit('change the v2 helper', {
      'libs/orders/src/v2/helpers/format.ts': 'export const format = (count: number) => `${count} thing(s)`;\n',
    });
    sha.repath = ws.commit('point the alias at v2, in a config tsconfig.base.json extends', {
      'configs/paths.json': json({
        compilerOptions: {
          paths: {
            '@shapes/orders': ['../libs/orders/src/v2/index.ts'],
            '@primer/react/deprecated': ['../node_modules/@primer/react/lib/deprecated'],
          },
        },
      }),
    });
    sha.v2index = ws.commit('change the v2 entry', {
      'libs/orders/src/v2/index.ts': 'export const total = (items: number[]) => items.length * 2;\n',
    });
  }, 120_000);
  afterAll(() => ws?.remove());

  it('an empty range affects nothing and nothing is uncertain (paths into node_modules name a package)', async () => {
    for (const precision of ['file', 'symbol'] as const) {
      const result = await analyzeAffected({ workspaceRoot: ws.root, base: sha.initial, head: sha.empty, precision });
      expect(uncertain(result)).toEqual([]);
      expect(result.deployables.filter((decision) => decision.affected)).toEqual([]);
    }
  });

  it.each<Precision>(['file', 'symbol'])(
    '%s precision: an import under the app’s own baseUrl is its code',
    async (precision) => {
      const result = await analyzeAffected({
        workspaceRoot: ws.root,
        base: sha.empty,
        head: sha.parseOrder,
        precision,
      });
      expect(byProject(result).shop).toMatchObject({ affected: true });
      expect(byProject(result).shop.reasons.map((reason) => 'file' in reason && reason.file)).toEqual([
        'apps/shop/src/utils/orderUtils/parseOrder.ts',
      ]);
      expect(byProject(result).web.affected).toBe(false);
    },
  );

  it.each<Precision>(['file', 'symbol'])(
    '%s precision: a library’s own baseUrl imports are followed',
    async (precision) => {
      const result = await analyzeAffected({
        workspaceRoot: ws.root,
        base: sha.parseOrder,
        head: sha.format,
        precision,
      });
      expect(byProject(result).shop).toMatchObject({
        affected: true,
        reasons: [
          {
            kind: 'imported-file-changed',
            file: 'libs/orders/src/helpers/format.ts',
            via: ['apps/shop/src/main.ts', 'libs/orders/src/index.ts', 'libs/orders/src/helpers/format.ts'],
          },
        ],
      });
      expect(byProject(result).web.affected).toBe(false);
    },
  );

  it.each<Precision>(['file', 'symbol'])(
    '%s precision: a subpath of a workspace package resolves through its exports to the source',
    async (precision) => {
      const result = await analyzeAffected({ workspaceRoot: ws.root, base: sha.format, head: sha.i18n, precision });
      expect(byProject(result).web).toMatchObject({
        affected: true,
        reasons: [
          {
            kind: 'imported-file-changed',
            file: 'packages/ui-core/src/i18n/index.ts',
            via: ['apps/web/src/main.ts', 'packages/ui-core/src/i18n/index.ts'],
          },
        ],
      });
      expect(byProject(result).shop.affected).toBe(false);
    },
  );

  it.each<Precision>(['file', 'symbol'])(
    '%s precision: package.json imports (#format) are followed',
    async (precision) => {
      const result = await analyzeAffected({ workspaceRoot: ws.root, base: sha.i18n, head: sha.upper, precision });
      expect(byProject(result).web).toMatchObject({
        affected: true,
        reasons: [{ kind: 'imported-file-changed', file: 'packages/ui-core/src/format.ts' }],
      });
      expect(byProject(result).shop.affected).toBe(false);
    },
  );

  it('resolved imports remembered from an earlier run are not reused once a project tsconfig changes', async () => {
    // Remember libs/orders/src/index.ts's imports under the first baseUrl (its blob never changes).
    await analyzeAffected({ workspaceRoot: ws.root, base: sha.initial, head: sha.format, precision: 'file' });
    const result = await analyzeAffected({ workspaceRoot: ws.root, base: sha.rebase, head: sha.v2, precision: 'file' });
    expect(byProject(result).shop).toMatchObject({
      affected: true,
      reasons: [{ kind: 'imported-file-changed', file: 'libs/orders/src/v2/helpers/format.ts' }],
    });
  });

  it('nor once a config a tsconfig extends changes (whatever its name)', async () => {
    await analyzeAffected({ workspaceRoot: ws.root, base: sha.rebase, head: sha.v2, precision: 'file' });
    const result = await analyzeAffected({
      workspaceRoot: ws.root,
      base: sha.repath,
      head: sha.v2index,
      precision: 'file',
    });
    expect(byProject(result).shop).toMatchObject({
      affected: true,
      reasons: [{ kind: 'imported-file-changed', file: 'libs/orders/src/v2/index.ts' }],
    });
  });
});
