import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import {
  createFixtureWorkspace,
  deployableProject,
  libraryProject,
  NX_JSON,
  type FixtureWorkspace,
} from './fixture-workspace';

/**
 * Two deployables (api, web) and three libraries (db, util, types):
 *   api: main.ts → @fx/db (barrel → client.ts → @fx/util) and ./routes.js (→ routes.ts, imports `debug`)
 *   web: main.ts → @fx/util, `left-pad`, and `import type` from @fx/types (never shipped)
 */
export function createShopFixture(options: { withDependencyPlugin?: boolean } = {}): FixtureWorkspace {
  const pluginFiles: Record<string, string> = options.withDependencyPlugin
    ? {
        'nx.json': JSON.stringify({ ...JSON.parse(NX_JSON), plugins: ['./tools/lockstep-dependencies.ts'] }),
        // Nx loads a local TypeScript plugin through @swc-node/register: this one is the engine's createDependencies.
        'tools/lockstep-dependencies.ts': `export { createDependencies } from ${JSON.stringify(join(__dirname, '../../src/plugin/create-dependencies'))};\n`,
      }
    : {};
  const workspace = createFixtureWorkspace({
    'nx.json': NX_JSON,
    'package.json': JSON.stringify({
      name: 'fixture',
      private: true,
      dependencies: { debug: '4.0.0', 'left-pad': '1.0.0' },
    }),
    'package-lock.json': packageLock('2.0.0'),
    'tsconfig.base.json': JSON.stringify({
      compilerOptions: {
        strict: true,
        paths: {
          '@fx/db': ['libs/db/src/index.ts'],
          '@fx/util': ['libs/util/src/index.ts'],
          '@fx/types': ['libs/types/src/index.ts'],
        },
      },
    }),
    'apps/api/project.json': deployableProject('api', 'apps/api'),
    'apps/api/Dockerfile': 'FROM node:20\n',
    'apps/api/src/main.ts':
      "import { client } from '@fx/db';\nimport { routes } from './routes.js';\nclient(routes);\n",
    'apps/api/src/routes.ts': "import createDebug from 'debug';\nexport const routes = [createDebug('api')];\n",
    'apps/api/src/main.spec.ts': "import { pad } from '../../../libs/util/src/pad';\ntest('pad', () => pad('x'));\n",
    'apps/web/project.json': JSON.stringify({
      ...JSON.parse(deployableProject('web', 'apps/web')),
      implicitDependencies: ['types'],
    }),
    'apps/web/vercel.json': '{}\n',
    'apps/web/src/main.ts':
      "import type { Order } from '@fx/types';\nimport { pad } from '@fx/util';\nimport leftPad from 'left-pad';\nexport const render = (order: Order) => pad(leftPad(order.id, 4));\n",
    'libs/db/project.json': libraryProject('db', 'libs/db'),
    'libs/db/src/index.ts': "export * from './lib/client';\n",
    'libs/db/src/lib/client.ts':
      "import { log } from '@fx/util';\nexport const client = (routes: unknown[]) => log(String(routes.length));\n",
    'libs/util/project.json': libraryProject('util', 'libs/util'),
    'libs/util/src/index.ts': "export { log } from './log';\nexport { pad } from './pad';\n",
    'libs/util/src/log.ts': 'export const log = (message: string) => console.log(message);\n',
    'libs/util/src/pad.ts': 'export const pad = (text: string) => ` ${text} `;\n',
    'libs/types/project.json': libraryProject('types', 'libs/types'),
    'libs/types/src/index.ts': 'export interface Order { id: string }\n',
    ...pluginFiles,
  });
  // The plugin needs nx and @swc-node/register: borrow this repository's node_modules (git-ignored).
  if (options.withDependencyPlugin)
    symlinkSync(join(__dirname, '../../../../node_modules'), join(workspace.root, 'node_modules'));
  return workspace;
}

/** npm lockfile v3 where `debug` depends on `ms` at the given version. */
export function packageLock(msVersion: string): string {
  return JSON.stringify(
    {
      name: 'fixture',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'fixture', dependencies: { debug: '4.0.0', 'left-pad': '1.0.0' } },
        'node_modules/debug': { version: '4.0.0', dependencies: { ms: `^${msVersion}` } },
        'node_modules/ms': { version: msVersion },
        'node_modules/left-pad': { version: '1.0.0' },
      },
    },
    null,
    2,
  );
}
