/**
 * `lockstep report` end to end on the example shop with the packed plugin and the real nx
 * binary: the JSON against its schema, SARIF 2.1.0 against the SARIF schema, the Markdown
 * comment's graph through Mermaid's own parser (in Chromium, as the graph e2e does), and the
 * inferred `lockstep-report` and `lockstep-graph` targets run by `nx run` on a root project.
 * Writes the real outputs to $LOCKSTEP_E2E_HOME/report-output/ (docs/report.md and the README show them).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import {
  CHROMIUM,
  createWorkspaceFromExample,
  DEPLOYABLES,
  E2E_HOME,
  launchChromium,
  LIBRARIES,
  mermaidBlocks,
  missingToolMessage,
  parseMermaid,
  REPO_ROOT,
  type Workspace,
} from './support';

/** Without Chromium (a machine with Node and git only) the Mermaid parse is skipped, saying how to run it. */
const NO_BROWSER = missingToolMessage(CHROMIUM);

const LOCKSTEP = ['node', 'node_modules/nx-lockstep/bin/lockstep.js'];
const SCHEMAS = join(REPO_ROOT, 'packages/nx-lockstep/schema');

function schemaValidator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  ajv.addSchema(JSON.parse(readFileSync(join(SCHEMAS, 'affected-result.schema.json'), 'utf8')));
  return ajv.compile(JSON.parse(readFileSync(join(SCHEMAS, 'coupling-report.schema.json'), 'utf8')));
}

function sarifValidator() {
  const schema = join(REPO_ROOT, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');
  const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(schema, 'utf8')));
}

