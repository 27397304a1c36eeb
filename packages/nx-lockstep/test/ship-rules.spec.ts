/**
 * "What a deployable ships" (DESIGN.md) on a workspace in the shapes that failed on real
 * monorepos (issue 10): real git history, the real nx project graph, the engine end to end.
 *
 * - web: a Next.js-like app with no src/main (app/page.tsx), an `index.d.ts`, `vite.config.mts`
 *   and a `vercel.ts` marker nothing imports; it uses lib ui, whose assets no import reaches.
 * - api: imports lib db, whose Prisma client is generated into a path git does not hold, and
 *   imports `zod` for types only.
 * - worker: imports lib legacy, which calls `eval`, and requires `./build-info.json`, which only
 *   its build output holds.
 * nx.json has the namedInputs create-nx-workspace writes (production = default minus tests).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeAffected } from '../src/adapters/analyze';
import type { AffectedResult, Precision } from '../src/core/result';
import {
  createFixtureWorkspace,
  fixtureNxJson,
  deployableProject,
  libraryProject,
  TEST_FILES_INPUT,
  type FixtureWorkspace,
} from './support/fixture-workspace';
import { affectedNames, byProject, rangeSteps } from './support/range-steps';
import { schemaErrors } from './support/result-schema';

Object.assign(process.env, { NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_NO_CLOUD: 'true', CI: 'true' });

const NX_JSON = fixtureNxJson({
  excludes: [TEST_FILES_INPUT, '!{projectRoot}/tsconfig.spec.json', '!{projectRoot}/jest.config.[jt]s'],
  targetDefaults: { build: { inputs: ['production', '^production'] } },
});

const lockfile = (zod: string, ms: string) =>
  JSON.stringify(
    {
      name: 'shapes',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'shapes', dependencies: { zod: '^3.0.0', debug: '4.0.0' } },
        'node_modules/zod': { version: zod },
        'node_modules/debug': { version: '4.0.0', dependencies: { ms: `^${ms}` } },
        'node_modules/ms': { version: ms },
      },
    },
    null,
    2,
  );

const withBuild = (name: string, root: string) =>
  JSON.stringify({
    ...JSON.parse(deployableProject(name, root)),
    targets: { deploy: { command: 'echo deploy' }, build: { command: 'echo build' } },
  });

function createShapesWorkspace(): FixtureWorkspace {
  return createFixtureWorkspace({
    '.gitignore': '.nx/\nnode_modules/\nlibs/db/src/generated/\n',
    'nx.json': NX_JSON,
    'package.json': JSON.stringify({ name: 'shapes', private: true, dependencies: { zod: '^3.0.0', debug: '4.0.0' } }),
    'package-lock.json': lockfile('3.22.0', '2.0.0'),
    'tsconfig.base.json': JSON.stringify({
      compilerOptions: {
        strict: true,
        jsx: 'react-jsx',
        paths: {
          '@fx/ui': ['libs/ui/src/index.ts'],
          '@fx/db': ['libs/db/src/index.ts'],
          '@fx/legacy': ['libs/legacy/src/index.ts'],
        },
      },
    }),
    'apps/web/project.json': withBuild('web', 'apps/web'),
    'apps/web/vercel.ts': "export const config = { framework: 'nextjs' };\n",
    'apps/web/vite.config.mts': 'export default { base: "/" };\n',
    'apps/web/index.d.ts': "declare module '*.svg' { const content: string; export default content; }\n",
    'apps/web/app/page.tsx':
      'import { Button } from \'@fx/ui\';\nexport default function Page() { return <Button label="go" />; }\n',
    'apps/web/app/page.spec.tsx': "test('page', () => undefined);\n",
    'libs/ui/project.json': libraryProject('ui', 'libs/ui'),
    'libs/ui/src/index.ts': "export { Button } from './button';\n",
    'libs/ui/src/button.tsx': 'export const Button = (props: { label: string }) => <button>{props.label}</button>;\n',
    'libs/ui/assets/logo.svg': '<svg/>\n',
    'libs/ui/src/button.spec.tsx': "test('button', () => undefined);\n",
    'apps/api/project.json': withBuild('api', 'apps/api'),
    'apps/api/src/main.ts':
      "import { db } from '@fx/db';\nimport { Schema } from 'zod';\nexport const check = (schema: Schema) => db(schema);\n",
    'libs/db/project.json': JSON.stringify({
      ...JSON.parse(libraryProject('db', 'libs/db')),
      targets: {
        'prisma-generate': {
          command: 'prisma generate',
          // Outside the project: only the generated-code rule can count it.
          inputs: ['{workspaceRoot}/prisma/schema.prisma'],
          outputs: ['{projectRoot}/src/generated'],
        },
      },
    }),
    'prisma/schema.prisma': 'model User { id Int @id }\n',
    'libs/db/src/index.ts':
      "import { PrismaClient } from './generated/client';\nexport const db = (input: unknown) => new PrismaClient().run(input);\n",
    'apps/worker/project.json': withBuild('worker', 'apps/worker'),
    'apps/worker/src/main.ts':
      "import { legacy } from '@fx/legacy';\nimport { version } from './version';\nlegacy(version);\n",
    // A file only the build output holds (FINDINGS F2): uncertain for changes of worker only.
    'apps/worker/src/version.ts': "export const version: string = require('./build-info.json').version;\n",
    'libs/legacy/project.json': libraryProject('legacy', 'libs/legacy'),
    'libs/legacy/src/index.ts': 'export const legacy = (code: string) => eval(code);\n',
    'libs/legacy/src/unused.ts': 'export const unused = 1;\n',
    'libs/other/project.json': libraryProject('other', 'libs/other'),
    'libs/other/src/index.ts': 'export const other = 1;\n',
  });
}

async function analyze(
  ws: FixtureWorkspace,
  base: string,
  head: string,
  precision: Precision,
): Promise<AffectedResult> {
  const result = await analyzeAffected({ workspaceRoot: ws.root, base, head, precision });
  expect(schemaErrors(JSON.parse(JSON.stringify(result)))).toEqual([]);
  return result;
}

describe('what a deployable ships, on the shapes that failed on real monorepos', () => {
  let ws: FixtureWorkspace;
  const { sha, step } = rangeSteps(() => ws);

  beforeAll(() => {
    ws = createShapesWorkspace();
    step('empty', {});
    step('viteConfig', { 'apps/web/vite.config.mts': 'export default { base: "/app/" };\n' });
    step('vercel', { 'apps/web/vercel.ts': "export const config = { framework: 'nextjs', regions: ['fra1'] };\n" });
    step('spec', { 'apps/web/app/page.spec.tsx': "test('page', () => expect(1).toBe(1));\n" });
    step('button', {
      'libs/ui/src/button.tsx':
        'export const Button = (props: { label: string }) => <button type="button">{props.label}</button>;\n',
    });
    step('logo', { 'libs/ui/assets/logo.svg': '<svg viewBox="0 0 1 1"/>\n' });
    step('uiSpec', { 'libs/ui/src/button.spec.tsx': "test('button', () => expect(1).toBe(1));\n" });
    step('other', { 'libs/other/src/index.ts': 'export const other = 2;\n' });
    // A source file of legacy that nothing imports: only the eval spot could stand for it.
    step('legacyFile', { 'libs/legacy/src/unused.ts': 'export const unused = 2;\n' });
    step('schema', { 'prisma/schema.prisma': 'model User { id Int @id\n name String }\n' });
    step('zod', { 'package-lock.json': lockfile('3.23.0', '2.0.0') });
  }, 300_000);
  afterAll(() => ws?.remove());

  it('an empty range affects nothing, though api imports generated code and worker loads eval', async () => {
    for (const precision of ['file', 'symbol'] as const)
      expect(affectedNames(await analyze(ws, sha['empty:base'], sha.empty, precision))).toEqual([]);
  });

  it('own root, whole: vite.config.mts and the vercel.ts marker (imported by nothing) deploy their app', async () => {
    for (const precision of ['file', 'symbol'] as const) {
      const vite = await analyze(ws, sha['viteConfig:base'], sha.viteConfig, precision);
      expect(affectedNames(vite)).toEqual(['web']);
      expect(byProject(vite).web.reasons).toMatchObject([
        { kind: 'own-file-changed', file: 'apps/web/vite.config.mts', via: ['apps/web/vite.config.mts'] },
      ]);
      expect(affectedNames(await analyze(ws, sha['vercel:base'], sha.vercel, precision))).toEqual(['web']);
    }
  });

  it('own root minus what the build inputs exclude: a spec file deploys nothing', async () => {
    for (const precision of ['file', 'symbol'] as const)
      expect(affectedNames(await analyze(ws, sha['spec:base'], sha.spec, precision))).toEqual([]);
  });

  it('an app without src/main (and with an index.d.ts) reaches its libraries from all its own sources', async () => {
    const result = await analyze(ws, sha['button:base'], sha.button, 'symbol');
    expect(affectedNames(result)).toEqual(['web']);
    expect(byProject(result).web.reasons[0]).toMatchObject({
      kind: 'imported-file-changed',
      file: 'libs/ui/src/button.tsx',
      via: ['apps/web/app/page.tsx', 'libs/ui/src/index.ts', 'libs/ui/src/button.tsx'],
    });
  });

  it("a dependency's non-source file counts when the build inputs include it (^production), naming the input", async () => {
    for (const precision of ['file', 'symbol'] as const) {
      const result = await analyze(ws, sha['logo:base'], sha.logo, precision);
      expect(affectedNames(result)).toEqual(['web']);
      expect(byProject(result).web.reasons).toEqual([
        {
          kind: 'dependency-project-changed',
          project: 'ui',
          file: 'libs/ui/assets/logo.svg',
          via: ['web', 'ui'],
          input: '^production',
        },
      ]);
      expect(affectedNames(await analyze(ws, sha['uiSpec:base'], sha.uiSpec, precision))).toEqual([]);
    }
  });

  it('uncertainty is scoped to the change: eval counts only for changes of its project (and what it depends on)', async () => {
    for (const precision of ['file', 'symbol'] as const) {
      expect(affectedNames(await analyze(ws, sha['other:base'], sha.other, precision))).toEqual([]);
      const legacy = await analyze(ws, sha['legacyFile:base'], sha.legacyFile, precision);
      expect(affectedNames(legacy)).toEqual(['worker']);
      // worker's own require('./build-info.json') stands for worker and what it depends on: legacy too.
      expect(byProject(legacy).worker.reasons.map((reason) => reason.kind)).toEqual([
        'analysis-uncertain',
        'analysis-uncertain',
      ]);
      expect(byProject(legacy).worker.reasons).toContainEqual({
        kind: 'analysis-uncertain',
        file: 'libs/legacy/src/index.ts',
        detail:
          'libs/legacy/src/index.ts loads modules the analysis cannot follow: eval at line 1 — libs/legacy/src/unused.ts changed, within what this spot could stand for (project legacy and what it depends on: project precision for this spot)',
        via: ['apps/worker/src/main.ts', 'libs/legacy/src/index.ts'],
      });
    }
  });

  it('generated code counts through the inputs of the Nx target whose outputs cover it', async () => {
    for (const precision of ['file', 'symbol'] as const) {
      const result = await analyze(ws, sha['schema:base'], sha.schema, precision);
      expect(affectedNames(result)).toEqual(['api']);
      expect(byProject(result).api.reasons).toEqual([
        {
          kind: 'imported-file-changed',
          file: 'prisma/schema.prisma',
          via: ['apps/api/src/main.ts', 'libs/db/src/index.ts', 'libs/db/src/generated/client', 'prisma/schema.prisma'],
          input:
            'generated libs/db/src/generated/client: db:prisma-generate (outputs libs/db/src/generated; prisma-generate target inputs ({workspaceRoot}/prisma/schema.prisma))',
        },
      ]);
    }
  });

  it('a package imported for types only does not ship: its lockfile change deploys nothing', async () => {
    for (const precision of ['file', 'symbol'] as const) {
      const result = await analyze(ws, sha['zod:base'], sha.zod, precision);
      // Nor for worker's eval: it could load an installed package, but legacy and worker use no zod.
      expect(affectedNames(result)).toEqual([]);
    }
  });
});
