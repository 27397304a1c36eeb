import { describe, expect, it } from 'vitest';
import { analyzeHistory } from './history-analysis';
import { coupledPairs, lockstepGroups } from './history-coupling';
import { historyGate } from './history-gate';
import type { DeployCause, HistoryCommit, HistoryReplay } from './history-result';

const lib = (project: string, file: string, symbols?: string[]): DeployCause => ({
  kind: 'shared-code',
  project,
  file,
  ...(symbols ? { symbols } : {}),
});
const own: DeployCause = { kind: 'own' };

let counter = 0;
function commit(subject: string, causes: Record<string, DeployCause[]>, nx?: string[]): HistoryCommit {
  counter++;
  const sha = counter.toString(16).padStart(40, '0');
  const lockstep = Object.keys(causes).sort();
  return {
    sha,
    parent: (counter - 1).toString(16).padStart(40, '0'),
    date: '2026-01-01T00:00:00Z',
    subject,
    deployables: 5,
    lockstep,
    nx: nx ?? lockstep,
    causes,
  };
}

const ALL = ['billing', 'checkout', 'catalog', 'search', 'admin'];

/** billing+checkout through libs/pricing (6×), catalog+search by scattered commits (5×), admin alone. */
function replay(): HistoryReplay {
  const commits: HistoryCommit[] = [];
  for (let i = 0; i < 6; i++)
    commits.push(
      commit(`pricing ${i}`, {
        billing: [lib('pricing', 'libs/pricing/src/tax.ts', ['tax'])],
        checkout: [lib('pricing', 'libs/pricing/src/tax.ts', ['tax'])],
      }),
    );
  for (let i = 0; i < 5; i++) commits.push(commit(`feature ${i}`, { catalog: [own], search: [own] }));
  for (let i = 0; i < 5; i++) commits.push(commit(`admin ${i}`, { admin: [own] }, ALL));
  commits.push(commit('billing only', { billing: [own] }));
  return {
    head: commits.at(-1)!.sha,
    precision: 'symbol',
    commits,
    present: Object.fromEntries(ALL.map((project) => [project, commits.length])),
  };
}

describe('co-deploy coupling', () => {
  it("is code-maat's degree: shared ÷ mean of both counts, with the thresholds", () => {
    const sets = [...Array(5).fill(['a', 'b']), ['a'], ['a'], ['a'], ['a'], ['a']];
    expect(coupledPairs(sets, { minDeploys: 5, minShared: 5, minDegree: 0.3, maxDeployables: 30 })).toEqual([
      { a: 'a', b: 'b', shared: 5, aDeploys: 10, bDeploys: 5, degree: 0.667 },
    ]);
    // Four shared deploys are below min-shared; a degree of 0.667 below a 0.7 threshold.
    expect(coupledPairs(sets.slice(1), { minDeploys: 4, minShared: 5, minDegree: 0.3, maxDeployables: 30 })).toEqual(
      [],
    );
    expect(coupledPairs(sets, { minDeploys: 5, minShared: 5, minDegree: 0.7, maxDeployables: 30 })).toEqual([]);
    // Commits deploying more than maxDeployables are left out entirely.
    expect(coupledPairs(sets, { minDeploys: 5, minShared: 5, minDegree: 0.3, maxDeployables: 1 })).toEqual([]);
  });

  it('groups are connected components of the pairs', () => {
    const pair = (a: string, b: string) => ({ a, b, shared: 5, aDeploys: 5, bDeploys: 5, degree: 1 });
    expect(lockstepGroups([pair('c', 'd'), pair('a', 'b'), pair('b', 'e')])).toEqual([
      ['a', 'b', 'e'],
      ['c', 'd'],
    ]);
  });
});

