/**
 * Two over-deploys the corpus replay found (issue 10), in the shapes that showed them: real git
 * history, the real nx project graph, the engine end to end; project precision checked against
 * `nx show projects --affected` on every range.
 *
 * - code-pushup: `packages/cli/code-pushup.config.ts` (the repo dogfooding its tool) imports the
 *   root `code-pushup.preset.ts`, which imports every plugin library; the cli's `production`
 *   input excludes `{projectRoot}/code-pushup.config.?(m)[jt]s`, yet the config was an entry
 *   point: every plugin change deployed the cli. Here `cli`. An excluded file that a shipped file
 *   imports still ships: `gen` imports its own config from its main.
 * - nx-console: every project's `eslint.config.mjs` imports the root `eslint.config.mjs`, a file of
 *   the root project (root package.json): every deployable depended on the root project, so a
 *   devDependency bump (root package.json and lockfile, in its `^production`) deployed all of them.
 *   Here `api` → `util`, both with such a lint config, and the root project `repo`.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFixtureWorkspace,
  fixtureNxJson,
  deployableProject,
  libraryProject,
  type FixtureWorkspace,
} from './support/fixture-workspace';
import { affectedNames, rangeSteps } from './support/range-steps';

Object.assign(process.env, { NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_NO_CLOUD: 'true', CI: 'true' });

// The namedInputs of both repos, cut to what matters here.
const NX_JSON = fixtureNxJson({
  // Nx analyses imports only with @nx/js installed or this (both repos have @nx/js).
  extra: { pluginsConfig: { '@nx/js': { analyzeSourceFiles: true } } },
  sharedGlobals: false,
  excludes: [
    '!{projectRoot}/**/?(*.)test.[jt]s?(x)',
    '!{projectRoot}/eslint.config.mjs',
    '!{projectRoot}/code-pushup.config.?(m)[jt]s',
  ],
  targetDefaults: { build: { inputs: ['production', '^production'] } },
});

const withBuild = (name: string, root: string) =>
  JSON.stringify({
    ...JSON.parse(deployableProject(name, root)),
    targets: { deploy: { command: 'echo deploy' }, build: { command: 'echo build' } },
  });

const manifest = (eslint: string) =>
  JSON.stringify(
    { name: 'repo', version: '1.0.0', private: true, dependencies: { zod: '^3.0.0' }, devDependencies: { eslint } },
    null,
    2,
  );
const lockfile = (eslint: string) =>
  JSON.stringify(
    {
      name: 'repo',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'repo', version: '1.0.0', dependencies: { zod: '^3.0.0' }, devDependencies: { eslint } },
        'node_modules/zod': { version: '3.22.0' },
        'node_modules/eslint': { version: eslint, dev: true },
      },
    },
    null,
    2,
  );
const lintConfig = "import base from '../../eslint.config.mjs';\nexport default [...base];\n";

/** The deployables Nx's answer is compared on. */
const DEPLOYABLES = ['api', 'cli', 'gen'];

