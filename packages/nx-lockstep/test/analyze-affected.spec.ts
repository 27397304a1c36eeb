/**
 * The engine end to end on a real git history of a small Nx workspace (real nx project graph,
 * real git diff/ls-tree/cat-file): exact decisions and reasons at file, symbol and project precision.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeAffected } from '../src/engine';
import type { AffectedResult, DeployableDecision } from '../src/core/result';
import { git, type FixtureWorkspace } from './support/fixture-workspace';
import { schemaErrors } from './support/result-schema';
import { createShopFixture, packageLock } from './support/shop-fixture';

process.env.NX_DAEMON = 'false';
process.env.NX_ISOLATE_PLUGINS = 'false';
process.env.NX_NO_CLOUD = 'true';
process.env.CI = 'true';

/** Every result of these tests must conform to the JSON schema shipped in the package. */
async function analyze(request: Parameters<typeof analyzeAffected>[0]): Promise<AffectedResult> {
  const result = await analyzeAffected(request);
  expect(schemaErrors(JSON.parse(JSON.stringify(result)))).toEqual([]);
  return result;
}

const byProject = (result: AffectedResult) =>
  Object.fromEntries(result.deployables.map((decision) => [decision.project, decision])) as Record<
    string,
    DeployableDecision
  >;
const affectedNames = (result: AffectedResult) =>
  result.deployables.filter((decision) => decision.affected).map((decision) => decision.project);

