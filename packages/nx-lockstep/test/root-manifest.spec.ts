/**
 * A miss found by the corpus replay on ghostfolio (range fc4e695aa5..32056e7219, "Release 3.58.0"):
 * only the root package.json `version` changed (and the lockfile's copy of it). The repo's Dockerfile
 * copies the root package.json into the api image and the api reads `version` from it at run time
 * (`readFileSync(join(process.cwd(), 'package.json'))`), so every release commit changes what the api
 * ships. No import shows that; Nx deploys both apps, lockstep (file, symbol) deployed nothing.
 * Here in that shape, with real git history and the real nx project graph.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureWorkspace, deployableProject, type FixtureWorkspace } from './support/fixture-workspace';
import { affectedNames, rangeSteps } from './support/range-steps';

Object.assign(process.env, { NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_NO_CLOUD: 'true', CI: 'true' });

const manifest = (fields: Record<string, unknown>) =>
  JSON.stringify(
    {
      name: 'release-shape',
      version: '3.57.0',
      private: true,
      scripts: { 'build:production': 'nx run api:build:production' },
      dependencies: { zod: '^3.0.0' },
      devDependencies: { 'left-pad': '1.0.0' },
      ...fields,
    },
    null,
    2,
  );
const lockfile = (version: string, leftPad: string) =>
  JSON.stringify(
    {
      name: 'release-shape',
      version,
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': {
          name: 'release-shape',
          version,
          dependencies: { zod: '^3.0.0' },
          devDependencies: { 'left-pad': leftPad },
        },
        'node_modules/zod': { version: '3.22.0' },
        'node_modules/left-pad': { version: leftPad, dev: true },
      },
    },
    null,
    2,
  );

describe("the root package.json's non-dependency fields (a release commit)", () => {
  let ws: FixtureWorkspace;
  const { step, analyze } = rangeSteps(() => ws);

  beforeAll(() => {
    ws = createFixtureWorkspace({
      'nx.json': JSON.stringify({ analytics: false, neverConnectToCloud: true, defaultBase: 'main' }),
      'package.json': manifest({}),
      'package-lock.json': lockfile('3.57.0', '1.0.0'),
      'tsconfig.base.json': JSON.stringify({ compilerOptions: { strict: true } }),
      Dockerfile:
        'FROM node:22-slim\nCOPY package.json /app/\nCOPY dist/apps/api /app/\nCMD ["node", "/app/main.js"]\n',
      'apps/api/project.json': deployableProject('api', 'apps/api'),
      'apps/api/src/main.ts': "import { version } from './environment';\nconsole.log(`api ${version}`);\n",
      'apps/api/src/environment.ts': [
        "import { readFileSync } from 'node:fs';",
        "import { join } from 'node:path';",
        "export const version: string = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')).version;",
        '',
      ].join('\n'),
    });
    step('release', {
      'package.json': manifest({ version: '3.58.0' }),
      'package-lock.json': lockfile('3.58.0', '1.0.0'),
    });
    step('scripts', {
      'package.json': manifest({ version: '3.58.0', scripts: { 'build:production': 'nx run-many -t build' } }),
    });
    step('devBump', {
      'package.json': manifest({
        version: '3.58.0',
        scripts: { 'build:production': 'nx run-many -t build' },
        devDependencies: { 'left-pad': '1.1.0' },
      }),
      'package-lock.json': lockfile('3.58.0', '1.1.0'),
    });
  }, 300_000);
  afterAll(() => ws?.remove());

  it('a version bump deploys, naming the field (file and symbol precision, as Nx)', async () => {
    for (const precision of ['file', 'symbol'] as const) {
      const result = await analyze('release', precision);
      expect(affectedNames(result)).toEqual(['api']);
      expect(result.deployables[0].reasons).toEqual([
        { kind: 'global-input-changed', file: 'package.json', detail: 'fields changed: version' },
      ]);
    }
  });

  it('a change of the root scripts deploys too', async () => {
    const result = await analyze('scripts', 'symbol');
    expect(result.deployables[0].reasons).toEqual([
      { kind: 'global-input-changed', file: 'package.json', detail: 'fields changed: scripts' },
    ]);
  });

  it('a dependency-only change is left to the lockfile comparison: a dev tool bump deploys nothing', async () => {
    for (const precision of ['file', 'symbol'] as const) {
      expect(affectedNames(await analyze('devBump', precision))).toEqual([]);
    }
  });
});
