/**
 * `lockstep report` end to end on the example shop with the packed plugin and the real nx
 * binary: the JSON against its schema, SARIF 2.1.0 against the SARIF schema, and the inferred
 * `lockstep-report` target run by `nx run` on a root project. Writes the real outputs to
 * $LOCKSTEP_E2E_HOME/report-output/ (docs/report.md and the README show them).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspaceFromExample, E2E_HOME, REPO_ROOT, type Workspace } from './support';

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
  const out = join(E2E_HOME, 'report-output');

  beforeAll(() => {
    ws = createWorkspaceFromExample({ name: 'report', init: true });
    mkdirSync(out, { recursive: true });
  }, 600_000);
  afterAll(() => ws?.remove());

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
    expect(result.stdout).toContain('### 1. Deployable → deployable imports');
  });
});
