import { addProjectConfiguration, logger, readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { initGenerator, runInit } from './init';

describe('init generator', () => {
  let tree: Tree;
  let logged: string[];

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
    logged = [];
    vi.spyOn(logger, 'info').mockImplementation((message: unknown) => void logged.push(String(message)));
  });
  afterEach(() => vi.restoreAllMocks());

  function addApp(name: string, root: string, files: Record<string, string> = {}, extra: object = {}) {
    addProjectConfiguration(tree, name, { root, ...extra });
    for (const [file, content] of Object.entries(files)) tree.write(`${root}/${file}`, content);
  }

  it('registers the plugin in nx.json once, whatever form an existing entry has', async () => {
    const first = await runInit(tree, { skipFormat: true });
    expect(first.registered).toBe(true);
    expect(readNxJson(tree)?.plugins).toEqual([{ plugin: 'nx-lockstep', options: {} }]);

    const second = await runInit(tree, { skipFormat: true });
    expect(second.registered).toBe(false);
    expect(readNxJson(tree)?.plugins).toEqual([{ plugin: 'nx-lockstep', options: {} }]);

    const nxJson = readNxJson(tree)!;
    updateNxJson(tree, { ...nxJson, plugins: ['@nx/js', 'nx-lockstep'] });
    await runInit(tree, { skipFormat: true });
    expect(readNxJson(tree)?.plugins).toEqual(['@nx/js', 'nx-lockstep']);
  });

  it('returns no follow-up task to Nx and formats by default', async () => {
    addApp('api', 'apps/api', { Dockerfile: 'FROM x' });
    await expect(initGenerator(tree, {})).resolves.toBeUndefined();
    expect(readNxJson(tree)?.plugins).toEqual([{ plugin: 'nx-lockstep', options: {} }]);
  });

  it('keeps the rest of nx.json and other plugins', async () => {
    const nxJson = readNxJson(tree)!;
    updateNxJson(tree, { ...nxJson, plugins: [{ plugin: '@nx/js/typescript', options: { build: false } }] });
    await runInit(tree, { skipFormat: true });
    const after = readNxJson(tree)!;
    expect(after.plugins).toEqual([
      { plugin: '@nx/js/typescript', options: { build: false } },
      { plugin: 'nx-lockstep', options: {} },
    ]);
    expect(after.targetDefaults).toEqual(nxJson.targetDefaults);
  });

  it('prints the deployables it found and the marker each was found by', async () => {
    addApp('api', 'apps/api', { Dockerfile: 'FROM node:20', 'src/main.ts': '' });
    addApp('web', 'apps/web', { 'fly.toml': 'app = "web"', Dockerfile: 'FROM x' });
    addApp('batch', 'apps/batch', {}, { tags: ['deployable'] });
    addApp('jobs', 'apps/jobs', {}, { targets: { deploy: { command: 'kubectl apply -f k8s' } } });
    addApp('util', 'libs/util', { 'index.ts': '' });
    addApp('nested', 'apps/nested', { 'deploy/Dockerfile': 'FROM x' });

    const result = await runInit(tree, { skipFormat: true });
    expect(result.deployables.map((d) => [d.project, d.via, d.markers.map((m) => m.file)])).toEqual([
      ['api', 'marker', ['Dockerfile']],
      ['batch', 'tag', []],
      ['jobs', 'deploy-target', []],
      ['web', 'marker', ['fly.toml', 'Dockerfile']],
    ]);
    const output = logged.join('\n');
    expect(output).toContain('registered the plugin in nx.json');
    expect(output).toContain('found 4 deployable project(s)');
    expect(output).toMatch(/api \(apps\/api\) by Dockerfile: Deploy api: docker build and docker push api/);
    expect(output).toMatch(/web \(apps\/web\) by fly.toml, Dockerfile: Deploy web: fly deploy/);
    expect(output).toContain('batch (apps/batch) by tag "deployable"');
    expect(output).toContain(`jobs (apps/jobs) by its own "deploy" target: its own "deploy" target is kept`);
    expect(output).not.toContain('util');
  });

  it('applies the options already in nx.json (nested marker globs, exclude)', async () => {
    addApp('nested', 'apps/nested', { 'deploy/Dockerfile': 'FROM x' });
    addApp('api-e2e', 'apps/api-e2e', { Dockerfile: 'FROM x' });
    const nxJson = readNxJson(tree)!;
    updateNxJson(tree, {
      ...nxJson,
      plugins: [{ plugin: 'nx-lockstep', options: { markers: ['deploy/Dockerfile'], exclude: ['*-e2e'] } }],
    });

    const result = await runInit(tree, { skipFormat: true });
    expect(result.deployables.map((d) => [d.project, d.markers.map((m) => m.file)])).toEqual([
      ['nested', ['deploy/Dockerfile']],
    ]);
  });

  it('infers Dockerfiles outside the apps that name one project, and says how to declare the others', async () => {
    addApp('billing', 'apps/billing');
    addApp('@acme/mailer', 'services/mailer');
    addApp('site', 'apps/site', { 'vercel.ts': 'export const config = {};' });
    addApp('shared', 'libs/shared');
    addApp('shared-app', 'apps/shared');
    tree.write('.deploy/billing/Dockerfile', 'FROM x');
    tree.write('deploy/mailer.Dockerfile', 'FROM x');
    tree.write('docker/shared/Dockerfile', 'FROM x');

    const result = await runInit(tree, { skipFormat: true });
    expect(result.deployables.map((d) => [d.project, d.markers.map((m) => m.file)])).toEqual([
      ['@acme/mailer', ['deploy/mailer.Dockerfile']],
      ['billing', ['.deploy/billing/Dockerfile']],
      ['site', ['vercel.ts']],
    ]);
    expect(result.unassigned.map((u) => u.file)).toEqual(['docker/shared/Dockerfile']);
    const output = logged.join('\n');
    expect(output).toMatch(/billing \(apps\/billing\) by \.deploy\/billing\/Dockerfile: Deploy billing: docker build/);
    expect(output).toContain('docker/shared/Dockerfile: "shared" could be shared or shared-app');
    expect(output).toContain('tag the project "deployable"');
  });

  it('says so when nothing is deployable', async () => {
    addApp('util', 'libs/util', { 'index.ts': '' });
    const result = await runInit(tree, { skipFormat: true });
    expect(result.deployables).toEqual([]);
    expect(logged.join('\n')).toContain('no deployable projects found');
    expect(logged.join('\n')).toContain('.deploy/<project>/Dockerfile');
  });

  it('fails on invalid options already in nx.json, naming the option', async () => {
    const nxJson = readNxJson(tree)!;
    updateNxJson(tree, { ...nxJson, plugins: [{ plugin: 'nx-lockstep', options: { precision: 'line' } }] });
    await expect(runInit(tree, { skipFormat: true })).rejects.toThrow(/option "precision".*got "line"/);
  });
});