describe('analyzeAffected on a fixture workspace with git history', () => {
  let ws: FixtureWorkspace;
  const sha: Record<string, string> = {};

  beforeAll(() => {
    ws = createShopFixture();
    sha.initial = git(ws.root, 'rev-parse', 'HEAD');
    sha.pad = ws.commit('change pad', {
      'libs/util/src/pad.ts': 'export const pad = (text: string) => `[${text}]`;\n',
    });
    sha.types = ws.commit('change a type-only import', {
      'libs/types/src/index.ts': 'export interface Order { id: string; total: number }\n',
    });
    sha.dockerAndSpec = ws.commit('change Dockerfile and a spec', {
      'apps/api/Dockerfile': 'FROM node:22\n',
      'apps/api/src/main.spec.ts': "test('nothing', () => undefined);\n",
    });
    sha.lockfile = ws.commit('bump ms (a dependency of debug)', { 'package-lock.json': packageLock('2.1.0') });
    sha.tsconfig = ws.commit('change compilerOptions', {
      'tsconfig.base.json': JSON.stringify({
        compilerOptions: {
          strict: true,
          target: 'es2022',
          paths: {
            '@fx/db': ['libs/db/src/index.ts'],
            '@fx/util': ['libs/util/src/index.ts'],
            '@fx/types': ['libs/types/src/index.ts'],
          },
        },
      }),
    });
    ws.write({
      'libs/util/src/log.ts': null,
      'libs/util/src/logger.ts':
        "import { stamp } from './stamp';\nexport const log = (message: string) => console.log(stamp(message));\n",
      'libs/util/src/stamp.ts': 'export const stamp = (text: string) => `1 ${text}`;\n',
      'libs/util/src/stamp/index.ts': 'export const stamp = (text: string) => `2 ${text}`;\n',
      'libs/util/src/index.ts': "export { log } from './logger';\nexport { pad } from './pad';\n",
    });
    sha.rename = ws.commit('rename log.ts to logger.ts', {});
    sha.fallback = ws.commit('delete stamp.ts: ./stamp now resolves to stamp/index.ts', {
      'libs/util/src/stamp.ts': null,
    });
    sha.deleted = ws.commit('delete pad.ts but keep importing it', { 'libs/util/src/pad.ts': null });
    sha.worker = ws.commit('add a worker whose entry point cannot be found', {
      'apps/worker/project.json': JSON.stringify({
        name: 'worker',
        root: 'apps/worker',
        targets: { deploy: { command: 'echo deploy' } },
      }),
      'apps/worker/src/app.ts': "import { log } from '@fx/util';\nlog('worker');\n",
    });
  });
  afterAll(() => ws?.remove());

  it('file precision: a changed library file affects exactly the deployables that import it, with the import chain', async () => {
    const result = await analyze({ workspaceRoot: ws.root, base: sha.initial, head: sha.pad, precision: 'file' });
    expect(result).toMatchObject({ version: 1, head: sha.pad, precision: 'file' });
    expect(byProject(result)).toEqual({
      api: {
        project: 'api',
        base: sha.initial,
        affected: true,
        reasons: [
          {
            kind: 'imported-file-changed',
            file: 'libs/util/src/pad.ts',
            via: [
              'apps/api/src/main.ts',
              'libs/db/src/index.ts',
              'libs/db/src/lib/client.ts',
              'libs/util/src/index.ts',
              'libs/util/src/pad.ts',
            ],
          },
        ],
      },
      web: {
        project: 'web',
        base: sha.initial,
        affected: true,
        reasons: [
          {
            kind: 'imported-file-changed',
            file: 'libs/util/src/pad.ts',
            via: ['apps/web/src/main.ts', 'libs/util/src/index.ts', 'libs/util/src/pad.ts'],
          },
        ],
      },
    });
  });

  it('symbol precision: only the deployable that uses the changed declaration is affected', async () => {
    const result = await analyze({ workspaceRoot: ws.root, base: sha.initial, head: sha.pad, precision: 'symbol' });
    // Nx (and file precision) would deploy api for pad.ts; explain says why it does not.
    expect(byProject(result).api).toEqual({
      project: 'api',
      base: sha.initial,
      affected: false,
      reasons: [],
      changesNotShipped: [
        {
          file: 'libs/util/src/pad.ts',
          via: [
            'apps/api/src/main.ts',
            'libs/db/src/index.ts',
            'libs/db/src/lib/client.ts',
            'libs/util/src/index.ts',
            'libs/util/src/pad.ts',
          ],
          because: 'not-used',
          declarations: ['pad'],
        },
      ],
    });
    expect(byProject(result).web.reasons).toEqual([
      {
        kind: 'imported-file-changed',
        file: 'libs/util/src/pad.ts',
        via: ['apps/web/src/main.ts', 'libs/util/src/index.ts', 'libs/util/src/pad.ts'],
        declarations: ['pad'],
      },
    ]);
  });

  it("type-only imports, test files and other projects' files ship nothing; own non-source files do", async () => {
    const typesOnly = await analyze({ workspaceRoot: ws.root, base: sha.pad, head: sha.types, precision: 'file' });
    expect(affectedNames(typesOnly)).toEqual([]);
    const dockerAndSpec = await analyze({
      workspaceRoot: ws.root,
      base: sha.types,
      head: sha.dockerAndSpec,
      precision: 'file',
    });
    expect(dockerAndSpec.deployables).toEqual([
      {
        project: 'api',
        base: sha.types,
        affected: true,
        reasons: [{ kind: 'own-file-changed', file: 'apps/api/Dockerfile' }],
      },
      { project: 'web', base: sha.types, affected: false, reasons: [] },
    ]);
  });

  it('a locked version change of a package in the closure of an import affects exactly its importers', async () => {
    const result = await analyze({
      workspaceRoot: ws.root,
      base: sha.dockerAndSpec,
      head: sha.lockfile,
      precision: 'file',
    });
    expect(result.deployables).toEqual([
      {
        project: 'api',
        base: sha.dockerAndSpec,
        affected: true,
        reasons: [
          {
            kind: 'external-package-changed',
            package: 'ms',
            from: '2.0.0',
            to: '2.1.0',
            lockfile: 'package-lock.json',
            importedBy: 'apps/api/src/routes.ts',
          },
        ],
      },
      { project: 'web', base: sha.dockerAndSpec, affected: false, reasons: [] },
    ]);
  });

  it('a change of the root compilerOptions is a global input of every deployable', async () => {
    const result = await analyze({ workspaceRoot: ws.root, base: sha.lockfile, head: sha.tsconfig, precision: 'file' });
    for (const decision of result.deployables) {
      expect(decision.reasons).toEqual([
        { kind: 'global-input-changed', file: 'tsconfig.base.json', detail: 'compilerOptions changed: target' },
      ]);
    }
  });

  it('renames and deletions: the base version counts, a fallback resolution is caught, a dangling import is uncertain', async () => {
    const renamed = byProject(
      await analyze({ workspaceRoot: ws.root, base: sha.tsconfig, head: sha.rename, precision: 'file' }),
    );
    expect(renamed.web.reasons).toEqual(
      expect.arrayContaining([
        {
          kind: 'imported-file-changed',
          file: 'libs/util/src/logger.ts',
          via: ['apps/web/src/main.ts', 'libs/util/src/index.ts', 'libs/util/src/logger.ts'],
        },
        {
          kind: 'imported-file-changed',
          file: 'libs/util/src/log.ts',
          via: ['apps/web/src/main.ts', 'libs/util/src/index.ts', 'libs/util/src/log.ts'],
        },
      ]),
    );

    // Nothing reached at head changed: stamp/index.ts existed before. Only the base reach sees stamp.ts go.
    const fallback = await analyze({ workspaceRoot: ws.root, base: sha.rename, head: sha.fallback, precision: 'file' });
    expect(byProject(fallback).web.reasons).toEqual([
      {
        kind: 'imported-file-changed',
        file: 'libs/util/src/stamp.ts',
        via: ['apps/web/src/main.ts', 'libs/util/src/index.ts', 'libs/util/src/logger.ts', 'libs/util/src/stamp.ts'],
      },
    ]);
    expect(affectedNames(fallback)).toEqual(['api', 'web']);

    const deleted = byProject(
      await analyze({ workspaceRoot: ws.root, base: sha.fallback, head: sha.deleted, precision: 'file' }),
    );
    expect(deleted.web.reasons).toEqual([
      {
        kind: 'imported-file-changed',
        file: 'libs/util/src/pad.ts',
        via: ['apps/web/src/main.ts', 'libs/util/src/index.ts', 'libs/util/src/pad.ts'],
      },
      {
        kind: 'analysis-uncertain',
        file: 'libs/util/src/index.ts',
        // Scoped to the change: the spot could stand for files of util, and pad.ts changed there.
        detail:
          'libs/util/src/index.ts:2 imports "./pad": no file matches "./pad" (looked for libs/util/src/pad with extensions and index files) — libs/util/src/pad.ts changed, within what this spot could stand for (project util and what it depends on: project precision for this spot)',
        via: ['apps/web/src/main.ts', 'libs/util/src/index.ts'],
      },
    ]);
    expect(deleted.api.affected).toBe(true);
  });

  it('a deployable without a conventional entry point: all its own sources are entry points', async () => {
    const result = await analyze({
      workspaceRoot: ws.root,
      base: sha.deleted,
      head: sha.worker,
      precision: 'file',
      projects: ['worker'],
    });
    expect(result.deployables).toEqual([
      {
        project: 'worker',
        base: sha.deleted,
        affected: true,
        reasons: [
          { kind: 'own-file-changed', file: 'apps/worker/src/app.ts', via: ['apps/worker/src/app.ts'] },
          { kind: 'own-file-changed', file: 'apps/worker/project.json' },
        ],
      },
    ]);
  });

  it('a base missing from a shallow clone makes every deployable affected with the fix', async () => {
    const shallow = join(ws.dir, 'shallow');
    git(ws.dir, 'clone', '-q', '--depth', '1', `file://${ws.origin}`, shallow);
    const result = await analyze({ workspaceRoot: shallow, base: sha.initial, precision: 'file' });
    expect(result.head).toBe(sha.worker);
    for (const decision of result.deployables) {
      expect(decision).toMatchObject({
        affected: true,
        base: sha.initial,
        reasons: [{ kind: 'base-unavailable', base: sha.initial }],
      });
      expect((decision.reasons[0] as { hint: string }).hint).toContain('fetch-depth: 0');
    }
  });
});