describe('lockstep report on the example shop (packed plugin, real nx)', () => {
  let ws: Workspace;
  let browser: Browser | undefined;
  const out = join(E2E_HOME, 'report-output');

  beforeAll(async () => {
    ws = createWorkspaceFromExample({ name: 'report', init: true });
    mkdirSync(out, { recursive: true });
    if (NO_BROWSER) console.warn(`\n[skipped] ${NO_BROWSER}\n`);
    else browser = await launchChromium();
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    ws?.remove();
  });

  it('JSON conforms to its schema and names the cross-app import', () => {
    const first = ws.commits[0].sha;
    const json = ws.run([...LOCKSTEP, 'report', '--base', first, '--format', 'json']).stdout;
    const report = JSON.parse(json);
    const validate = schemaValidator();
    expect(validate(report) ? [] : validate.errors).toEqual([]);
    expect(report.deployableImports.length).toBeGreaterThan(0);
    expect(report.decisions.deployables.length).toBe(4);
    // For the docs: the example's last commit (one hub-library function only orders-api calls),
    // by the shas README.md cites, so a reader can rerun it on `npm run demo`'s workspace.
    const range = ['--base', ws.commits.at(-2)!.sha, '--head', ws.commits.at(-1)!.sha];
    for (const format of ['text', 'markdown', 'json'])
      writeFileSync(
        join(out, `report.${{ text: 'txt', markdown: 'md', json: 'json' }[format]}`),
        ws.run([...LOCKSTEP, 'report', ...range, '--format', format]).stdout,
      );
  });

  it.skipIf(NO_BROWSER)(
    'Markdown: the graph section is `lockstep graph --format mermaid` for the same range, and Mermaid parses it',
    async () => {
      const range = ['--base', ws.commits.at(-2)!.sha, '--head', ws.commits.at(-1)!.sha];
      const markdown = ws.run([...LOCKSTEP, 'report', ...range, '--format', 'markdown']).stdout;
      const [diagram, ...others] = mermaidBlocks(markdown);
      expect(others).toEqual([]);
      expect(markdown).toContain('<details><summary>Graph: what deploys together');
      expect(diagram).toBe(ws.run([...LOCKSTEP, 'graph', ...range, '--format', 'mermaid']).stdout);
      for (const deployable of DEPLOYABLES) expect(diagram).toContain(`(["${deployable}"])`);
      for (const library of LIBRARIES) expect(diagram).not.toContain(`"${library}"`);
      expect(await parseMermaid(browser!, diagram)).toEqual({ ok: true, type: 'flowchart-v2' });
      // The parser really checks: a broken diagram is refused.
      expect((await parseMermaid(browser!, diagram.replace('flowchart LR', 'flowchart LR\n  n0 -->'))).ok).toBe(false);
    },
  );

  it('SARIF is valid SARIF 2.1.0', () => {
    const sarif = JSON.parse(ws.run([...LOCKSTEP, 'report', '--format', 'sarif']).stdout);
    const validate = sarifValidator();
    expect(validate(sarif) ? [] : validate.errors).toEqual([]);
    expect(sarif.runs[0].results.some((result: { ruleId: string }) => result.ruleId === 'deployable-import')).toBe(
      true,
    );
  });

  it('the gate exits 3 until the baseline accepts the findings', () => {
    const failed = ws.run([...LOCKSTEP, 'report', '--fail-on', 'deployable-import'], { allowFailure: true });
    expect(failed.code).toBe(3);
    expect(failed.stderr).toContain('the coupling gate failed');
    ws.run([...LOCKSTEP, 'report', '--update-baseline']);
    expect(ws.run([...LOCKSTEP, 'report', '--fail-on', 'deployable-import']).code).toBe(0);
  });

  it('nx run <root>:lockstep-report runs the report through the inferred target; nx sync:check stays clean', () => {
    ws.nx(['g', 'nx-lockstep:pipelines', '--provider=github', '--no-interactive']);
    writeFileSync(join(ws.root, 'project.json'), JSON.stringify({ name: 'shop-workspace', root: '.' }));
    // The root project is no deployable: the generated pipelines are still in sync.
    expect(ws.nx(['sync:check']).code).toBe(0);
    expect(ws.showProjects('deploy')).not.toContain('shop-workspace');
    const project = ws.showProject('shop-workspace') as {
      targets: Record<string, { metadata?: { description?: string } }>;
    };
    expect(project.targets['lockstep-report'].metadata?.description).toContain(
      'Report what makes deployables deploy together',
    );
    const result = ws.nx(['run', 'shop-workspace:lockstep-report', '--format=markdown', '--output-style=static']);
    expect(result.stdout).toContain('## lockstep coupling report');
    expect(result.stdout).toContain('<details><summary>Graph: what deploys together');
    expect(result.stdout).toContain('### 1. Deployable → deployable imports');
  });

  it('nx run <root>:lockstep-graph writes the self-contained HTML to its declared output', () => {
    // The root project of the test above; without it there is no target (create-nodes.spec.ts).
    const project = ws.showProject('shop-workspace') as {
      targets: Record<string, { outputs?: string[]; options?: Record<string, unknown> }>;
    };
    expect(project.targets['lockstep-graph'].outputs).toEqual(['{options.out}']);
    expect(project.targets['lockstep-graph'].options?.out).toBe('dist/lockstep-graph.html');
    const base = ws.commits.at(-2)!.sha;
    const file = join(ws.root, 'dist', 'lockstep-graph.html');
    expect(existsSync(file)).toBe(false);
    ws.nx(['run', 'shop-workspace:lockstep-graph', `--base=${base}`, '--output-style=static']);
    const html = readFileSync(file, 'utf8');
    // One file, nothing fetched: the viewer inlined, the data inlined, a CSP that forbids requests.
    expect(html).toMatch(/^<!doctype html>\n/);
    expect(html).toContain(`content="default-src 'none';`);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    const viewer = readFileSync(join(ws.root, 'node_modules/nx-lockstep/assets/graph-viewer.js'), 'utf8');
    expect(html).toContain(viewer.trim());
    // The root project is a project too (that is why the plugin never invents one): one more library.
    expect(html).toContain(`<title>lockstep graph · ${DEPLOYABLES.length + LIBRARIES.length + 1} projects</title>`);
    expect(html).toContain(`1 of ${DEPLOYABLES.length} deployables affected · ${base.slice(0, 8)}`);
    const data = html.match(/<script type="application\/json" id="graph-data">([\s\S]*?)<\/script>/)![1];
    for (const name of [...DEPLOYABLES, ...LIBRARIES, 'shop-workspace']) expect(data).toContain(`"${name}"`);
    // The target is `lockstep graph` itself: the same bytes as the command writes.
    ws.run([...LOCKSTEP, 'graph', '--base', base, '--out', 'dist/via-cli.html']);
    expect(readFileSync(join(ws.root, 'dist', 'via-cli.html'), 'utf8')).toBe(html);
    // `--out` moves the file, and through {options.out} the output Nx records for the task.
    ws.nx(['run', 'shop-workspace:lockstep-graph', '--out=dist/custom/graph.html', '--output-style=static']);
    expect(readFileSync(join(ws.root, 'dist', 'custom', 'graph.html'), 'utf8')).toMatch(/^<!doctype html>/);
    ws.nx(['run', 'shop-workspace:lockstep-graph', '--out=dist/custom/graph.html', '--graph=dist/tasks.json']);
    const taskGraph = JSON.parse(readFileSync(join(ws.root, 'dist', 'tasks.json'), 'utf8'));
    // The task Nx would run, with the output it resolved from {options.out} (--graph writes it, runs nothing).
    expect(JSON.stringify(taskGraph)).toContain('"outputs":["dist/custom/graph.html"]');
  });
});
