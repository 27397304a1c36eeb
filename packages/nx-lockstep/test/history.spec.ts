/**
 * `lockstep history` through `main(argv)` in-process, on a real git history of a real Nx
 * workspace: two services that always deploy together through a shared library (billing,
 * checkout through `tax` of libs/pricing), two through scattered commits (catalog and search
 * changed in the same commits), one alone (admin). The expected groups and causes are written
 * out in full; Nx's column is checked against the real `nx show projects --affected` per commit.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryResult } from '../src/core/coupling/history-result';
import {
  createFixtureWorkspace,
  deployableProject,
  git,
  libraryProject,
  NX_JSON,
  type FixtureWorkspace,
} from './support/fixture-workspace';
import { historySchemaErrors } from './support/result-schema';
import { runCli as run } from './support/run-cli';

const DEPLOYABLES = ['admin', 'billing', 'catalog', 'checkout', 'search'];

/** Commits, oldest first, after the initial one (which has no parent and is not replayed). */
function createHistoryFixture(): { ws: FixtureWorkspace; features: string[] } {
  const app = (name: string, main: string) => ({
    [`apps/${name}/project.json`]: deployableProject(name, `apps/${name}`),
    [`apps/${name}/Dockerfile`]: 'FROM node:20\n',
    [`apps/${name}/src/main.ts`]: main,
  });
  const ws = createFixtureWorkspace({
    'nx.json': JSON.stringify({ ...JSON.parse(NX_JSON), plugins: ['./tools/lockstep-dependencies.ts'] }),
    // Nx 24 reads no source imports by itself: the engine's createDependencies gives Nx the edges.
    'tools/lockstep-dependencies.ts': `export { createDependencies } from ${JSON.stringify(join(__dirname, '../src/plugin/create-dependencies'))};\n`,
    'package.json': JSON.stringify({ name: 'history-fixture', private: true }),
    'tsconfig.base.json': JSON.stringify({
      compilerOptions: { paths: { '@fx/pricing': ['libs/pricing/src/index.ts'] } },
    }),
    ...app(
      'billing',
      "import { discount, tax } from '@fx/pricing';\nexport const bill = (n: number) => discount(tax(n));\n",
    ),
    ...app('checkout', "import { tax } from '@fx/pricing';\nexport const total = (n: number) => tax(n);\n"),
    ...app('catalog', "export const catalog = 'v0';\n"),
    ...app('search', "export const search = 'v0';\n"),
    ...app('admin', "export const admin = 'v0';\n"),
    'libs/pricing/project.json': libraryProject('pricing', 'libs/pricing'),
    'libs/pricing/src/index.ts': "export { tax } from './tax';\nexport { discount } from './discount';\n",
    'libs/pricing/src/tax.ts': 'export const tax = (n: number) => n * 1;\n',
    'libs/pricing/src/discount.ts': 'export const discount = (n: number) => n - 0;\n',
  });
  symlinkSync(join(__dirname, '../../../node_modules'), join(ws.root, 'node_modules'));
  const features: string[] = [];
  for (let i = 1; i <= 6; i++) {
    ws.commit(`pricing: tax rate ${i}`, {
      'libs/pricing/src/tax.ts': `export const tax = (n: number) => n * 1.${i};\n`,
    });
    if (i <= 5) {
      features.push(
        ws.commit(`feature ${i}: new product field in catalog and search`, {
          'apps/catalog/src/main.ts': `export const catalog = 'v${i}';\n`,
          'apps/search/src/main.ts': `export const search = 'v${i}';\n`,
        }),
      );
      ws.commit(`admin: screen ${i}`, { 'apps/admin/src/main.ts': `export const admin = 'v${i}';\n` });
    }
    if (i <= 3)
      ws.commit(`pricing: discount ${i}`, {
        'libs/pricing/src/discount.ts': `export const discount = (n: number) => n - ${i};\n`,
      });
  }
  return { ws, features };
}