describe('project precision', () => {
  it('equals `nx show projects --affected` restricted to deployables, with project chains as reasons', async () => {
    const ws = createShopFixture({ withDependencyPlugin: true });
    try {
      const base = git(ws.root, 'rev-parse', 'HEAD');
      const head = ws.commit('change pad', {
        'libs/util/src/pad.ts': 'export const pad = (text: string) => `[${text}]`;\n',
      });
      const result = await analyze({ workspaceRoot: ws.root, base, head, precision: 'project' });
      const nxOutput = execFileSync(
        join(ws.root, 'node_modules/.bin/nx'),
        ['show', 'projects', '--affected', '--base', base, '--head', head, '--json'],
        { cwd: ws.root, encoding: 'utf8' },
      );
      const nxAffected = (JSON.parse(nxOutput.slice(nxOutput.indexOf('['))) as string[])
        .filter((name) => name === 'api' || name === 'web')
        .sort();
      expect(affectedNames(result)).toEqual(nxAffected);
      expect(nxAffected).toEqual(['api', 'web']);
      expect(byProject(result).api.reasons).toEqual([
        { kind: 'dependency-project-changed', project: 'util', file: 'libs/util/src/pad.ts', via: ['api', 'util'] },
      ]);
      expect(byProject(result).web.reasons).toEqual([
        { kind: 'dependency-project-changed', project: 'util', file: 'libs/util/src/pad.ts', via: ['web', 'util'] },
      ]);
    } finally {
      ws.remove();
    }
  });
});

