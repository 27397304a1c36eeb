/**
 * `lockstep graph` through `main(argv)` in-process, on the shop fixture with git history: each
 * format, where the HTML goes, and that a deployable's explanation in the HTML is what
 * `lockstep explain` prints.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as nxProjectGraph from '../src/adapters/nx-project-graph';
import { git, type FixtureWorkspace } from './support/fixture-workspace';
import { createShopFixture } from './support/shop-fixture';
import { runCli as run } from './support/run-cli';

describe('lockstep graph', () => {
  let ws: FixtureWorkspace;
  let base: string;

  beforeAll(() => {
    ws = createShopFixture();
    base = git(ws.root, 'rev-parse', 'HEAD');
    ws.commit('change log', {
      'libs/util/src/log.ts': 'export const log = (message: string) => console.error(message);\n',
    });
  });
  afterAll(() => ws?.remove());

  it('mermaid on stdout: the deployables, affected ones marked, libraries collapsed', async () => {
    const { code, stdout, stderr } = await run(ws.root, 'graph', '--format', 'mermaid', '--base', base);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^---\ntitle: "lockstep graph: 2 deployables, 3 libraries, \d affected/);
    expect(stdout).toMatch(/\(\["api"\]\):::(affected|deployable)\n/);
    expect(stdout).toContain('[["libs/ · 3 libraries"]]:::group');
  });

  it('dot on stdout: every project in a cluster', async () => {
    const { code, stdout } = await run(ws.root, 'graph', '--format', 'dot');
    expect(code).toBe(0);
    for (const project of ['api', 'web', 'db', 'util', 'types']) expect(stdout).toContain(`"${project}" [`);
    expect(stdout).toContain('subgraph cluster_');
  });

  it('html: written under dist/ in the workspace root, with the explain text of each deployable', async () => {
    // Before the HTML exists: this fixture does not ignore dist/, and an untracked file adds a warning.
    const explained = await run(ws.root, 'explain', 'api', '--base', base, '--precision', 'file');
    const { code, stdout } = await run(join(ws.root, 'apps', 'api'), 'graph', '--base', base, '--precision', 'file');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^wrote \.\.\/\.\.\/dist\/lockstep-graph\.html \(html, 2 deployables, 3 libraries, \d+ KiB\)\n$/,
    );
    const path = join(ws.root, 'dist', 'lockstep-graph.html');
    expect(existsSync(path)).toBe(true);
    const html = readFileSync(path, 'utf8');
    const payload = JSON.parse(/<script type="application\/json" id="graph-data">(.*?)<\/script>/s.exec(html)![1]);
    const api = payload.nodes.find((node: { id: string }) => node.id === 'api');
    expect(api.x).toBe(explained.stdout);
    expect(api.a).toBe(1);
  });

  it('an unknown format is a usage error naming the choices', async () => {
    const { code, stderr } = await run(ws.root, 'graph', '--format', 'svg');
    expect(code).toBe(2);
    expect(stderr).toContain("argument 'svg' is invalid. Allowed choices are html, mermaid, dot.");
  });

  it('--history: api and web, deployed together by five commits to both their util files, are one lock-step group', async () => {
    for (let index = 1; index <= 5; index++)
      ws.commit(`util ${index}`, {
        'libs/util/src/log.ts': `export const log = (message: string) => console.log(${index}, message);\n`,
        'libs/util/src/pad.ts': `export const pad = (text: string) => \` \${text} ${index}\`;\n`,
      });
    // Nx computes the project graph once: the replay's, reused by the graph's own model.
    const started = vi.spyOn(nxProjectGraph, 'startNxProjectGraph');
    const { code, stdout, stderr } = await run(ws.root, 'graph', '--format', 'dot', '--history', '10');
    expect(started).toHaveBeenCalledTimes(1);
    started.mockRestore();
    expect(code).toBe(0);
    expect(stderr).toBe('');
    for (const project of ['api', 'web'])
      expect(stdout).toMatch(
        new RegExp(`"${project}" \\[[^\\]]*peripheries=2, xlabel="lock-step: api \\+ web \\(\\d+ commits together\\)"`),
      );
    expect(stdout).not.toMatch(/"util" \[[^\]]*peripheries/);
    const bad = await run(ws.root, 'graph', '--format', 'dot', '--history', '1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('expected a whole number of commits of at least 2');
  }, 120_000);
});
