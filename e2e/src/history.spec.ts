/**
 * `lockstep history` from the packed package, in the example workspace with its scripted history
 * and the plugin registered by `nx g nx-lockstep:init`: the shipped binary replays it, the JSON
 * conforms to the schema the package ships, and each commit's Nx column is what
 * `nx show projects --affected` prints for that commit.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspaceFromExample, DEPLOYABLES, nxEnv, type Workspace } from './support';

interface Commit {
  sha: string;
  parent: string;
  subject: string;
  lockstep: string[];
  nx: string[];
}

describe('lockstep history (packed plugin, example workspace)', () => {
  let ws: Workspace;
  let result: { commits: Commit[]; totals: Record<string, number>; nxGroups: Array<{ deployables: string[] }> };

  beforeAll(() => {
    ws = createWorkspaceFromExample({ name: 'history', init: true });
    const replayed = ws.run(['node', 'node_modules/nx-lockstep/bin/lockstep.js', 'history', '--format', 'json'], {
      env: nxEnv(),
    });
    result = JSON.parse(replayed.stdout);
  });
  afterAll(() => ws?.remove());

  it('prints JSON that the shipped schema accepts, one record per commit with a parent', () => {
    const schemaDir = join(ws.root, 'node_modules', 'nx-lockstep', 'schema');
    const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
    ajv.addSchema(JSON.parse(readFileSync(join(schemaDir, 'affected-result.schema.json'), 'utf8')));
    const validate = ajv.compile(JSON.parse(readFileSync(join(schemaDir, 'history-result.schema.json'), 'utf8')));
    expect(validate(result) ? [] : validate.errors).toEqual([]);
    const subjects = ws.git('log', '--first-parent', '--reverse', '--format=%s').split('\n').slice(1);
    expect(result.commits.map((commit) => commit.subject)).toEqual(subjects);
  });

  it('decides the documented commits as lockstep affected does: a comment deploys nothing, a load-time change all four', () => {
    const bySubject = new Map(result.commits.map((commit) => [commit.subject, commit]));
    expect(bySubject.get('shared-logger: document log levels')).toMatchObject({ lockstep: [], nx: [...DEPLOYABLES] });
    expect(bySubject.get('money: support Swiss francs')).toMatchObject({
      lockstep: [...DEPLOYABLES],
      nx: [...DEPLOYABLES],
    });
    expect(bySubject.get('shared-utils: time-ordered ids')).toMatchObject({ lockstep: ['orders-api'] });
  });

  it("each commit's Nx column is what nx show projects --affected prints", () => {
    for (const commit of result.commits) {
      const shown = ws.nxJson<string[]>([
        'show',
        'projects',
        '--affected',
        '--base',
        commit.parent,
        '--head',
        commit.sha,
      ]);
      const affected = shown.filter((name) => (DEPLOYABLES as readonly string[]).includes(name)).sort();
      expect([commit.subject, commit.nx]).toEqual([commit.subject, affected]);
    }
  });

  it('text: Nx deploys all four together often enough to be one group; lockstep does not', () => {
    const text = ws.run(['node', 'node_modules/nx-lockstep/bin/lockstep.js', 'history'], { env: nxEnv() }).stdout;
    expect(text).toContain('none: no two deployables deploy together often enough');
    expect(text).toContain("at Nx's precision: (catalog-api, email-worker, orders-api, storefront)");
    expect(result.totals.lockstep).toBeLessThan(result.totals.nx);
  });
});