describe('lockstep history', () => {
  let ws: FixtureWorkspace;
  let features: string[];
  let result: HistoryResult;

  beforeAll(async () => {
    ({ ws, features } = createHistoryFixture());
    const json = await run(ws.root, 'history', '--format', 'json');
    expect(json.code).toBe(0);
    result = JSON.parse(json.stdout) as HistoryResult;
  }, 300_000);
  afterAll(() => ws?.remove());

  it('prints the groups with their causes, deploys saved and drift', async () => {
    const { code, stdout, stderr } = await run(ws.root, 'history');
    expect(code).toBe(0);
    const commits = git(ws.root, 'rev-list', '--first-parent', '--reverse', 'HEAD').split('\n');
    const [initial, first, last] = [commits[0], commits[1], commits.at(-1)!];
    const short = (sha: string) => sha.slice(0, 7);
    expect(stdout).toBe(
      [
        `lockstep history: 19 commits (first parent) ${short(first)}..${short(last)}, precision symbol`,
        '',
        'DEPLOYS SAVED',
        '                               DEPLOYS  SAVED BY LOCKSTEP',
        'lockstep                            30                  -',
        'nx affected                         33            3 (9 %)',
        'lock-step (all, every commit)       95          65 (68 %)',
        '',
        'DEPLOYABLE  LOCKSTEP  NX  LOCK-STEP  SAVED VS NX',
        'checkout           6   9         19            3',
        'admin              5   5         19            0',
        'billing            9   9         19            0',
        'catalog            5   5         19            0',
        'search             5   5         19            0',
        '',
        'LOCK-STEP GROUPS (at least 5 deploys each, 5 together, degree ≥ 30 %; commits deploying more than 30 left out)',
        '1. billing, checkout: 6 commits together (billing–checkout 80 %)',
        '   - shared code of pricing deployed billing, checkout together in 6 commits: libs/pricing/src/tax.ts (tax)',
        '     fix: split what each service uses, or make it a versioned contract changed backward-compatibly',
        '2. catalog, search: 5 commits together (catalog–search 100 %)',
        `   - functionality scattered across services: 5 commits changed the own code of catalog, search at once (latest: ${short(features[4])} "feature 5: new product field in catalog and search")`,
        '     fix: features cut across services: move the feature into one service, or change the contract first and each service after',
        "at Nx's precision: (billing, checkout) (catalog, search)",
        '',
        'DRIFT (per 50 commits, oldest first)',
        'WINDOW            COMMITS  LOCKSTEP/COMMIT  NX/COMMIT  LARGEST GROUP',
        `${short(first)}..${short(last)}       19             1.58       1.74              2`,
        'trend: deploys per commit ▄  largest group ▄',
        `warning: ${initial.slice(0, 12)} has no parent in this clone (the first commit, or a shallow clone's boundary: fetch full history with git fetch --unshallow, or fetch-depth: 0 in CI): not replayed`,
        '',
      ].join('\n'),
    );
    // stderr is not a terminal here: a plain progress line per tenth, no bar.
    expect(stderr.split('\n')[0]).toMatch(/^lockstep: replaying 0\/19 commits \(\d+\.\d s\)$/);
    expect(stderr).not.toContain('\r');
  }, 300_000);

  it('JSON: the versioned contract, with the groups and ranked causes', () => {
    expect(historySchemaErrors(result)).toEqual([]);
    expect(result.version).toBe(1);
    expect(result.groups).toEqual([
      {
        deployables: ['billing', 'checkout'],
        pairs: [{ a: 'billing', b: 'checkout', shared: 6, aDeploys: 9, bDeploys: 6, degree: 0.8 }],
        commits: 6,
        causes: [
          {
            kind: 'shared-code',
            project: 'pricing',
            commits: 6,
            deployables: ['billing', 'checkout'],
            files: [{ file: 'libs/pricing/src/tax.ts', commits: 6, symbols: ['tax'] }],
          },
        ],
      },
      {
        deployables: ['catalog', 'search'],
        pairs: [{ a: 'catalog', b: 'search', shared: 5, aDeploys: 5, bDeploys: 5, degree: 1 }],
        commits: 5,
        causes: [
          {
            kind: 'scattered',
            commits: 5,
            deployables: ['catalog', 'search'],
            examples: [...features].reverse().map((sha, index) => ({
              sha,
              subject: `feature ${5 - index}: new product field in catalog and search`,
            })),
          },
        ],
      },
    ]);
    // A discount change reaches only billing's code; Nx deploys checkout too (it depends on pricing).
    const discount = result.commits.find((commit) => commit.subject === 'pricing: discount 1')!;
    expect([discount.lockstep, discount.nx]).toEqual([['billing'], ['billing', 'checkout']]);
    expect(discount.causes).toEqual({
      billing: [
        { kind: 'shared-code', project: 'pricing', file: 'libs/pricing/src/discount.ts', symbols: ['discount'] },
      ],
    });
  });

  it("Nx's column is what `nx show projects --affected` prints for the commit", () => {
    const nx = join(ws.root, 'node_modules/.bin/nx');
    // One commit of each kind (tax, feature, admin, discount): `nx show` costs seconds a commit.
    const kinds = new Map(result.commits.map((commit) => [commit.subject.replace(/\d+/g, '#'), commit]));
    expect(kinds.size).toBe(4);
    for (const commit of kinds.values()) {
      const output = execFileSync(
        nx,
        ['show', 'projects', '--affected', '--base', commit.parent, '--head', commit.sha, '--json'],
        { cwd: ws.root, encoding: 'utf8' },
      );
      const affected = (JSON.parse(output.slice(output.indexOf('['))) as string[])
        .filter((name) => DEPLOYABLES.includes(name))
        .sort();
      expect([commit.subject, commit.nx]).toEqual([commit.subject, affected]);
    }
  }, 600_000);

  it('the gate: without a baseline every group is new (exit 3); --update-baseline accepts them', async () => {
    const failed = await run(ws.root, 'history', '--fail-on', 'new-lockstep-group,group-grew', '--format', 'markdown');
    expect(failed.code).toBe(3);
    expect(failed.stdout).toContain('**gate FAILED (new-lockstep-group, group-grew):**');
    expect(failed.stderr.trim().split('\n').at(-1)).toBe(
      'lockstep: the coupling gate failed: new lock-step group: billing, checkout deploy together (no baseline yet: every group is new; accept the current ones with --update-baseline); ' +
        'new lock-step group: catalog, search deploy together (no baseline yet: every group is new; accept the current ones with --update-baseline). ' +
        'Fix the coupling, or accept it with lockstep history --update-baseline (commit lockstep-baseline.json).',
    );

    const accepted = await run(ws.root, 'history', '--update-baseline', '--format', 'json');
    expect(accepted.code).toBe(0);
    const baseline = JSON.parse(readFileSync(join(ws.root, 'lockstep-baseline.json'), 'utf8'));
    expect(baseline).toMatchObject({
      version: 1,
      history: {
        groups: [
          ['billing', 'checkout'],
          ['catalog', 'search'],
        ],
      },
    });

    const passed = await run(ws.root, 'history', '--fail-on', 'new-lockstep-group,group-grew', '--format', 'json');
    expect(passed.code).toBe(0);
    expect(JSON.parse(passed.stdout).gate).toEqual({
      rules: ['new-lockstep-group', 'group-grew'],
      baseline: true,
      findings: [],
      passed: true,
    });

    // A baseline that knew only billing with checkout: catalog and search are a new group.
    writeFileSync(
      join(ws.root, 'lockstep-baseline.json'),
      JSON.stringify({ version: 1, history: { groups: [['billing', 'checkout']] } }),
    );
    const regressed = await run(ws.root, 'history', '--fail-on', 'new-lockstep-group', '--format', 'json');
    expect(regressed.code).toBe(3);
    expect(JSON.parse(regressed.stdout).gate.findings).toEqual([
      {
        rule: 'new-lockstep-group',
        group: ['catalog', 'search'],
        message: 'new lock-step group: catalog, search deploy together and the baseline has no such group',
      },
    ]);
  }, 300_000);

  it('usage errors exit 2 with a message that says what to pass', async () => {
    const wrongRule = await run(ws.root, 'history', '--fail-on', 'cycle');
    expect(wrongRule.code).toBe(2);
    expect(wrongRule.stderr).toBe(
      'lockstep: --fail-on cycle is checked by `lockstep report`, not `lockstep history`.\n',
    );
    const zero = await run(ws.root, 'history', '--commits', '0');
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('--commits takes a positive whole number, e.g. --commits 50');
    const since = await run(ws.root, 'history', '--since', 'last tuesdayish');
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since takes a date, e.g. --since 2026-01-01');
    const format = await run(ws.root, 'history', '--format', 'sarif');
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('Allowed choices are text, json, markdown');
  });

  it('--commits limits the replay to the newest commits', async () => {
    const { code, stdout } = await run(ws.root, 'history', '--commits', '3', '--format', 'json');
    expect(code).toBe(0);
    const limited = JSON.parse(stdout) as HistoryResult;
    expect(limited.commits.map((commit) => commit.subject)).toEqual(
      result.commits.slice(-3).map((commit) => commit.subject),
    );
    expect(limited.groups).toEqual([]);
  });
});
