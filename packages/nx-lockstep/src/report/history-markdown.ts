import type { HistoryResult } from '../core/coupling/history-result';
import type { ReportOptions } from './report-options';
import { adviceFor, describeCause, gateLines, percent, sparkline, thresholds } from './history-view';

/** GitHub's limit for a pull-request comment; the report stays well under it. */
const MAX_DEPLOYABLE_ROWS = 40;

/**
 * `lockstep history --format markdown`: for a pull-request comment or a wiki page — the gate
 * first, then groups and their causes, deploys saved, drift with a sparkline.
 */
export function historyMarkdown(result: HistoryResult, _options: ReportOptions = {}): string {
  const { totals, range } = result;
  const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;
  const out: string[] = ['## lockstep history', ''];
  out.push(
    `${range.commits} commit${range.commits === 1 ? '' : 's'} of first-parent history` +
      (range.from && range.to ? ` (${code(range.from.slice(0, 7))}..${code(range.to.slice(0, 7))})` : '') +
      (range.since ? ` since ${range.since}` : '') +
      `, precision ${result.precision}.`,
    '',
  );
  const gate = gateLines(result);
  if (gate.length) out.push(`**${gate[0]}**`, ...gate.slice(1).map((line) => line.replace(/^ {2}/, '')), '');

  out.push('### Lock-step groups', '', `Deployables that keep deploying together (${thresholds(result.options)}).`, '');
  if (result.groups.length === 0) out.push('None: no two deployables deploy together often enough.', '');
  result.groups.forEach((group, index) => {
    const pairs = group.pairs.map((pair) => `${pair.a}–${pair.b} ${Math.round(pair.degree * 100)} %`).join(', ');
    out.push(`${index + 1}. **${group.deployables.join(', ')}**: ${group.commits} commits together (${pairs})`);
    for (const cause of group.causes) out.push(`   - ${describeCause(cause, code)}. Fix: ${adviceFor(cause)}.`);
  });
  if (result.groups.length) out.push('');
  out.push(
    `At Nx's precision: ${result.nxGroups.length === 0 ? 'no groups' : result.nxGroups.map((group) => group.deployables.join(', ')).join('; ')}.`,
    '',
  );

  out.push('### Deploys saved', '', '| | deploys | saved by lockstep |', '|---|---:|---:|');
  out.push(`| lockstep | ${totals.lockstep} | |`);
  out.push(
    `| nx affected | ${totals.nx} | ${totals.nx - totals.lockstep} (${percent(totals.nx - totals.lockstep, totals.nx)}) |`,
  );
  out.push(
    `| lock-step (all, every commit) | ${totals.lockStep} | ${totals.lockStep - totals.lockstep} (${percent(totals.lockStep - totals.lockstep, totals.lockStep)}) |`,
    '',
  );
  out.push('| deployable | lockstep | nx | lock-step | saved vs nx |', '|---|---:|---:|---:|---:|');
  for (const row of result.deployables.slice(0, MAX_DEPLOYABLE_ROWS))
    out.push(`| ${row.project} | ${row.lockstep} | ${row.nx} | ${row.lockStep} | ${row.nx - row.lockstep} |`);
  if (result.deployables.length > MAX_DEPLOYABLE_ROWS)
    out.push(`| … ${result.deployables.length - MAX_DEPLOYABLE_ROWS} more | | | | |`);
  out.push('');

  out.push(
    `### Drift (per ${result.options.window} commits, oldest first)`,
    '',
    `Deploys per commit ${sparkline(result.drift.map((window) => window.lockstepPerCommit))}, largest group ${sparkline(result.drift.map((window) => window.largestGroup))}`,
    '',
    '| commits | count | lockstep / commit | nx / commit | largest group |',
    '|---|---:|---:|---:|---:|',
    ...result.drift.map(
      (window) =>
        `| ${code(window.from.slice(0, 7))}..${code(window.to.slice(0, 7))} | ${window.commits} | ${window.lockstepPerCommit.toFixed(2)} | ${window.nxPerCommit.toFixed(2)} | ${window.largestGroup} |`,
    ),
  );
  for (const warning of result.warnings ?? []) out.push('', `> warning: ${warning}`);
  return `${out.join('\n')}\n`;
}