describe('a lockfile that does not parse', () => {
  it('deploys every deployable that imports a package from it, naming the lockfile (when unsure, deploy)', async () => {
    const ws = createShopFixture();
    try {
      // A merge conflict committed as it was (the file is no longer JSON), then resolved: Nx reads
      // the working tree's lockfile only, lockstep the base's too.
      const conflicted = packageLock('2.0.0').replace(
        '      "version": "2.0.0"',
        '<<<<<<< HEAD\n      "version": "2.0.0"\n=======\n      "version": "2.1.0"\n>>>>>>> bump',
      );
      const base = ws.commit('merge with a conflict left in the lockfile', { 'package-lock.json': conflicted });
      const head = ws.commit('resolve the conflict', { 'package-lock.json': packageLock('2.1.0') });
      for (const precision of ['symbol', 'file'] as const) {
        const result = await analyze({ workspaceRoot: ws.root, base, head, precision });
        const decisions = byProject(result);
        const uncertain = (imported: string) => ({
          kind: 'analysis-uncertain',
          file: 'package-lock.json',
          detail: `package-lock.json does not parse at base (a merge conflict marker (<<<<<<<) at line 20): the locked versions of the packages this deployable imports (${imported}) are unknown, so they count as changed`,
        });
        expect(decisions.api, precision).toMatchObject({ affected: true, reasons: [uncertain('debug')] });
        expect(decisions.web, precision).toMatchObject({ affected: true, reasons: [uncertain('left-pad')] });
      }
    } finally {
      ws.remove();
    }
  });
});

describe('the shipped JSON schema', () => {
  it('rejects results that break the contract', () => {
    expect(schemaErrors({ version: 2, head: 'x', precision: 'file', deployables: [] })).not.toEqual([]);
    expect(
      schemaErrors({
        version: 1,
        head: 'a'.repeat(40),
        precision: 'file',
        deployables: [{ project: 'api', base: null, affected: true, reasons: [] }],
      }),
    ).not.toEqual([]);
    expect(
      schemaErrors({
        version: 1,
        head: 'a'.repeat(40),
        precision: 'file',
        deployables: [
          { project: 'api', base: null, affected: true, reasons: [{ kind: 'never-deployed', env: 'production' }] },
        ],
      }),
    ).toEqual([]);
  });
});
