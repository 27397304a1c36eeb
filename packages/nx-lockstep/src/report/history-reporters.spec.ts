import { describe, expect, it } from 'vitest';
import { analyzeHistory } from '../core/coupling/history-analysis';
import { historyGate } from '../core/coupling/history-gate';
import type { HistoryCommit } from '../core/coupling/history-result';
import { renderReport } from './reporters';
import { sparkline } from './history-view';

const sha = (n: number) => n.toString(16).padStart(40, '0');

/** api and worker deploy together through libs/db's `query` five times; web twice on its own. */
function result() {
  const commits: HistoryCommit[] = [];
  const add = (subject: string, lockstep: string[], nx: string[], shared: boolean) =>
    commits.push({
      sha: sha(commits.length + 1),
      parent: sha(commits.length),
      date: '2026-01-01T00:00:00Z',
      subject,
      deployables: 3,
      lockstep,
      nx,
      causes: Object.fromEntries(
        lockstep.map((project) => [
          project,
          shared
            ? [{ kind: 'shared-code' as const, project: 'db', file: 'libs/db/src/query.ts', symbols: ['query'] }]
            : [{ kind: 'own' as const }],
        ]),
      ),
    });
  for (let i = 0; i < 5; i++) add(`db: query ${i}`, ['api', 'worker'], ['api', 'web', 'worker'], true);
  add('web: page', ['web'], ['web'], false);
  add('web: style', ['web'], ['web'], false);
  const analysed = analyzeHistory(
    { head: sha(7), precision: 'symbol', commits, present: { api: 7, web: 7, worker: 7 } },
    { window: 5 },
  );
  analysed.gate = historyGate(
    analysed.groups.map((group) => group.deployables),
    ['new-lockstep-group'],
    undefined,
  );
  return analysed;
}

describe('history reporters', () => {
  it('markdown: gate first, groups with causes and fixes, deploys saved, drift with a sparkline', () => {
    expect(renderReport('history', 'markdown', result())).toBe(
      [
        '## lockstep history',
        '',
        `7 commits of first-parent history (\`${sha(1).slice(0, 7)}\`..\`${sha(7).slice(0, 7)}\`), precision symbol.`,
        '',
        '**gate FAILED (new-lockstep-group):**',
        '- new lock-step group: api, worker deploy together (no baseline yet: every group is new; accept the current ones with --update-baseline)',
        '',
        '### Lock-step groups',
        '',
        'Deployables that keep deploying together (at least 5 deploys each, 5 together, degree ≥ 30 %; commits deploying more than 30 left out).',
        '',
        '1. **api, worker**: 5 commits together (api–worker 100 %)',
        '   - shared code of `db` deployed api, worker together in 5 commits: `libs/db/src/query.ts` (`query`). Fix: split what each service uses, or make it a versioned contract changed backward-compatibly.',
        '',
        "At Nx's precision: api, web, worker.",
        '',
        '### Deploys saved',
        '',
        '| | deploys | saved by lockstep |',
        '|---|---:|---:|',
        '| lockstep | 12 | |',
        '| nx affected | 17 | 5 (29 %) |',
        '| lock-step (all, every commit) | 21 | 9 (43 %) |',
        '',
        '| deployable | lockstep | nx | lock-step | saved vs nx |',
        '|---|---:|---:|---:|---:|',
        '| web | 2 | 7 | 7 | 5 |',
        '| api | 5 | 5 | 7 | 0 |',
        '| worker | 5 | 5 | 7 | 0 |',
        '',
        '### Drift (per 5 commits, oldest first)',
        '',
        'Deploys per commit █▁, largest group █▁',
        '',
        '| commits | count | lockstep / commit | nx / commit | largest group |',
        '|---|---:|---:|---:|---:|',
        `| \`${sha(1).slice(0, 7)}\`..\`${sha(5).slice(0, 7)}\` | 5 | 2.00 | 3.00 | 2 |`,
        `| \`${sha(6).slice(0, 7)}\`..\`${sha(7).slice(0, 7)}\` | 2 | 1.00 | 1.00 | 0 |`,
        '',
      ].join('\n'),
    );
  });

  it('json is the result itself; text and markdown are registered beside it', () => {
    const analysed = result();
    expect(JSON.parse(renderReport('history', 'json', analysed))).toEqual(analysed);
    expect(renderReport('history', 'text', analysed)).toContain(
      '1. api, worker: 5 commits together (api–worker 100 %)',
    );
    expect(() => renderReport('status', 'markdown', {} as never)).toThrow(
      'no markdown reporter for status: use one of text, json',
    );
  });

  it('sparkline scales from the smallest value to the largest', () => {
    expect(sparkline([1, 2, 3, 4, 5, 6, 7, 8])).toBe('▁▂▃▄▅▆▇█');
    expect(sparkline([3, 3])).toBe('▄▄');
    expect(sparkline([])).toBe('');
  });
});
