import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { AggregateCreateNodesError, type CreateNodesResult, type TargetConfiguration } from '@nx/devkit';
import { globSync } from 'tinyglobby';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNodesV2 } from './create-nodes';
import type { LockstepPluginOptions } from '../config/options';

// Each test gets a real workspace on disk; createNodesV2 is called the way Nx calls it.
let workspaceRoot: string;
const savedCacheFlag = process.env.NX_CACHE_PROJECT_GRAPH;

beforeEach(() => {
  workspaceRoot = mkdtempSync(join(tmpdir(), 'lockstep-nodes-'));
  delete process.env.NX_CACHE_PROJECT_GRAPH;
});
afterEach(() => {
  rmSync(workspaceRoot, { recursive: true, force: true });
  if (savedCacheFlag === undefined) delete process.env.NX_CACHE_PROJECT_GRAPH;
  else process.env.NX_CACHE_PROJECT_GRAPH = savedCacheFlag;
});

function write(files: Record<string, string | object>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(workspaceRoot, path)), { recursive: true });
    writeFileSync(join(workspaceRoot, path), typeof content === 'string' ? content : JSON.stringify(content));
  }
}

/** The config files Nx would hand the plugin for its glob. */
function configFiles(): string[] {
  return globSync(['**/project.json', '**/package.json'], {
    cwd: workspaceRoot,
    ignore: ['**/node_modules/**'],
  }).sort();
}

async function run(options?: LockstepPluginOptions): Promise<Record<string, Record<string, TargetConfiguration>>> {
  const results = await createNodesV2[1](configFiles(), options, { workspaceRoot, nxJsonConfiguration: {} });
  return targetsByRoot(results);
}

function targetsByRoot(results: ReadonlyArray<readonly [string, CreateNodesResult]>) {
  const byRoot: Record<string, Record<string, TargetConfiguration>> = {};
  for (const [, result] of results) {
    // Nx merges the results for one root (the root project gets lockstep-report in a result of its own).
    for (const [root, project] of Object.entries(result.projects ?? {}))
      byRoot[root] = { ...byRoot[root], ...project.targets };
  }
  return byRoot;
}

const project = (name: string, extra: object = {}) => ({ name, ...extra });
const commandOf = (target: TargetConfiguration | undefined) => target?.options?.command as string | undefined;