describe('build inputs in entry points and dependency edges (code-pushup, nx-console shapes)', () => {
  let ws: FixtureWorkspace;
  const { step, analyze, nxAffected } = rangeSteps(() => ws);

  beforeAll(() => {
    ws = createFixtureWorkspace({
      'nx.json': NX_JSON,
      // The root project, as nx-console's: its package.json and lockfile are its files.
      'project.json': JSON.stringify({ name: 'repo', root: '.', targets: {} }),
      'package.json': manifest('9.0.0'),
      'package-lock.json': lockfile('9.0.0'),
      'eslint.config.mjs': 'export default [{ rules: {} }];\n',
      'tsconfig.base.json': JSON.stringify({
        compilerOptions: {
          strict: true,
          paths: { '@fx/plugin': ['libs/plugin/src/index.ts'], '@fx/util': ['libs/util/src/index.ts'] },
        },
      }),
      'code-pushup.preset.ts': "import { plugin } from '@fx/plugin';\nexport const preset = { plugins: [plugin] };\n",
      'apps/cli/project.json': withBuild('cli', 'apps/cli'),
      'apps/cli/src/main.ts': "console.log('cli');\n",
      'apps/cli/code-pushup.config.ts': "import { preset } from '../../code-pushup.preset';\nexport default preset;\n",
      'apps/gen/project.json': withBuild('gen', 'apps/gen'),
      'apps/gen/src/main.ts': "import config from '../code-pushup.config';\nconsole.log(config);\n",
      'apps/gen/code-pushup.config.ts': "import { plugin } from '@fx/plugin';\nexport default { plugins: [plugin] };\n",
      'libs/plugin/project.json': libraryProject('plugin', 'libs/plugin'),
      'libs/plugin/src/index.ts': "export const plugin = { slug: 'plugin' };\n",
      'apps/api/project.json': withBuild('api', 'apps/api'),
      'apps/api/src/main.ts': "import { pad } from '@fx/util';\nconsole.log(pad('api'));\n",
      'apps/api/eslint.config.mjs': lintConfig,
      'libs/util/project.json': libraryProject('util', 'libs/util'),
      'libs/util/src/index.ts': 'export const pad = (text: string) => ` ${text} `;\n',
      'libs/util/eslint.config.mjs': lintConfig,
    });
    // `nx show projects` needs nx: borrow this repository's node_modules (git-ignored).
    symlinkSync(join(__dirname, '../../../node_modules'), join(ws.root, 'node_modules'));
    step('plugin', { 'libs/plugin/src/index.ts': "export const plugin = { slug: 'plugin', version: 2 };\n" });
    step('cliConfig', {
      'apps/cli/code-pushup.config.ts':
        "import { preset } from '../../code-pushup.preset';\nexport default { ...preset };\n",
    });
    step('devBump', { 'package.json': manifest('9.1.0'), 'package-lock.json': lockfile('9.1.0') });
    step('util', { 'libs/util/src/index.ts': 'export const pad = (text: string) => `[${text}]`;\n' });
  }, 300_000);
  afterAll(() => ws?.remove());

  it("Nx's graph: no edge from a source import into the root project (Nx leaves those out: config files)", () => {
    const file = join(ws.dir, 'graph.json');
    execFileSync(join(ws.root, 'node_modules/.bin/nx'), ['graph', `--file=${file}`], { cwd: ws.root });
    const graph = JSON.parse(readFileSync(file, 'utf8')) as {
      graph: { dependencies: Record<string, Array<{ target: string }>> };
    };
    const targets = (name: string) => graph.graph.dependencies[name].map((edge) => edge.target).sort();
    expect(targets('api')).toEqual(['util']);
    expect(targets('gen')).toEqual(['plugin']);
    expect(targets('repo')).toEqual(['plugin']);
    // The edges lockstep's own project scope drew from the lint and code-pushup configs:
    expect(targets('cli')).toEqual([]);
    expect(targets('util')).toEqual([]);
  }, 300_000);

  it('project precision equals `nx show projects --affected` on every range', async () => {
    for (const name of ['plugin', 'cliConfig', 'devBump', 'util']) {
      expect(affectedNames(await analyze(name, 'project')), name).toEqual(nxAffected(name, DEPLOYABLES));
    }
  }, 300_000);

  it('a config its build inputs exclude is no entry point: a plugin change does not deploy cli', async () => {
    for (const precision of ['file', 'symbol'] as const) {
      const result = await analyze('plugin', precision);
      // gen's main imports its config: excluded from the inputs, still shipped, still reaching plugin.
      expect(affectedNames(result), precision).toEqual(['gen']);
      expect(result.deployables.find((d) => d.project === 'gen')?.reasons[0]).toMatchObject({
        kind: 'imported-file-changed',
        file: 'libs/plugin/src/index.ts',
        via: ['apps/gen/src/main.ts', 'apps/gen/code-pushup.config.ts', 'libs/plugin/src/index.ts'],
      });
    }
  }, 300_000);

  it('an edit of the excluded config itself deploys nothing (own root minus build inputs)', async () => {
    for (const precision of ['file', 'symbol'] as const)
      expect(affectedNames(await analyze('cliConfig', precision))).toEqual([]);
  }, 300_000);

  it('a lint config importing the root one makes no runtime edge: a dev tool bump deploys nothing', async () => {
    for (const precision of ['file', 'symbol'] as const) {
      const result = await analyze('devBump', precision);
      expect(affectedNames(result), precision).toEqual([]);
    }
  }, 300_000);

  it('a runtime change of the library still deploys api', async () => {
    for (const precision of ['file', 'symbol'] as const) {
      const result = await analyze('util', precision);
      expect(affectedNames(result), precision).toEqual(['api']);
    }
  }, 300_000);
});
