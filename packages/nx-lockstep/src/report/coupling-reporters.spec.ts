import { describe, expect, it } from 'vitest';
import { BASE_COMMIT } from '../core/model/__fixtures__/in-memory-model';
import { COUPLING_FILES, couplingShop } from '../core/coupling/__fixtures__/coupling-shop';
import { buildCouplingReport } from '../core/coupling/build-coupling-report';
import type { ContractChange } from '../core/coupling/contract-change';
import type { CouplingReport } from '../core/coupling/coupling-report';
import { applyGate } from '../core/coupling/gate';
import { decideAffected } from '../core/affected/decide-affected';
import { parseFailOn } from '../config/fail-on';
import { couplingSchemaErrors } from '../../test/support/result-schema';
import { sarifSchemaErrors } from '../../test/support/sarif-schema';
import { syntheticGraph } from './graph/__fixtures__/synthetic-graph';
import { renderGraph } from './graph-renderers';
import { renderReport } from './reporters';

/** The body of every ```mermaid block of a Markdown text. */
const mermaidBlocks = (markdown: string) =>
  [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((match) => match[1]);

const breaking: ContractChange = {
  project: 'contracts',
  file: 'libs/contracts/src/index.ts',
  line: 1,
  exportName: 'Order',
  kind: 'changed-export',
  breaking: true,
  detail: 'property `id` changed from string to number',
};

function rangeReport(): CouplingReport {
  const model = couplingShop()
    .change({
      'libs/contracts/openapi.yaml': COUPLING_FILES['libs/contracts/openapi.yaml'].replace('1.0.0', '1.1.0'),
      'libs/util/src/text.ts': COUPLING_FILES['libs/util/src/text.ts'].replace('toUpperCase', 'toLocaleUpperCase'),
    })
    .build();
  const decisions = decideAffected(model, { precision: 'symbol', env: 'production' });
  const report = buildCouplingReport(model, { base: BASE_COMMIT, decisions, contractChanges: [breaking] });
  return { ...report, gate: applyGate(report, parseFailOn('deployable-import,breaking-contract'), undefined) };
}

/** A report whose commits look like git's (the schemas check the sha pattern). */
const withShas = (report: CouplingReport): CouplingReport => ({
  ...report,
  head: 'a'.repeat(40),
  graph: report.graph && {
    ...report.graph,
    head: 'a'.repeat(40),
    affected: report.graph.affected && { ...report.graph.affected, head: 'a'.repeat(40) },
  },
  base: 'b'.repeat(40),
  decisions: report.decisions && {
    ...report.decisions,
    head: 'a'.repeat(40),
    deployables: report.decisions.deployables.map((decision) => ({ ...decision, base: 'b'.repeat(40) })),
  },
});

describe('coupling reporters', () => {
  it('text: decisions, the four sections, the gate', async () => {
    await expect(renderReport('report', 'text', rangeReport())).toMatchFileSnapshot(
      '__snapshots__/coupling-report.txt',
    );
  });

  it('markdown: the deploy decisions come first, then the gate, then the sections', async () => {
    const markdown = renderReport('report', 'markdown', rangeReport());
    await expect(markdown).toMatchFileSnapshot('__snapshots__/coupling-report.md');
    const order = [
      '### nx-lockstep: what this change deploys',
      '**Gate**',
      '<details><summary>Graph: what deploys together',
      '### 1.',
      '### 2.',
      '### 3.',
      '### 4.',
    ].map((title) => markdown.indexOf(title));
    expect(order.every((at, index) => at >= 0 && (index === 0 || at > order[index - 1]))).toBe(true);
  });

  it('markdown: the deployables-only graph of `lockstep graph --format mermaid`, collapsed in <details>', () => {
    const report = rangeReport();
    const markdown = renderReport('report', 'markdown', report);
    const [diagram, ...others] = mermaidBlocks(markdown);
    expect(others).toEqual([]);
    // The same renderer as the graph command, on the graph data the report carries (e2e/src/report.spec.ts
    // has Mermaid's own parser read it, in Chromium, as the graph e2e does).
    expect(diagram).toBe(renderGraph('mermaid', report.graph!));
    expect(markdown).toContain(
      `<details><summary>Graph: what deploys together (deployables; libraries collapsed per folder or domain)</summary>\n\n\`\`\`mermaid\n---\n`,
    );
    expect(markdown).toContain('```\n\n</details>\n');
    // Deployables drawn (all three affected), the libraries as one box per folder.
    expect(diagram).toMatch(/n\d+\(\["web"\]\):::affected/);
    expect(diagram).toContain('[["libs/ · 4 libraries"]]:::group');
    expect(diagram).not.toMatch(/"(util|contracts|a|b)"/);
  });

  it('markdown: the graph gets the room the text leaves; collapsed further, or left out, saying why', () => {
    // 200 deployables, 600 libraries in 61 folders: 18.6k characters deployables-only, 5.9k collapsed per group.
    const report = { ...rangeReport(), graph: syntheticGraph(600, 200, 10) };
    const text = renderReport('report', 'markdown', { ...report, graph: undefined }).length;
    const full = renderReport('report', 'markdown', report);
    expect(full.length).toBeLessThan(65_536);
    expect(mermaidBlocks(full)[0]).toMatch(/^---\ntitle: "[^"]+ — deployables with libraries collapsed per group"/);
    // Room for 10k characters of graph: collapsed a step further (deployables per group too), and the title says why.
    const tight = renderReport('report', 'markdown', report, { maxLength: text + 400 + 10_000 });
    expect(tight.length).toBeLessThan(text + 400 + 10_000);
    expect(tight).not.toContain('**Truncated:**');
    const [diagram] = mermaidBlocks(tight);
    expect(diagram).toContain('— deployables and libraries collapsed per group because deployables with libraries');
    expect(diagram).toMatch(
      /would have 461 edges and 18648 characters \(Mermaid accepts at most 500 edges, and the room this comment leaves after its text is \d+ characters\)/,
    );
    expect(diagram).toContain('apps/ · 200 deployables (29 affected)');
    // Room for 1k: no diagram, a note saying why and what to run, and all of the text.
    const none = renderReport('report', 'markdown', report, { maxLength: text + 400 + 1_000 });
    expect(mermaidBlocks(none)).toEqual([]);
    expect(none).toMatch(
      /\n> The graph is left out: deployables with libraries collapsed per group would have .+\. Run `lockstep graph --format mermaid` \(or `--format html`\) to see it\.\n/,
    );
    expect(none).not.toContain('**Truncated:**');
    expect(none).toContain('### 4. Project cycles (1)');
  });

  it('markdown: cut at a line under the limit, with a note saying how to get the rest', () => {
    const report = rangeReport();
    // Many findings: a workspace where every deployable imports the others' files.
    const many = {
      ...report,
      deployableImports: Array.from({ length: 2000 }, (_, index) => ({
        ...report.deployableImports[0],
        importer: `apps/web/src/file-${index}.ts`,
      })),
    };
    const markdown = renderReport('report', 'markdown', many);
    expect(markdown.length).toBeLessThan(65_536);
    expect(markdown).toContain('### nx-lockstep: what this change deploys');
    expect(markdown).toMatch(
      /> \*\*Truncated:\*\* \d+ more lines left out to stay under 65536 characters\. Run `lockstep report --format json`/,
    );
    const small = renderReport('report', 'markdown', report, { maxLength: 1500 });
    expect(small.length).toBeLessThan(1500);
    expect(small).toContain('### nx-lockstep: what this change deploys');
    // The text alone overflows: the graph gets no room (and the text is cut as before).
    expect(renderReport('report', 'markdown', many)).toContain(
      '> The graph is left out: the comment has no room left after its text.',
    );
  });

  it('long lists are cut per section, so contracts and cycles still show', () => {
    const report = rangeReport();
    const barrel = report.blastRadius.barrels[0];
    const library = report.blastRadius.libraries[0];
    const many = {
      ...report,
      blastRadius: {
        ...report.blastRadius,
        libraries: Array.from({ length: 25 }, (_, index) => ({ ...library, id: `lib${index}` })),
        barrels: Array.from({ length: 12 }, (_, index) => ({ ...barrel, file: `libs/l${index}/src/index.ts` })),
      },
    };
    const text = renderReport('report', 'text', many);
    expect(text).toContain('    … and 2 more barrels (--format json has them all)\n');
    const markdown = renderReport('report', 'markdown', many);
    expect(markdown).toContain('… and 5 more libraries (`--format json` has them all).');
    expect(markdown).toContain('… and 7 more barrels (`--format json` has them all).');
    expect(markdown).toContain('### 4. Project cycles (1)');
  });

  it('JSON conforms to schema/coupling-report.schema.json (with decisions, gate and contract changes)', () => {
    const json = JSON.parse(renderReport('report', 'json', withShas(rangeReport())));
    expect(couplingSchemaErrors(json)).toEqual([]);
    expect(json.version).toBe(1);
    expect(couplingSchemaErrors({ ...json, version: 2 })).not.toEqual([]);
    // The graph rides along, versioned on its own; a report without it (an older one) still conforms.
    expect(json.graph.version).toBe(1);
    expect(json.graph.affected).toEqual({ base: 'b'.repeat(40), head: 'a'.repeat(40), precision: 'symbol' });
    expect(couplingSchemaErrors({ ...json, graph: undefined })).toEqual([]);
    expect(couplingSchemaErrors({ ...json, graph: { ...json.graph, version: 2 } })).not.toEqual([]);
  });

  it('SARIF 2.1.0: valid against the SARIF schema, stable rule ids, results at the importing line and the use site', () => {
    const sarif = JSON.parse(renderReport('report', 'sarif', withShas(rangeReport()), { toolVersion: '0.1.0' }));
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(sarif.version).toBe('2.1.0');
    const [run] = sarif.runs;
    expect(run.tool.driver.rules.map((rule: { id: string }) => rule.id)).toEqual([
      'deployable-import',
      'breaking-contract',
      'contract-change',
      'blast-radius',
      'cycle',
    ]);
    for (const rule of run.tool.driver.rules)
      for (const field of ['shortDescription', 'fullDescription', 'help']) expect(rule[field].text).not.toBe('');
    const located = run.results.map(
      (result: {
        ruleId: string;
        locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }>;
        partialFingerprints: Record<string, string>;
      }) => {
        const { artifactLocation, region } = result.locations[0].physicalLocation;
        return `${result.ruleId} ${artifactLocation.uri}:${region.startLine} ${result.partialFingerprints['lockstepFinding/v1']}`;
      },
    );
    expect(located).toEqual([
      'deployable-import apps/web/src/main.ts:2 deployable-import:web:apps/web/src/main.ts->apps/api/src/prices.ts',
      'breaking-contract libs/contracts/src/index.ts:1 breaking-contract:contracts:Order:changed-export',
      'breaking-contract apps/api/src/main.ts:2 breaking-contract:contracts:Order:changed-export:api:apps/api/src/main.ts',
      'contract-change libs/contracts/openapi.yaml:1 contract-change:contracts:libs/contracts/openapi.yaml:contract-file-changed',
      'cycle libs/a/src/index.ts:1 cycle:a,b',
    ]);
    // A log that breaks the schema is caught (the check itself can fail).
    expect(sarifSchemaErrors({ ...sarif, version: '2.0.0' })).not.toEqual([]);
  });
});
