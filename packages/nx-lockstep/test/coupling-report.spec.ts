/**
 * `lockstep report` through `main(argv)` in-process on a fixture workspace with real git history
 * and the real Nx project graph: each section's exact result, the formats against their
 * schemas, and the gate with its baseline and exit codes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CouplingReport } from '../src/core/coupling/coupling-report';
import { createCouplingFixture } from './support/coupling-fixture';
import type { FixtureWorkspace } from './support/fixture-workspace';
import { couplingSchemaErrors } from './support/result-schema';
import { sarifSchemaErrors } from './support/sarif-schema';
import { runCli as run } from './support/run-cli';

describe('lockstep report on a fixture workspace', () => {
  let ws: FixtureWorkspace;
  let base: string;
  let head: string;
  let report: CouplingReport;

  beforeAll(async () => {
    ({ ws, base, head } = createCouplingFixture());
    const { code, stdout, stderr } = await run(ws.root, 'report', '--base', base, '--format', 'json');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    report = JSON.parse(stdout);
  }, 120_000);
  afterAll(() => ws?.remove());

  it('JSON conforms to its schema, with the decisions of the range', () => {
    expect(couplingSchemaErrors(report)).toEqual([]);
    expect(report.head).toBe(head);
    expect(report.base).toBe(base);
    expect(report.decisions?.deployables.map((decision) => [decision.project, decision.affected])).toEqual([
      ['api', true],
      ['web', true],
      ['worker', true],
    ]);
    // web ships the changed `shout`; api does not use it (it deploys for the contract library's file).
    expect(report.decisions?.deployables[1].reasons[0]).toEqual({
      kind: 'imported-file-changed',
      file: 'libs/util/src/text.ts',
      via: ['apps/web/src/main.ts', 'libs/util/src/index.ts', 'libs/util/src/text.ts'],
      declarations: ['shout'],
    });
  });

  it('1. a deployable importing another deployable’s file', () => {
    expect(report.deployableImports).toEqual([
      {
        from: 'web',
        to: 'api',
        file: 'apps/api/src/prices.ts',
        importer: 'apps/web/src/main.ts',
        line: 2,
        specifier: '../../api/src/prices',
        via: ['apps/web/src/main.ts', 'apps/api/src/prices.ts'],
        symbols: ['price'],
        suggestion: {
          move: 'library',
          text: 'move price from apps/api/src/prices.ts into a library that web and api both import, so a change to api no longer redeploys web',
        },
      },
    ]);
  });

  it('2. a barrel used by many: blast radius per library and per export', () => {
    expect(report.blastRadius.libraries).toEqual([
      {
        id: 'util',
        project: 'util',
        file: 'libs/util/project.json',
        projectPrecision: ['api', 'web'],
        symbolPrecision: ['api', 'web'],
      },
      {
        id: 'contracts',
        project: 'contracts',
        file: 'libs/contracts/project.json',
        projectPrecision: ['api', 'web', 'worker'],
        symbolPrecision: ['worker'],
      },
      { id: 'a', project: 'a', file: 'libs/a/project.json', projectPrecision: ['worker'], symbolPrecision: ['worker'] },
      { id: 'b', project: 'b', file: 'libs/b/project.json', projectPrecision: ['worker'], symbolPrecision: ['worker'] },
    ]);
    expect(report.blastRadius.barrels).toEqual([
      {
        file: 'libs/util/src/index.ts',
        project: 'util',
        usedBy: ['api', 'web'],
        exports: [
          { name: 'greet', usedBy: ['api', 'web'] },
          { name: 'shout', usedBy: ['web'] },
          { name: 'slug', usedBy: [] },
        ],
      },
    ]);
  });

  it('3. contract changes: a renamed member breaks its consumers, a body-only change is safe, an OpenAPI file is listed', () => {
    expect(report.contracts).toEqual({
      libraries: [
        { project: 'contracts', root: 'libs/contracts', deployables: ['api', 'web', 'worker'], tagged: true },
        { project: 'util', root: 'libs/util', deployables: ['api', 'web'], tagged: false },
      ],
      classified: true,
      contractChanges: [
        {
          project: 'contracts',
          file: 'libs/contracts/src/index.ts',
          line: 2,
          exportName: 'newOrder',
          kind: 'changed-export',
          breaking: true,
          detail:
            "Code that reads `newOrder` expects the old type; checker: Property 'id' is missing in type 'Order' but required in type 'Order'.",
          consumers: [{ deployable: 'worker', file: 'apps/worker/src/main.ts', line: 1 }],
        },
        {
          project: 'contracts',
          file: 'libs/contracts/src/index.ts',
          line: 1,
          exportName: 'Order',
          kind: 'changed-export',
          breaking: true,
          detail:
            "Member `id` removed; new required member `orderId`; consumers that receive `Order` expect the old shape; consumers receive `Order` (through `newOrder`); checker: Property 'id' is missing in type 'Order' but required in type 'Order'.",
          // A type-only import: api ships nothing of it, but its build breaks.
          consumers: [{ deployable: 'api', file: 'apps/api/src/main.ts', line: 2 }],
        },
        {
          project: 'contracts',
          file: 'libs/contracts/openapi.yaml',
          line: 1,
          exportName: '',
          kind: 'contract-file-changed',
          breaking: false,
          detail: 'OpenAPI modified: not classified; review it for breaking changes before its consumers deploy',
          consumers: [
            { deployable: 'api', file: 'apps/api/src/main.ts', line: 2 },
            { deployable: 'web', file: 'apps/web/project.json', line: 1 },
            { deployable: 'worker', file: 'apps/worker/src/main.ts', line: 1 },
          ],
        },
        {
          project: 'util',
          file: 'libs/util/src/text.ts',
          line: 1,
          exportName: 'shout',
          kind: 'compatible-change',
          breaking: false,
          detail: 'Compatible change: code written against the old export still compiles.',
          consumers: [{ deployable: 'web', file: 'apps/web/src/main.ts', line: 1 }],
        },
      ],
    });
  });

  it('4. a cycle between projects, from the Nx project graph', () => {
    expect(report.cycles).toEqual([
      { projects: ['a', 'b'], path: ['a', 'b', 'a'], file: 'libs/a/src/index.ts', line: 1 },
    ]);
  });

  it('the graph: `lockstep graph`’s data on the same model, and its Mermaid view in the Markdown comment', async () => {
    const graph = report.graph!;
    expect(graph.version).toBe(1);
    expect(graph.affected).toEqual({ base, head, precision: 'symbol' });
    expect(graph.nodes.map((node) => [node.id, node.kind, node.affected ?? null])).toEqual([
      ['a', 'library', null],
      ['api', 'deployable', true],
      ['b', 'library', null],
      ['contracts', 'library', null],
      ['util', 'library', null],
      ['web', 'deployable', true],
      ['worker', 'deployable', true],
    ]);
    // The blast radius the graph colours by is the report's own.
    for (const entry of report.blastRadius.libraries)
      expect(graph.nodes.find((node) => node.id === entry.project)?.blastRadius).toEqual({
        symbol: entry.symbolPrecision,
        project: entry.projectPrecision,
      });
    expect(graph.edges).toContainEqual({ source: 'web', target: 'api', kind: 'deployable-import' });
    const markdown = await run(ws.root, 'report', '--base', base, '--format', 'markdown');
    const mermaid = await run(ws.root, 'graph', '--base', base, '--format', 'mermaid');
    expect([markdown.code, mermaid.code]).toEqual([0, 0]);
    expect(markdown.stdout).toContain(
      `<details><summary>Graph: what deploys together (deployables; libraries collapsed per folder or domain)</summary>\n\n\`\`\`mermaid\n${mermaid.stdout}\`\`\`\n\n</details>`,
    );
  }, 120_000);

  it('without --base: no decisions, no contract changes, and what reading the workspace noted', async () => {
    const { code, stdout } = await run(ws.root, 'report', '--head', base, '--format', 'json');
    expect(code).toBe(0);
    const atBase: CouplingReport = JSON.parse(stdout);
    expect(couplingSchemaErrors(atBase)).toEqual([]);
    expect(atBase.decisions).toBeUndefined();
    expect(atBase.contracts.contractChanges).toEqual([]);
    expect(atBase.warnings).toEqual([
      `head ${base} is not the checked-out commit: project configuration (the Nx project graph) is read from the working tree, files from ${base}`,
    ]);
  }, 60_000);

  it('SARIF is valid SARIF 2.1.0', async () => {
    const { code, stdout } = await run(ws.root, 'report', '--format', 'sarif');
    expect(code).toBe(0);
    const sarif = JSON.parse(stdout);
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(sarif.runs[0].results.map((result: { ruleId: string }) => result.ruleId)).toEqual([
      'deployable-import',
      'cycle',
    ]);
  }, 60_000);

  it('gate: --fail-on breaking-contract fails on the renamed member, naming it', async () => {
    const failed = await run(ws.root, 'report', '--base', base, '--fail-on', 'breaking-contract');
    expect(failed.code).toBe(3);
    // Each of the 2 breaking changes counts at the export and at its consumer's use site.
    expect(failed.stderr).toContain('4 findings break --fail-on breaking-contract');
    expect(failed.stdout).toContain('Order');
  }, 120_000);

  it('gate: exit 3 on new findings; --update-baseline accepts them; a bad rule is a usage error', async () => {
    const failed = await run(ws.root, 'report', '--fail-on', 'deployable-import,cycle', '--fail-on', 'blast-radius>1');
    expect(failed.code).toBe(3);
    expect(failed.stdout).toContain(
      'Gate (--fail-on deployable-import,cycle,blast-radius>1): FAILED, 3 new\n' +
        "  deployable-import: web imports api's apps/api/src/prices.ts (price)",
    );
    expect(failed.stderr).toBe(
      'lockstep: the coupling gate failed: 3 findings break --fail-on deployable-import,cycle,blast-radius>1 and are not in lockstep-baseline.json. Fix them, or accept them with --update-baseline\n',
    );
    const updated = await run(ws.root, 'report', '--update-baseline', '--format', 'json');
    expect(updated.code).toBe(0);
    const baseline = JSON.parse(readFileSync(join(ws.root, 'lockstep-baseline.json'), 'utf8'));
    expect(baseline.report).toEqual({
      findings: ['cycle:a,b', 'deployable-import:web:apps/web/src/main.ts->apps/api/src/prices.ts'],
      blastRadius: { util: 2, contracts: 1, a: 1, b: 1 },
    });
    const passed = await run(ws.root, 'report', '--fail-on', 'deployable-import,cycle,blast-radius>1');
    expect(passed.code).toBe(0);
    expect(passed.stdout).toContain(
      'Gate (--fail-on deployable-import,cycle,blast-radius>1): passed (3 accepted by the baseline)',
    );
    const bad = await run(ws.root, 'report', '--fail-on', 'group-grew');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--fail-on group-grew is checked by `lockstep history`, not `lockstep report`.');
    expect(existsSync(join(ws.root, 'lockstep-baseline.json'))).toBe(true);
  }, 120_000);
});
