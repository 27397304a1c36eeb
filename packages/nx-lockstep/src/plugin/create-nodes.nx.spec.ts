/**
 * The plugin loaded by the real `nx` binary in a temporary workspace: node_modules linked to this
 * repository's, and a one-line local plugin that loads src/ through @swc-node/register (Nx only
 * transpiles TypeScript plugins that live inside the workspace). Two nx invocations in all.
 * The packed plugin under `"plugin": "nx-lockstep"` is covered by the e2e suite.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = resolve(__dirname, '../../../..');
const pluginEntry = resolve(__dirname, '../index.ts');
const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_ISOLATE_PLUGINS: 'false',
  NX_NO_CLOUD: 'true',
  CI: 'true',
  NX_TUI: 'false',
};

let workspace: string;

function write(files: Record<string, string | object>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(workspace, path)), { recursive: true });
    writeFileSync(join(workspace, path), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
}

function nx(...args: string[]) {
  return spawnSync(process.execPath, [join(repoRoot, 'node_modules/nx/dist/bin/nx.js'), ...args], {
    cwd: workspace,
    env,
    encoding: 'utf-8',
  });
}

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'lockstep-nx-'));
  symlinkSync(join(repoRoot, 'node_modules'), join(workspace, 'node_modules'), 'dir');
  write({
    'package.json': { name: 'ws', private: true, workspaces: ['packages/*'] },
    'nx.json': {
      analytics: false,
      neverConnectToCloud: true,
      plugins: [
        { plugin: './tools/lockstep-plugin.js', options: { docker: { registry: 'ghcr.io/acme' }, exclude: ['*-e2e'] } },
      ],
    },
    'tools/lockstep-plugin.js': `require('@swc-node/register');\nmodule.exports = require(${JSON.stringify(pluginEntry)});\n`,
    'apps/api/project.json': { name: 'api', targets: { build: { command: 'echo building api' } } },
    'apps/api/Dockerfile': 'FROM node:20',
    'apps/api-e2e/project.json': { name: 'api-e2e' },
    'apps/api-e2e/Dockerfile': 'FROM node:20',
    'apps/web/project.json': { name: 'web', targets: { build: { command: 'echo building web' } } },
    'apps/web/Procfile': 'web: node main.js',
    'apps/worker/project.json': { name: 'worker', tags: ['deployable'] },
    'apps/own/project.json': { name: 'own', targets: { deploy: { command: 'echo my own deploy' } } },
    'packages/site/package.json': { name: 'site', scripts: { build: 'echo build' } },
    'packages/site/wrangler.toml': 'name = "site"',
    'libs/util/project.json': { name: 'util' },
    // Deploy files outside the apps they build, named after the app (folder or file name).
    'apps/billing/project.json': { name: 'billing' },
    '.deploy/billing/Dockerfile': 'FROM node:20',
    'services/mailer/project.json': { name: '@acme/mailer' },
    'deploy/mailer.Dockerfile': 'FROM node:20',
    'apps/web-next/project.json': { name: 'web-next' },
    'apps/web-next/vercel.ts': 'export const config = {};',
    // Names two projects (apps/shared and libs/shared): not inferred.
    'apps/shared/project.json': { name: 'shared-app' },
    'libs/shared/project.json': { name: 'shared' },
    'docker/shared/Dockerfile': 'FROM node:20',
  });
  execFileSync('git', ['init', '-q'], { cwd: workspace });
});

afterAll(() => rmSync(workspace, { recursive: true, force: true }));

describe('createNodesV2 under the real nx', () => {
  it('shows deploy and affected-deploy on deployables only, keeping a user deploy', () => {
    const result = nx('graph', '--file=graph.json');
    expect(result.status, result.stderr + result.stdout).toBe(0);
    const graph = JSON.parse(readFileSync(join(workspace, 'graph.json'), 'utf-8')).graph;
    const targets = (name: string) => graph.nodes[name].data.targets as Record<string, any>;

    expect(Object.keys(targets('api')).sort()).toEqual(['affected-deploy', 'build', 'deploy']);
    expect(targets('api').deploy.options.command).toContain('docker build -f apps/api/Dockerfile -t ghcr.io/acme/api:');
    expect(targets('api').deploy.dependsOn).toEqual(['build']);
    expect(targets('api').deploy.metadata.technologies).toEqual(['docker']);
    expect(targets('api')['affected-deploy']).toMatchObject({
      executor: 'nx-lockstep:affected-deploy',
      options: { env: 'production' },
    });
    expect(targets('api')['affected-deploy'].metadata.description).toContain('api:deploy');

    expect(targets('site').deploy.options).toMatchObject({
      command: 'wrangler deploy --config wrangler.toml',
      cwd: 'packages/site',
    });
    expect(Object.keys(targets('worker')).sort()).toEqual(['affected-deploy', 'deploy']);
    expect(targets('own').deploy.options.command).toBe('echo my own deploy');
    expect(Object.keys(targets('own')).sort()).toEqual(['affected-deploy', 'deploy']);
    expect(targets('api-e2e')).not.toHaveProperty('deploy');
    expect(targets('util')).toEqual({});
  });

  it('infers a Dockerfile outside the app that names it, and vercel.ts; not one that names two projects', () => {
    const result = nx('graph', '--file=graph-outside.json');
    expect(result.status, result.stderr + result.stdout).toBe(0);
    const graph = JSON.parse(readFileSync(join(workspace, 'graph-outside.json'), 'utf-8')).graph;
    const targets = (name: string) => graph.nodes[name].data.targets as Record<string, any>;

    expect(targets('billing').deploy.options.command).toContain('docker build -f .deploy/billing/Dockerfile -t');
    expect(targets('billing').deploy.metadata.description).toContain('inferred from .deploy/billing/Dockerfile');
    expect(targets('billing').deploy.inputs).toEqual([
      'default',
      '^default',
      '{workspaceRoot}/.deploy/billing/Dockerfile',
    ]);
    // Nx accepts those inputs: the deploy runs its command (docker may be missing here) rather than failing on them.
    const deploy = nx('run', 'billing:deploy', '--outputStyle=static');
    expect(deploy.stdout + deploy.stderr).toContain('docker build -f .deploy/billing/Dockerfile');
    expect(deploy.stdout + deploy.stderr).not.toMatch(/input/i);
    // Matched by its root's last segment (the name is scoped).
    expect(targets('@acme/mailer').deploy.options.command).toContain('docker build -f deploy/mailer.Dockerfile -t');
    expect(targets('web-next').deploy.options).toMatchObject({ cwd: 'apps/web-next' });
    expect(targets('web-next').deploy.metadata.technologies).toEqual(['vercel']);
    expect(targets('shared-app')).not.toHaveProperty('deploy');
    expect(targets('shared')).not.toHaveProperty('deploy');
  });

  it('runs build first, tolerates a missing build, and fails loudly where it cannot infer a command', () => {
    const result = nx('run-many', '-t', 'deploy', '-p', 'web,worker', '--outputStyle=static');
    const output = result.stdout + result.stderr;
    expect(result.status).not.toBe(0);
    expect(output).toContain('building web');
    expect(output).toContain('nx-lockstep cannot infer how to deploy web: a Procfile says how to run it');
    expect(output).toContain('nx-lockstep cannot infer how to deploy worker: it is tagged deployable');
  });
});
