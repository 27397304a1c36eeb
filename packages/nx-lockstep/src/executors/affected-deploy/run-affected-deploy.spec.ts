import type { ExecutorContext } from '@nx/devkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRepos, sh, type Repos } from '../../adapters/markers/__fixtures__/git-repos';
import { writeMarker } from '../../adapters/markers/write-marker';
import { acquireLease } from '../../adapters/markers/lease';
import type { AffectedResult, DeployableDecision } from '../../core/result';
import { runAffectedDeploy, type AffectedDeployDeps, type AnalyzeRequest } from './run-affected-deploy';

/**
 * The flow with a real git repository and bare origin; the analysis and the deploy command are
 * injected, so each case states exactly what the engine said and whether the deploy worked.
 */
interface Harness {
  deps: AffectedDeployDeps;
  lines: string[];
  warnings: string[];
  analyzed: AnalyzeRequest[];
  deployed: Record<string, string>[];
}

function harness(
  options: { decision?: (req: AnalyzeRequest) => DeployableDecision; deployOk?: boolean } = {},
): Harness {
  const h: Harness = {
    lines: [],
    warnings: [],
    analyzed: [],
    deployed: [],
    deps: undefined as unknown as AffectedDeployDeps,
  };
  h.deps = {
    analyze: async (req) => {
      h.analyzed.push(req);
      const project = req.projects![0];
      const decision = options.decision?.(req) ?? { project, base: req.bases![project], affected: false, reasons: [] };
      const result: AffectedResult = {
        version: 1,
        head: req.head!,
        precision: req.precision!,
        deployables: [decision],
      };
      return result;
    },
    runDeploy: async (_root, _project, _target, env) => {
      h.deployed.push(env);
      return options.deployOk ?? true;
    },
    writeMarker,
    acquireLease,
    log: (line) => h.lines.push(line),
    warn: (line) => h.warnings.push(line),
    env: { GITHUB_RUN_ID: '777' },
  };
  return h;
}

function context(
  root: string,
  project = 'api',
  targets: Record<string, object> = { deploy: { command: 'echo deploy' } },
): ExecutorContext {
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectName: project,
    projectsConfigurations: {
      version: 2,
      projects: { api: { root: 'apps/api', targets }, web: { root: 'apps/web', targets: {} } },
    },
    nxJsonConfiguration: {},
    projectGraph: { nodes: {}, dependencies: {} },
  } as unknown as ExecutorContext;
}

const markerOf = (repo: string, env = 'production') => {
  const out = sh(repo, 'for-each-ref', '--format=%(*objectname)', `refs/tags/lockstep/${env}/api`);
  return out || null;
};

