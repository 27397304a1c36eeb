import {
  createFixtureWorkspace,
  deployableProject,
  libraryProject,
  NX_JSON,
  type FixtureWorkspace,
} from './fixture-workspace';

/**
 * One fixture per section of `lockstep report`, in one workspace with real git history:
 *   1. web imports api's own file (apps/api/src/prices.ts);
 *   2. util is a barrel (greet, shout, slug) used by api and web, each for other exports;
 *   3. contracts (tagged type:contract) holds an OpenAPI file that the second commit changes, and
 *      the second commit renames Order's `id` to `orderId` (breaking: api reads `order.id`);
 *   4. a and b import each other (a cycle).
 */
export const COUPLING_FIXTURE: Record<string, string> = {
  // Nx analyses TypeScript imports for project dependencies only with @nx/js, or when told to.
  'nx.json': JSON.stringify({ ...JSON.parse(NX_JSON), pluginsConfig: { '@nx/js': { analyzeSourceFiles: true } } }),
  'package.json': JSON.stringify({ name: 'coupling-fixture', private: true }),
  'tsconfig.base.json': JSON.stringify({
    compilerOptions: {
      strict: true,
      paths: {
        '@fx/util': ['libs/util/src/index.ts'],
        '@fx/contracts': ['libs/contracts/src/index.ts'],
        '@fx/a': ['libs/a/src/index.ts'],
        '@fx/b': ['libs/b/src/index.ts'],
      },
    },
  }),
  'apps/api/project.json': deployableProject('api', 'apps/api'),
  'apps/api/src/main.ts':
    "import { greet } from '@fx/util';\nimport type { Order } from '@fx/contracts';\nexport const handle = (order: Order) => greet(order.id);\n",
  'apps/api/src/prices.ts': 'export const price = (cents: number) => cents / 100;\n',
  'apps/web/project.json': deployableProject('web', 'apps/web'),
  'apps/web/src/main.ts':
    "import { greet, shout } from '@fx/util';\nimport { price } from '../../api/src/prices';\nconsole.log(shout(greet('web')), price(5));\n",
  'apps/worker/project.json': deployableProject('worker', 'apps/worker'),
  'apps/worker/src/main.ts':
    "import { newOrder } from '@fx/contracts';\nimport { run } from '@fx/a';\nrun(newOrder());\n",
  'libs/util/project.json': libraryProject('util', 'libs/util'),
  'libs/util/src/index.ts': "export { greet } from './greet';\nexport * from './text';\n",
  'libs/util/src/greet.ts': 'export const greet = (name: string) => `hello ${name}`;\n',
  'libs/util/src/text.ts':
    "export const shout = (text: string) => text.toUpperCase();\nexport const slug = (text: string) => text.replace(/ /g, '-');\n",
  'libs/contracts/project.json': JSON.stringify({
    ...JSON.parse(libraryProject('contracts', 'libs/contracts')),
    tags: ['type:contract'],
  }),
  'libs/contracts/src/index.ts':
    "export interface Order { id: string }\nexport const newOrder = (): Order => ({ id: '1' });\n",
  'libs/contracts/openapi.yaml': 'openapi: 3.0.0\ninfo:\n  title: orders\n  version: 1.0.0\npaths: {}\n',
  'libs/a/project.json': libraryProject('a', 'libs/a'),
  'libs/a/src/index.ts': "import { helper } from '@fx/b';\nexport const run = (value: unknown) => helper(value);\n",
  'libs/b/project.json': libraryProject('b', 'libs/b'),
  'libs/b/src/index.ts':
    "import type { run } from '@fx/a';\nexport const helper = (value: unknown) => value;\nexport type Run = typeof run;\n",
};

/** The fixture at its first commit, and a second commit that changes the OpenAPI file, `shout` and `Order`. */
export function createCouplingFixture(): { ws: FixtureWorkspace; base: string; head: string } {
  const ws = createFixtureWorkspace(COUPLING_FIXTURE);
  const base = ws.commit('noop', {});
  const head = ws.commit('orders API 1.1, louder shout', {
    'libs/contracts/openapi.yaml': COUPLING_FIXTURE['libs/contracts/openapi.yaml'].replace('1.0.0', '1.1.0'),
    'libs/util/src/text.ts': COUPLING_FIXTURE['libs/util/src/text.ts'].replace('toUpperCase', 'toLocaleUpperCase'),
    'libs/contracts/src/index.ts':
      "export interface Order { orderId: string }\nexport const newOrder = (): Order => ({ orderId: '1' });\n",
  });
  return { ws, base, head };
}