describe('createNodesV2: deployable inference', () => {
  it('infers deploy (docker build + push) and affected-deploy for a Dockerfile, and nothing for a library', async () => {
    write({
      'package.json': { name: 'ws', private: true },
      'apps/api/project.json': project('api'),
      'apps/api/Dockerfile': 'FROM node:20',
      'libs/util/project.json': project('util'),
      'libs/util/index.ts': 'export {}',
    });
    const targets = await run({ docker: { registry: 'ghcr.io/acme' } });

    expect(Object.keys(targets)).toEqual(['apps/api']);
    const deploy = targets['apps/api'].deploy;
    expect(deploy.executor).toBe('nx:run-commands');
    expect(commandOf(deploy)).toBe(
      'docker build -f apps/api/Dockerfile -t ghcr.io/acme/api:"${LOCKSTEP_SHA:-$(git rev-parse HEAD)}" . && ' +
        'docker push ghcr.io/acme/api:"${LOCKSTEP_SHA:-$(git rev-parse HEAD)}"',
    );
    expect(deploy.dependsOn).toEqual(['build']);
    expect(deploy.metadata?.technologies).toEqual(['docker']);
    expect(deploy.metadata?.description).toContain('apps/api/Dockerfile');

    expect(targets['apps/api']['affected-deploy']).toMatchObject({
      executor: 'nx-lockstep:affected-deploy',
      options: { env: 'production' },
      metadata: { technologies: ['nx-lockstep'] },
    });
    expect(targets['apps/api']['affected-deploy'].metadata?.description).toContain('api:deploy');
    // Help points at this target's own options, not at another command's.
    expect(targets['apps/api']['affected-deploy'].metadata?.help?.command).toBe(
      'npx nx run api:affected-deploy --help',
    );
  });

  it('tags the image with the commit sha when the shell runs the command', () => {
    // The tag expression itself, run by a real shell in a real git repository.
    write({ 'a.txt': 'a' });
    const git = (...args: string[]) => execFileSync('git', args, { cwd: workspaceRoot, encoding: 'utf-8' }).trim();
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.email=t@t', '-c', 'user.name=t', 'commit', '-qm', 'init');
    const sha = git('rev-parse', 'HEAD');
    const tag = (env: NodeJS.ProcessEnv) =>
      execFileSync('sh', ['-c', 'echo "${LOCKSTEP_SHA:-$(git rev-parse HEAD)}"'], {
        cwd: workspaceRoot,
        env,
        encoding: 'utf-8',
      }).trim();
    const { LOCKSTEP_SHA: _ignored, ...env } = process.env;
    expect(tag(env)).toBe(sha);
    expect(tag({ ...env, LOCKSTEP_SHA: 'abc123' })).toBe('abc123');
  });

  const markers: Array<[string, string, string | undefined, string]> = [
    ['Containerfile', 'docker build -f apps/svc/Containerfile -t svc:', undefined, 'docker'],
    ['svc.Dockerfile', 'docker build -f apps/svc/svc.Dockerfile -t svc:', undefined, 'docker'],
    ['fly.toml', 'fly deploy --config apps/svc/fly.toml', undefined, 'fly'],
    ['serverless.yml', 'serverless deploy --config serverless.yml', 'apps/svc', 'serverless'],
    ['serverless.ts', 'serverless deploy --config serverless.ts', 'apps/svc', 'serverless'],
    ['wrangler.toml', 'wrangler deploy --config wrangler.toml', 'apps/svc', 'cloudflare'],
    ['wrangler.jsonc', 'wrangler deploy --config wrangler.jsonc', 'apps/svc', 'cloudflare'],
    ['vercel.json', 'vercel deploy --prod --yes', 'apps/svc', 'vercel'],
    ['netlify.toml', 'netlify deploy --prod', 'apps/svc', 'netlify'],
    ['app.yaml', 'gcloud app deploy apps/svc/app.yaml --quiet', undefined, 'gcloud'],
    ['Chart.yaml', 'helm upgrade --install svc apps/svc --wait', undefined, 'helm'],
    ['cdk.json', 'cdk deploy --all --require-approval never', 'apps/svc', 'aws-cdk'],
    ['Procfile', 'node -e', undefined, 'procfile'],
  ];
  it.each(markers)('infers the deploy command for %s', async (marker, command, cwd, technology) => {
    write({ 'apps/svc/project.json': project('svc'), [`apps/svc/${marker}`]: 'x' });
    const deploy = (await run())['apps/svc'].deploy;
    expect(commandOf(deploy)?.startsWith(command)).toBe(true);
    expect(deploy.options.cwd).toBe(cwd);
    expect(deploy.metadata?.technologies).toEqual([technology]);
    expect(deploy.dependsOn).toEqual(['build']);
  });

  it('builds without pushing when docker.push is false, with the image name template', async () => {
    write({ 'apps/api/project.json': project('@acme/API'), 'apps/api/Dockerfile': 'FROM x' });
    const deploy = (await run({ docker: { push: false, imageName: 'shop-{projectName}' } }))['apps/api'].deploy;
    expect(commandOf(deploy)).toBe(
      'docker build -f apps/api/Dockerfile -t shop-acme/api:"${LOCKSTEP_SHA:-$(git rev-parse HEAD)}" .',
    );
  });

  it.each([
    [['fly.toml', 'Dockerfile'], 'fly deploy'],
    [['Dockerfile', 'Procfile'], 'docker build'],
    [['Chart.yaml', 'Dockerfile'], 'helm upgrade'],
    [['serverless.yml', 'Dockerfile', 'Procfile'], 'serverless deploy'],
    [['vercel.json', 'netlify.toml'], 'vercel deploy'],
  ])('picks one deploy command by precedence for %j', async (files, command) => {
    write({ 'apps/svc/project.json': project('svc'), ...Object.fromEntries(files.map((f) => [`apps/svc/${f}`, 'x'])) });
    const targets = (await run())['apps/svc'];
    expect(Object.keys(targets).sort()).toEqual(['affected-deploy', 'deploy']);
    expect(commandOf(targets.deploy)).toContain(command);
  });

  it('ignores a marker in a nested folder unless a glob names it', async () => {
    write({ 'apps/worker/project.json': project('worker'), 'apps/worker/deploy/Dockerfile': 'FROM x' });
    expect(await run()).toEqual({});

    const targets = await run({ markers: ['deploy/Dockerfile'] });
    expect(commandOf(targets['apps/worker'].deploy)).toContain('docker build -f apps/worker/deploy/Dockerfile');
  });

  it('drops default markers with excludeMarkers', async () => {
    write({ 'apps/web/project.json': project('web'), 'apps/web/Procfile': 'web: node main.js' });
    expect(Object.keys(await run())).toEqual(['apps/web']);
    expect(await run({ excludeMarkers: ['Procfile'] })).toEqual({});
  });

  it('fails loudly at deploy time for a marker with no known command', async () => {
    write({ 'apps/web/project.json': project('web'), 'apps/web/Procfile': 'web: node main.js' });
    const command = commandOf((await run())['apps/web'].deploy)!;
    const result = spawnSync('sh', ['-c', command], { cwd: workspaceRoot, encoding: 'utf-8' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('nx-lockstep cannot infer how to deploy web');
    expect(result.stderr).toContain('apps/web/project.json');
  });

  it('includes and excludes projects by name glob', async () => {
    write({
      'apps/api/project.json': project('api'),
      'apps/api/Dockerfile': 'x',
      'apps/web-shop/project.json': project('web-shop'),
      'apps/web-shop/Dockerfile': 'x',
      'apps/web-e2e/project.json': project('web-e2e'),
      'apps/web-e2e/Dockerfile': 'x',
    });
    expect(Object.keys(await run({ include: ['web-*'] })).sort()).toEqual(['apps/web-e2e', 'apps/web-shop']);
    expect(Object.keys(await run({ exclude: ['*-e2e'] })).sort()).toEqual(['apps/api', 'apps/web-shop']);
    expect(Object.keys(await run({ include: ['web-*'], exclude: ['*-e2e'] }))).toEqual(['apps/web-shop']);
  });

  it('uses renamed target names', async () => {
    write({ 'apps/api/project.json': project('api'), 'apps/api/Dockerfile': 'x' });
    const targets = (await run({ deployTargetName: 'ship', affectedDeployTargetName: 'ship-if-affected' }))['apps/api'];
    expect(Object.keys(targets).sort()).toEqual(['ship', 'ship-if-affected']);
    expect(targets['ship-if-affected'].metadata?.description).toContain('api:ship');
  });

  it("never replaces a user's own deploy target, and such a project is deployable", async () => {
    write({
      'apps/api/project.json': project('api', { targets: { deploy: { command: 'my-deploy' } } }),
      'apps/api/Dockerfile': 'x',
      'apps/jobs/project.json': project('jobs', { targets: { deploy: { command: 'kubectl apply -f jobs' } } }),
    });
    const targets = await run();
    expect(Object.keys(targets['apps/api'])).toEqual(['affected-deploy']);
    expect(Object.keys(targets['apps/jobs'])).toEqual(['affected-deploy']);
  });

  it('treats a package.json "deploy" script of a workspace package as its own deploy target', async () => {
    write({
      'package.json': { name: 'ws', private: true, workspaces: ['packages/*'] },
      'packages/site/package.json': { name: '@acme/site', scripts: { deploy: 'netlify deploy' } },
      'packages/site/netlify.toml': 'x',
    });
    expect(await run()).toEqual({ 'packages/site': { 'affected-deploy': expect.any(Object) } });
  });

  it('makes a project tagged "deployable" deployable, with a placeholder deploy', async () => {
    write({
      'apps/batch/project.json': project('batch', { tags: ['deployable', 'scope:ops'] }),
      'package.json': { name: 'ws', workspaces: ['packages/*'] },
      'packages/cron/package.json': { name: 'cron', nx: { tags: ['deployable'] } },
    });
    const targets = await run();
    expect(Object.keys(targets).sort()).toEqual(['apps/batch', 'packages/cron']);
    expect(targets['apps/batch'].deploy.metadata?.description).toContain('Placeholder');
  });

  it('only treats package.json files Nx sees as projects', async () => {
    write({
      // Root package.json without "nx": not a project, even with a Dockerfile beside it.
      'package.json': { name: 'ws', private: true, workspaces: ['packages/*', '!packages/legacy'] },
      Dockerfile: 'FROM x',
      'packages/site/package.json': { name: 'site' },
      'packages/site/vercel.json': '{}',
      'packages/legacy/package.json': { name: 'legacy' },
      'packages/legacy/Dockerfile': 'x',
      'tools/scripts/package.json': { name: 'scripts' },
      'tools/scripts/Dockerfile': 'x',
      'apps/api/project.json': project('api'),
      'apps/api/package.json': { name: 'api' },
      'apps/api/Dockerfile': 'x',
    });
    expect(Object.keys(await run()).sort()).toEqual(['apps/api', 'packages/site']);
  });

  it('treats the workspace root as a project when its package.json has an "nx" field', async () => {
    write({ 'package.json': { name: 'monolith', nx: {} }, Dockerfile: 'FROM x' });
    const deploy = (await run())['.'].deploy;
    expect(commandOf(deploy)).toContain('docker build -f Dockerfile -t monolith:');
  });

  it('adds lockstep-report and lockstep-graph to a root project, and invents no root project where there is none', async () => {
    write({ 'package.json': { name: 'ws', private: true }, 'apps/api/project.json': project('api') });
    expect(Object.keys(await run())).not.toContain('.');
    write({ 'project.json': project('workspace') });
    const root = (await run())['.'];
    expect(Object.keys(root).sort()).toEqual(['lockstep-graph', 'lockstep-report']);
    expect(root['lockstep-report']).toEqual({
      executor: 'nx:run-commands',
      cache: false,
      options: { command: 'lockstep report', cwd: '{workspaceRoot}' },
      metadata: expect.objectContaining({ technologies: ['nx-lockstep'] }),
    });
    // The HTML file is the target's declared output; `--out` (an option Nx forwards) moves both.
    expect(root['lockstep-graph']).toEqual({
      executor: 'nx:run-commands',
      cache: false,
      options: { command: 'lockstep graph', cwd: '{workspaceRoot}', out: 'dist/lockstep-graph.html' },
      outputs: ['{options.out}'],
      metadata: expect.objectContaining({
        technologies: ['nx-lockstep'],
        description: expect.stringContaining('one offline HTML file (dist/lockstep-graph.html'),
      }),
    });
    // A root package.json with an "nx" field is a project too: a root deployable keeps its deploy.
    rmSync(join(workspaceRoot, 'project.json'));
    write({ 'package.json': { name: 'monolith', nx: {} }, Dockerfile: 'FROM x' });
    expect(Object.keys((await run())['.']).sort()).toEqual([
      'affected-deploy',
      'deploy',
      'lockstep-graph',
      'lockstep-report',
    ]);
    // A root package.json without "nx" is no project: neither target is inferred.
    write({ 'package.json': { name: 'ws', private: true } });
    expect(Object.keys(await run())).not.toContain('.');
  });

  it('collects the errors of many projects and still returns the good ones', async () => {
    write({
      'apps/a/project.json': '{ "name": "a", ',
      'apps/b/project.json': '{ not json',
      'apps/c/project.json': project('c'),
      'apps/c/fly.toml': 'x',
    });
    const error = await createNodesV2[1](configFiles(), {}, { workspaceRoot, nxJsonConfiguration: {} }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AggregateCreateNodesError);
    const aggregate = error as AggregateCreateNodesError;
    expect(aggregate.errors.map(([file]) => file).sort()).toEqual(['apps/a/project.json', 'apps/b/project.json']);
    expect(aggregate.errors[0][1].message).toMatch(/nx-lockstep: cannot read apps\/[ab]\/project.json/);
    expect(Object.keys(targetsByRoot(aggregate.partialResults))).toEqual(['apps/c']);
  });

  it('rejects invalid options with a message naming the option', async () => {
    write({ 'apps/api/project.json': project('api') });
    await expect(run({ markers: ['{Dockerfile'] } as LockstepPluginOptions)).rejects.toThrow(
      /option "markers\[0\]".*never closed/,
    );
  });
});

describe('createNodesV2: cache', () => {
  // Beside the analysis's caches, in the folder the generated pipelines restore.
  const cacheDir = () => join(workspaceRoot, '.nx', 'workspace-data', 'nx-lockstep');
  const cacheFiles = () =>
    existsSync(cacheDir())
      ? readdirSync(cacheDir())
          .filter((f) => /^inference-.*\.json$/.test(f))
          .map((f) => join(cacheDir(), f))
      : [];
  /** Rewrites every cached inference, so a result read from the cache is recognisable. */
  const poisonCache = () => {
    for (const file of cacheFiles()) {
      const cache = JSON.parse(readFileSync(file, 'utf-8'));
      for (const entry of Object.values<any>(cache)) if (entry) entry.targets.deploy.options.command = 'from-cache';
      writeFileSync(file, JSON.stringify(cache));
    }
  };

  it('writes the cache in the workspace data directory and reads it on the next run', async () => {
    write({
      'apps/api/project.json': project('api'),
      'apps/api/fly.toml': 'x',
      'libs/util/project.json': project('util'),
    });
    await run();
    expect(cacheFiles()).toHaveLength(1);
    const cached = JSON.parse(readFileSync(cacheFiles()[0], 'utf-8'));
    expect(Object.values(cached).filter(Boolean)).toHaveLength(1); // api inferred, util cached as "not deployable"
    expect(Object.values(cached)).toHaveLength(2);

    poisonCache();
    expect(commandOf((await run())['apps/api'].deploy)).toBe('from-cache');

    // A change to what the inference reads misses the cache.
    write({ 'apps/api/Dockerfile': 'x' });
    expect(commandOf((await run())['apps/api'].deploy)).toBe('fly deploy --config apps/api/fly.toml');
  });

  it('writes the cache only when a project changed, and removes the files earlier versions kept outside the folder', async () => {
    write({ 'apps/api/project.json': project('api'), 'apps/api/fly.toml': 'x' });
    await run();
    const [file] = cacheFiles();
    // Earlier versions' files: this version's hash and another version's.
    const data = join(workspaceRoot, '.nx', 'workspace-data');
    const earlier = [basename(file).replace(/^inference-(.*)\.json$/, 'nx-lockstep-$1.hash'), 'nx-lockstep-123.hash'];
    for (const name of earlier) writeFileSync(join(data, name), '{}');
    writeFileSync(join(data, 'nx-other-plugin.hash'), '{}');
    const written = statSync(file).mtimeMs;
    utimesSync(file, new Date(written - 60_000), new Date(written - 60_000));
    const before = statSync(file).mtimeMs;
    await run();
    expect(statSync(file).mtimeMs).toBe(before); // nothing changed: not written
    expect(earlier.every((name) => existsSync(join(data, name)))).toBe(true);

    write({ 'libs/util/project.json': project('util') });
    await run();
    expect(statSync(file).mtimeMs).not.toBe(before);
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf-8')))).toHaveLength(2);
    expect(earlier.some((name) => existsSync(join(data, name)))).toBe(false);
    expect(existsSync(join(data, 'nx-other-plugin.hash'))).toBe(true); // not ours
  });

  it('marks its file used once a day, and removes those of other versions or options unused for 14 days when it writes', async () => {
    write({ 'apps/api/project.json': project('api'), 'apps/api/fly.toml': 'x' });
    await run();
    const [file] = cacheFiles();
    const day = 24 * 60 * 60 * 1000;
    const ago = (days: number) => new Date(Date.now() - days * day);
    utimesSync(file, ago(3), ago(3));
    await run(); // read, not written: marked used
    expect(Date.now() - statSync(file).mtimeMs).toBeLessThan(day);

    const stale = join(cacheDir(), 'inference-111.json');
    const recent = join(cacheDir(), 'inference-222.json');
    const other = join(cacheDir(), 'other-plugin.json');
    for (const path of [stale, recent, other]) writeFileSync(path, '{}');
    utimesSync(stale, ago(20), ago(20));
    utimesSync(other, ago(20), ago(20));
    utimesSync(recent, ago(10), ago(10));
    await run(); // nothing changed: nothing written, nothing removed
    expect(existsSync(stale)).toBe(true);
    write({ 'libs/util/project.json': project('util') });
    await run();
    expect(existsSync(stale)).toBe(false);
    expect([recent, other, file].every((path) => existsSync(path))).toBe(true);
  });

  it('keys the cache by options', async () => {
    write({ 'apps/api/project.json': project('api'), 'apps/api/Dockerfile': 'x' });
    await run();
    poisonCache();
    expect(commandOf((await run({ docker: { registry: 'ghcr.io/acme' } }))['apps/api'].deploy)).toContain(
      'ghcr.io/acme/api',
    );
    expect(cacheFiles()).toHaveLength(2);
  });

  it('neither reads nor writes the cache when NX_CACHE_PROJECT_GRAPH=false', async () => {
    write({ 'apps/api/project.json': project('api'), 'apps/api/fly.toml': 'x' });
    await run();
    poisonCache();
    process.env.NX_CACHE_PROJECT_GRAPH = 'false';
    expect(commandOf((await run())['apps/api'].deploy)).toBe('fly deploy --config apps/api/fly.toml');
    rmSync(join(workspaceRoot, '.nx'), { recursive: true });
    await run();
    expect(cacheFiles()).toEqual([]);
  });
});
