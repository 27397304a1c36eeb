import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import parseDot from 'dotparser';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM,
  createWorkspaceFromExample,
  DEPLOYABLES,
  launchChromium,
  LIBRARIES,
  missingToolMessage,
  parseMermaid,
  REPO_ROOT,
  type Workspace,
} from './support';

/**
 * A fresh machine has Node and git only: the browser tests are skipped there with how to run them
 * (.ci/run installs chromium and requires it).
 */
const NO_BROWSER = missingToolMessage(CHROMIUM);
/** Screenshots kept as test artefacts (gitignored). */
const ARTEFACTS = join(REPO_ROOT, 'e2e', 'artefacts');
/** The browser runs beside nx on a loaded 2-CPU machine: waits are generous. */
const BROWSER_WAIT = 120_000;

/**
 * `lockstep graph` on the shop example, with the packed plugin: the HTML in a real Chromium from
 * file:// (no request leaves the page; a library's highlighted deployables are what the engine
 * decides when that library changes; an affected deployable shows `lockstep explain`'s text;
 * search), Mermaid checked by Mermaid's own parser in the same browser, DOT by a DOT parser.
 */
describe('lockstep graph', () => {
  let ws: Workspace;
  let browser: Browser;
  let base: string;
  const lockstep = (...args: string[]) => ws.run([join(ws.root, 'node_modules', '.bin', 'lockstep'), ...args]).stdout;

  beforeAll(async () => {
    ws = createWorkspaceFromExample({ name: 'graph', init: true });
    // The example's last commit changes a hub library's function that only orders-api calls
    // (the commits after it add and register the plugin).
    base = ws.git('rev-parse', `${ws.commits.at(-1)!.sha}~1`);
    if (NO_BROWSER) console.warn(`\n[skipped] ${NO_BROWSER}\n`);
    else browser = await launchChromium();
    mkdirSync(ARTEFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    ws?.remove();
  });

  /** Opens a file from file://, recording every request; anything but the file itself is aborted. */
  async function open(file: string): Promise<{ page: Page; requests: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, offline: true });
    const requests: string[] = [];
    await context.route('**/*', (route) => {
      requests.push(route.request().url());
      return route.request().url() === `file://${file}` ? route.continue() : route.abort();
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`file://${file}`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: BROWSER_WAIT });
    expect(errors).toEqual([]);
    return { page, requests };
  }

  const highlighted = (page: Page, cls: string) =>
    page.$$eval(`#nodes .node.${cls}`, (nodes) => nodes.map((node) => node.getAttribute('data-id')).sort());

  it.skipIf(NO_BROWSER)(
    'HTML: opens offline, a library shows the deployables the engine redeploys for it, an affected deployable its explanation, search finds',
    async () => {
      const out = join(ws.root, 'dist', 'graph.html');
      expect(lockstep('graph', '--base', base, '--out', out)).toMatch(
        /^wrote dist\/graph\.html \(html, 4 deployables, 7 libraries, \d+ KiB\)\n$/,
      );
      const html = readFileSync(out, 'utf8');
      expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
      const { page, requests } = await open(out);

      // Every project drawn, grouped by the example's scope tags.
      expect(
        (await page.$$eval('#nodes .node', (nodes) => nodes.map((n) => n.getAttribute('data-id')))).sort(),
      ).toEqual([...DEPLOYABLES, ...LIBRARIES].sort());
      expect(await highlighted(page, 'affected')).toEqual(['orders-api']);

      // A library: the deployables highlighted are the engine's own answer to "this library changed".
      const library = 'orders-contracts';
      await page.click(`#nodes .node[data-id="${library}"]`);
      const symbolShown = await highlighted(page, 'hl-symbol');
      const projectOnlyShown = await highlighted(page, 'hl-project');
      const listed = (role: string) =>
        page.$$eval(`#details ul[data-role="${role}"] li:not([data-none])`, (items) =>
          items.map((item) => item.textContent),
        );
      expect(await listed('symbol')).toEqual(symbolShown);
      expect((await listed('project')).sort()).toEqual([...symbolShown, ...projectOnlyShown].sort());
      const engine = engineBlastRadius(library);
      expect(symbolShown).toEqual(engine.file);
      expect([...symbolShown, ...projectOnlyShown].sort()).toEqual(engine.project);
      // The example's point: Nx redeploys more for this library than runtime use does.
      expect(engine.project.length).toBeGreaterThan(engine.file.length);

      // An affected deployable: the same text `lockstep explain` prints.
      await page.click('#nodes .node[data-id="orders-api"]');
      const explanation = await page.textContent('#explanation');
      expect(explanation).toBe(lockstep('explain', 'orders-api', '--base', base));
      expect(explanation).toContain('orders-api: AFFECTED');
      expect(await page.textContent('#details [data-role="status"]')).toMatch(/^AFFECTED: /);

      // Search: typing marks the matches, Enter selects the first one.
      await page.fill('#search', 'email');
      expect(await highlighted(page, 'match')).toEqual(['email-templates', 'email-worker']);
      await page.press('#search', 'Enter');
      expect(await page.getAttribute('#details', 'data-selected')).toBe('email-templates');

      // Keyboard: an arrow moves to the nearest project that way (email-worker sits above email-templates).
      await page.keyboard.press('ArrowUp');
      expect(await page.getAttribute('#details', 'data-selected')).toBe('email-worker');
      // Keyboard: Escape clears the selection; the deployables-only view collapses libraries per group.
      await page.keyboard.press('Escape');
      expect(await page.getAttribute('#details', 'data-selected')).toBeNull();
      await page.click('#view-deployables');
      const viewNodes = await page.$$eval('#view .node', (nodes) => nodes.map((n) => n.getAttribute('aria-label')));
      expect(viewNodes).toEqual(expect.arrayContaining([...DEPLOYABLES, 'shared · 4 libraries']));
      await page.click('#view-full');

      await page.click(`#nodes .node[data-id="${library}"]`);
      await page.screenshot({ path: join(ARTEFACTS, 'graph-example.png') });
      expect(requests).toEqual([`file://${out}`]);
      await page.context().close();
    },
    BROWSER_WAIT * 3,
  );

  it.skipIf(NO_BROWSER)('Mermaid: deployables only, accepted by Mermaid’s parser, as snapshotted', async () => {
    const text = lockstep('graph', '--format', 'mermaid', '--base', base);
    await expect(text).toMatchFileSnapshot('./__snapshots__/graph-example.mmd');
    for (const library of LIBRARIES) expect(text).not.toContain(`"${library}"`);
    expect(await parseMermaid(browser, text)).toEqual({ ok: true, type: 'flowchart-v2' });
  });

  it('DOT: the full graph in clusters, parsed by a DOT parser, as snapshotted', async () => {
    const text = lockstep('graph', '--format', 'dot', '--base', base);
    await expect(text).toMatchFileSnapshot('./__snapshots__/graph-example.dot');
    const [graph] = parseDot(text);
    const clusters = graph.children.filter((child) => child.type === 'subgraph');
    const names = clusters.flatMap((cluster) =>
      cluster.type === 'subgraph'
        ? cluster.children.flatMap((child) => (child.type === 'node_stmt' ? [String(child.node_id.id)] : []))
        : [],
    );
    expect(names.sort()).toEqual([...DEPLOYABLES, ...LIBRARIES].sort());
    expect(graph.children.filter((child) => child.type === 'edge_stmt').length).toBeGreaterThan(10);
  });

  /**
   * The engine's blast radius of a library, found by changing it: a commit that adds a runtime
   * export to every source file of the library, decided at file precision (runtime reach) and at
   * project precision (Nx), then undone.
   */
  function engineBlastRadius(library: string): { file: string[]; project: string[] } {
    const before = ws.git('rev-parse', 'HEAD');
    const sources = ws
      .git('ls-files', `libs/${library}/src`)
      .split('\n')
      .filter((file) => /\.ts$/.test(file) && !/\.spec\.ts$/.test(file));
    sources.forEach((file, index) =>
      writeFileSync(join(ws.root, file), `${ws.read(file)}\nexport const lockstepTouch${index} = ${index};\n`),
    );
    ws.commitAll(`touch ${library}`);
    const affectedAt = (precision: string) =>
      (
        JSON.parse(lockstep('affected', '--base', before, '--precision', precision, '--json')) as {
          deployables: { project: string; affected: boolean }[];
        }
      ).deployables
        .filter((decision) => decision.affected)
        .map((decision) => decision.project)
        .sort();
    try {
      return { file: affectedAt('file'), project: affectedAt('project') };
    } finally {
      ws.git('reset', '-q', '--hard', before);
    }
  }
});