describe('analyzeHistory', () => {
  it('finds the library group and the scattered group, each with its cause', () => {
    const result = analyzeHistory(replay());
    expect(result.groups.map((group) => group.deployables)).toEqual([
      ['billing', 'checkout'],
      ['catalog', 'search'],
    ]);
    expect(result.groups[0].causes).toEqual([
      {
        kind: 'shared-code',
        project: 'pricing',
        commits: 6,
        deployables: ['billing', 'checkout'],
        files: [{ file: 'libs/pricing/src/tax.ts', commits: 6, symbols: ['tax'] }],
      },
    ]);
    expect(result.groups[1].causes).toEqual([
      {
        kind: 'scattered',
        commits: 5,
        deployables: ['catalog', 'search'],
        examples: [4, 3, 2, 1, 0].map((i) => ({ sha: expect.any(String), subject: `feature ${i}` })),
      },
    ]);
    expect(result.groups[0].pairs).toEqual([
      { a: 'billing', b: 'checkout', shared: 6, aDeploys: 7, bDeploys: 6, degree: 0.923 },
    ]);
  });

  it('a cause counts only when two members share it, not one member through two files', () => {
    const history = replay();
    for (const commit of history.commits.filter((c) => c.subject.startsWith('feature')))
      commit.causes.catalog = [own, lib('ui', 'libs/ui/src/a.ts'), lib('ui', 'libs/ui/src/b.ts')];
    const group = analyzeHistory(history).groups.find((g) => g.deployables.includes('catalog'))!;
    expect(group.causes.map((cause) => cause.kind)).toEqual(['scattered']);
  });

  it('counts deploys saved against Nx and against lock-step deployment', () => {
    const result = analyzeHistory(replay());
    expect(result.totals).toEqual({ commits: 17, lockstep: 6 * 2 + 5 * 2 + 5 + 1, nx: 12 + 10 + 25 + 1, lockStep: 85 });
    expect(result.deployables.find((row) => row.project === 'billing')).toEqual({
      project: 'billing',
      lockstep: 7,
      nx: 12,
      lockStep: 17,
    });
    // Nx deploying all five on the admin commits couples everything at Nx's precision.
    expect(result.nxGroups).toEqual([{ deployables: ['admin', 'billing', 'catalog', 'checkout', 'search'] }]);
  });

  it('drift: deploys per commit and the largest group per window', () => {
    const result = analyzeHistory(replay(), { window: 11 });
    expect(
      result.drift.map(({ commits, lockstepPerCommit, largestGroup, groups }) => [
        commits,
        lockstepPerCommit,
        largestGroup,
        groups,
      ]),
    ).toEqual([
      [11, 2, 2, 2],
      [6, 1, 0, 0],
    ]);
  });
});

describe('history gate', () => {
  const groups = [
    ['billing', 'checkout', 'invoices'],
    ['catalog', 'search'],
  ];

  it('without a baseline every group is new', () => {
    const gate = historyGate(groups, ['new-lockstep-group', 'group-grew'], undefined);
    expect(gate.passed).toBe(false);
    expect(gate.findings.map((finding) => [finding.rule, finding.group])).toEqual([
      ['new-lockstep-group', groups[0]],
      ['new-lockstep-group', groups[1]],
    ]);
  });

  it('against a baseline: a grown group and a new one, each only when its rule is asked for', () => {
    const baseline = { groups: [['billing', 'checkout']] };
    const both = historyGate(groups, ['new-lockstep-group', 'group-grew'], baseline);
    expect(both.findings).toEqual([
      {
        rule: 'group-grew',
        group: groups[0],
        added: ['invoices'],
        baseline: ['billing', 'checkout'],
        message: 'lock-step group grew: invoices now deploys with billing, checkout',
      },
      {
        rule: 'new-lockstep-group',
        group: groups[1],
        message: 'new lock-step group: catalog, search deploy together and the baseline has no such group',
      },
    ]);
    expect(historyGate(groups, ['group-grew'], baseline).findings.map((finding) => finding.rule)).toEqual([
      'group-grew',
    ]);
    expect(historyGate([['billing', 'checkout']], ['new-lockstep-group', 'group-grew'], baseline).passed).toBe(true);
  });
});