describe('runAffectedDeploy', () => {
  let repos: Repos;
  beforeEach(() => {
    repos = createRepos();
  });
  afterEach(() => repos.remove());

  it('first run: never deployed → deploys without asking the engine and creates the marker on origin', async () => {
    const h = harness();
    const head = sh(repos.main, 'rev-parse', 'HEAD');
    const outcome = await runAffectedDeploy({}, context(repos.main), h.deps);
    expect(outcome).toMatchObject({
      success: true,
      deployed: true,
      decision: { affected: true, reasons: [{ kind: 'never-deployed', env: 'production' }] },
    });
    expect(h.analyzed).toHaveLength(0);
    expect(h.deployed).toEqual([
      {
        LOCKSTEP_PROJECT: 'api',
        LOCKSTEP_ENV: 'production',
        LOCKSTEP_HEAD: head,
        LOCKSTEP_BASE: '',
        LOCKSTEP_SHA: head,
      },
    ]);
    expect(markerOf(repos.origin)).toBe(head);
    expect(sh(repos.origin, 'tag', '-l', '--format=%(contents)', 'lockstep/production/api')).toContain('run-id: 777');
    expect(h.lines.join('\n')).toContain('never deployed to production');
  });

  it("gives the engine the projects of Nx's graph for this run when it holds the project, so no Nx is started again", async () => {
    const first = sh(repos.main, 'rev-parse', 'HEAD');
    await runAffectedDeploy({}, context(repos.main), harness().deps);
    repos.commit(repos.main, 'libs/db/client.ts', 'v2');
    const withGraph = (nodes: Record<string, object>) => {
      const ctx = context(repos.main);
      ctx.projectGraph = {
        nodes,
        dependencies: {
          api: [
            { source: 'api', target: 'db', type: 'static' },
            { source: 'api', target: 'npm:express', type: 'static' },
            { source: 'api', target: 'api', type: 'static' },
          ],
          db: [],
        },
      } as unknown as ExecutorContext['projectGraph'];
      return ctx;
    };
    const api = {
      name: 'api',
      type: 'app',
      data: {
        root: 'apps/api',
        tags: ['scope:api'],
        targets: { deploy: { executor: 'nx:run-commands', options: { command: 'x' } } },
      },
    };
    const db = { name: 'db', type: 'lib', data: { root: 'libs/db', targets: {} } };

    const h = harness();
    await runAffectedDeploy({}, withGraph({ api, db }), h.deps);
    expect(h.analyzed).toHaveLength(1);
    expect(h.analyzed[0].bases).toEqual({ api: first });
    expect(h.analyzed[0].projectGraph).toEqual({
      projects: {
        api: {
          name: 'api',
          root: 'apps/api',
          tags: ['scope:api'],
          targets: {
            deploy: { executor: 'nx:run-commands', options: { command: 'x' }, inputs: undefined, outputs: undefined },
          },
          namedInputs: undefined,
        },
        db: { name: 'db', root: 'libs/db', tags: [], targets: {}, namedInputs: undefined },
      },
      // External nodes and the project itself are no dependencies of a workspace project.
      dependencies: { api: ['db'], db: [] },
    });

    // A graph that does not know the project: the engine reads the projects itself.
    const without = harness();
    await runAffectedDeploy({}, withGraph({ db }), without.deps);
    expect(without.analyzed).toHaveLength(1);
    expect(without.analyzed[0].projectGraph).toBeUndefined();
  });

  it('unchanged since the marker → skipped with sha and date, nothing deployed', async () => {
    await runAffectedDeploy({}, context(repos.main), harness().deps);
    const h = harness();
    const outcome = await runAffectedDeploy({}, context(repos.main), h.deps);
    expect(outcome).toMatchObject({ success: true, deployed: false, decision: { affected: false } });
    expect(h.deployed).toHaveLength(0);
    expect(h.lines[0]).toMatch(/^skipped: api unchanged since [0-9a-f]{8} \(\d{4}-\d\d-\d\dT/);
  });

  it('asks the engine from the marker; an unaffected project is skipped, an affected one deployed and marked', async () => {
    const first = sh(repos.main, 'rev-parse', 'HEAD');
    await runAffectedDeploy({}, context(repos.main), harness().deps);
    const second = repos.commit(repos.main, 'libs/db/client.ts', 'v2');

    const skip = harness();
    expect((await runAffectedDeploy({ precision: 'file' }, context(repos.main), skip.deps)).deployed).toBe(false);
    expect(skip.analyzed).toEqual([
      {
        workspaceRoot: repos.main,
        head: second,
        bases: { api: first },
        precision: 'file',
        projects: ['api'],
        env: 'production',
      },
    ]);
    expect(markerOf(repos.origin)).toBe(first);

    const reason = {
      kind: 'imported-file-changed',
      file: 'libs/db/client.ts',
      via: ['apps/api/main.ts', 'libs/db/client.ts'],
    } as const;
    const deploy = harness({
      decision: (req) => ({ project: 'api', base: req.bases!.api, affected: true, reasons: [reason] }),
    });
    const outcome = await runAffectedDeploy({}, context(repos.main), deploy.deps);
    expect(outcome).toMatchObject({
      success: true,
      deployed: true,
      marker: { outcome: 'moved', previous: first, sha: second },
    });
    expect(deploy.lines).toContain(
      '  - imported file changed: libs/db/client.ts (via apps/api/main.ts → libs/db/client.ts)',
    );
    expect(markerOf(repos.origin)).toBe(second);
  });

  it('a pipeline re-run on a commit behind the marker skips instead of rolling back', async () => {
    const old = sh(repos.main, 'rev-parse', 'HEAD');
    const newer = repos.commit(repos.main, 'apps/api/main.ts', 'v2');
    await runAffectedDeploy({}, context(repos.main), harness().deps);
    expect(markerOf(repos.origin)).toBe(newer);
    sh(repos.main, 'checkout', '-q', '--detach', old);
    const h = harness();
    const outcome = await runAffectedDeploy({}, context(repos.main), h.deps);
    expect(outcome).toMatchObject({ success: true, deployed: false, decision: { affected: false } });
    expect(h.analyzed).toHaveLength(0);
    expect(h.lines.at(-1)).toMatch(
      /^skipped: api is already deployed at [0-9a-f]{8} .*which contains [0-9a-f]{8}; deploying [0-9a-f]{8} would roll it back \(pass --force/,
    );
    expect(markerOf(repos.origin)).toBe(newer);
  });

  it('a failed deploy leaves the marker where it was and fails', async () => {
    const first = sh(repos.main, 'rev-parse', 'HEAD');
    await runAffectedDeploy({}, context(repos.main), harness().deps);
    repos.commit(repos.main, 'apps/api/main.ts', 'v2');
    const h = harness({
      deployOk: false,
      decision: (req) => ({
        project: 'api',
        base: req.bases!.api,
        affected: true,
        reasons: [{ kind: 'own-file-changed', file: 'apps/api/main.ts' }],
      }),
    });
    const outcome = await runAffectedDeploy({}, context(repos.main), h.deps);
    expect(outcome).toMatchObject({ success: false, deployed: false });
    expect(outcome.error).toMatch(
      /marker lockstep\/production\/api stays at [0-9a-f]{8}, so the next run deploys it again/,
    );
    expect(markerOf(repos.origin)).toBe(first);
    // The lease is released after a failed deploy too.
    expect(sh(repos.origin, 'for-each-ref', 'refs/lockstep/leases/')).toBe('');
  });

  it('a first deploy that fails says there is no marker yet (not "stays at none")', async () => {
    const outcome = await runAffectedDeploy({}, context(repos.main), harness({ deployOk: false }).deps);
    expect(outcome.error).toBe(
      'deploy of api to production failed; no marker yet (lockstep/production/api is created by the first successful deploy), so the next run deploys it again.',
    );
  });

  it('a lease that cannot be released (network) is reported with the command to release it; the deploy result stands', async () => {
    const h = harness();
    h.deps.acquireLease = async () => ({
      state: 'held',
      waited: false,
      lease: {
        ref: 'refs/lockstep/leases/production/api',
        renew: () => true,
        release: () => {
          throw new Error('Could not update the deploy lease: network down');
        },
      },
    });
    const outcome = await runAffectedDeploy({}, context(repos.main), h.deps);
    expect(outcome).toMatchObject({ success: true, deployed: true });
    expect(h.warnings.join('\n')).toContain(
      'could not release the deploy lease refs/lockstep/leases/production/api (Could not update the deploy lease: network down); ' +
        'it expires by itself, or release it now: git push origin :refs/lockstep/leases/production/api',
    );
  });

  it('an engine error deploys (when unsure, deploy) with analysis-uncertain', async () => {
    await runAffectedDeploy({}, context(repos.main), harness().deps);
    repos.commit(repos.main, 'x.ts', 'v2');
    const h = harness({
      decision: () => {
        throw new Error('parse failed');
      },
    });
    const outcome = await runAffectedDeploy({}, context(repos.main), h.deps);
    expect(outcome.decision?.reasons).toEqual([
      { kind: 'analysis-uncertain', file: '', detail: 'the analysis failed: parse failed' },
    ]);
    expect(outcome.deployed).toBe(true);
  });

  it('force and dryRun', async () => {
    await runAffectedDeploy({}, context(repos.main), harness().deps);
    const dry = harness();
    const outcome = await runAffectedDeploy({ force: true, dryRun: true }, context(repos.main), dry.deps);
    expect(outcome).toMatchObject({
      success: true,
      deployed: false,
      decision: { affected: true, reasons: [{ kind: 'forced' }] },
    });
    expect(dry.deployed).toHaveLength(0);
    expect(dry.lines.at(-1)).toMatch(/^dry run: would run api:deploy; marker lockstep\/production\/api stays at/);
  });

  it('staging and production markers move independently', async () => {
    const first = sh(repos.main, 'rev-parse', 'HEAD');
    await runAffectedDeploy({ env: 'staging' }, context(repos.main), harness().deps);
    expect(markerOf(repos.origin, 'staging')).toBe(first);
    expect(markerOf(repos.origin, 'production')).toBeNull();
  });

  it('shallow clone whose history to the marker is cut → base-unavailable with the fetch-depth hint', async () => {
    await runAffectedDeploy({}, context(repos.main), harness().deps);
    repos.commit(repos.main, 'a.ts', '1');
    repos.commit(repos.main, 'a.ts', '2');
    sh(repos.main, 'push', '-q', 'origin', 'main');
    const shallow = repos.clone('shallow', '--depth', '1');
    const h = harness();
    const outcome = await runAffectedDeploy({}, context(shallow), h.deps);
    expect(outcome.decision?.reasons).toEqual([
      { kind: 'base-unavailable', base: expect.any(String), hint: expect.stringContaining('fetch-depth: 0') },
    ]);
    expect(outcome.deployed).toBe(true);
    expect(h.analyzed).toHaveLength(0);
  });

  describe('bad input fails before deploying, naming the problem', () => {
    it('unknown project, project without a deploy target, bad env', async () => {
      const h = harness();
      expect((await runAffectedDeploy({}, context(repos.main, 'nope'), h.deps)).error).toMatch(
        /Unknown project "nope". Known projects: api, web/,
      );
      expect((await runAffectedDeploy({}, context(repos.main, 'web'), h.deps)).error).toMatch(
        /Project "web" has no "deploy" target.*"deployTargetName"/,
      );
      expect((await runAffectedDeploy({ env: 'prod env' }, context(repos.main), h.deps)).error).toMatch(
        /Invalid env "prod env"/,
      );
      expect(h.deployed).toHaveLength(0);
    });

    it('no remote: refuses with pushMarker (nothing deployed); pushMarker=false keeps a local marker and warns', async () => {
      sh(repos.main, 'remote', 'remove', 'origin');
      const refused = harness();
      const outcome = await runAffectedDeploy({}, context(repos.main), refused.deps);
      expect(outcome.error).toMatch(/no git remote "origin".*nothing was deployed.*--pushMarker=false/);
      expect(refused.deployed).toHaveLength(0);

      const local = harness();
      expect(await runAffectedDeploy({ pushMarker: false }, context(repos.main), local.deps)).toMatchObject({
        success: true,
        deployed: true,
      });
      expect(local.warnings.join('\n')).toMatch(
        /no git remote "origin": the marker "lockstep\/production\/api" is read from and written to local tags only/,
      );
      expect(markerOf(repos.main)).toBe(sh(repos.main, 'rev-parse', 'HEAD'));
    });

    it('a folder outside git, or a repository without a commit, fails naming what is missing', async () => {
      const { mkdirSync } = await import('node:fs');
      const outside = `${repos.dir}/not-a-repo`;
      mkdirSync(outside);
      const h = harness();
      expect((await runAffectedDeploy({}, context(outside), h.deps)).error).toMatch(
        /not-a-repo is not a git repository: deploy markers are git tags/,
      );
      const empty = `${repos.dir}/empty`;
      sh(repos.dir, 'init', '-q', empty);
      expect((await runAffectedDeploy({}, context(empty), h.deps)).error).toMatch(
        /"HEAD" is not a commit in this repository/,
      );
      expect(h.deployed).toHaveLength(0);
    });

    it('on a branch: no detached-HEAD note', async () => {
      const h = harness();
      expect((await runAffectedDeploy({ dryRun: true }, context(repos.main), h.deps)).success).toBe(true);
      expect(h.lines.join('\n')).not.toMatch(/detached HEAD/);
    });

    it('uncommitted changes are named and left out; detached HEAD deploys its commit', async () => {
      const head = repos.commit(repos.main, 'apps/api/main.ts', 'v1');
      sh(repos.main, 'checkout', '-q', '--detach', head);
      const { writeFileSync } = await import('node:fs');
      writeFileSync(`${repos.main}/apps/api/main.ts`, 'dirty');
      const h = harness();
      const outcome = await runAffectedDeploy({}, context(repos.main), h.deps);
      expect(outcome.success).toBe(true);
      expect(h.lines[0]).toMatch(/^note: detached HEAD, deploying commit/);
      expect(h.warnings.join('\n')).toMatch(
        /uncommitted changes in 1 tracked file\(s\) \(apps\/api\/main.ts\): the decision and the marker cover the committed code/,
      );
      expect(markerOf(repos.origin)).toBe(head);
    });
  });
});
