import type { HistoryResult } from '../core/coupling/history-result';
import type { ReportOptions } from './report-options';
import { adviceFor, describeCause, gateLines, percent, sparkline, thresholds } from './history-view';

/**
 * `lockstep history`: deploys saved, lock-step groups with their causes, drift, the gate.
 * Numbers are right-aligned; names and sentences are not padded at the end of a line.
 */
export function historyText(result: HistoryResult, _options: ReportOptions = {}): string {
  const { totals, range } = result;
  const out: string[] = [
    `lockstep history: ${range.commits} commit${range.commits === 1 ? '' : 's'} (first parent)` +
      (range.from && range.to ? ` ${range.from.slice(0, 7)}..${range.to.slice(0, 7)}` : '') +
      (range.since ? ` since ${range.since}` : '') +
      `, precision ${result.precision}`,
    '',
    'DEPLOYS SAVED',
    ...table(
      ['', 'DEPLOYS', 'SAVED BY LOCKSTEP'],
      [
        ['lockstep', String(totals.lockstep), '-'],
        [
          'nx affected',
          String(totals.nx),
          `${totals.nx - totals.lockstep} (${percent(totals.nx - totals.lockstep, totals.nx)})`,
        ],
        [
          'lock-step (all, every commit)',
          String(totals.lockStep),
          `${totals.lockStep - totals.lockstep} (${percent(totals.lockStep - totals.lockstep, totals.lockStep)})`,
        ],
      ],
      [false, true, true],
    ),
    '',
    ...table(
      ['DEPLOYABLE', 'LOCKSTEP', 'NX', 'LOCK-STEP', 'SAVED VS NX'],
      result.deployables.map((row) => [
        row.project,
        String(row.lockstep),
        String(row.nx),
        String(row.lockStep),
        String(row.nx - row.lockstep),
      ]),
      [false, true, true, true, true],
    ),
    '',
    `LOCK-STEP GROUPS (${thresholds(result.options)})`,
    ...groupLines(result),
    '',
    `DRIFT (per ${result.options.window} commits, oldest first)`,
    ...table(
      ['WINDOW', 'COMMITS', 'LOCKSTEP/COMMIT', 'NX/COMMIT', 'LARGEST GROUP'],
      result.drift.map((window) => [
        `${window.from.slice(0, 7)}..${window.to.slice(0, 7)}`,
        String(window.commits),
        window.lockstepPerCommit.toFixed(2),
        window.nxPerCommit.toFixed(2),
        String(window.largestGroup),
      ]),
      [false, true, true, true, true],
    ),
    `trend: deploys per commit ${sparkline(result.drift.map((window) => window.lockstepPerCommit))}  largest group ${sparkline(result.drift.map((window) => window.largestGroup))}`,
  ];
  const gate = gateLines(result);
  if (gate.length) out.push('', ...gate);
  out.push(...(result.warnings ?? []).map((warning) => `warning: ${warning}`));
  return `${out.join('\n')}\n`;
}

function groupLines(result: HistoryResult): string[] {
  const lines: string[] = [];
  if (result.groups.length === 0) lines.push('none: no two deployables deploy together often enough');
  result.groups.forEach((group, index) => {
    const pairs = group.pairs.map((pair) => `${pair.a}–${pair.b} ${Math.round(pair.degree * 100)} %`).join(', ');
    lines.push(`${index + 1}. ${group.deployables.join(', ')}: ${group.commits} commits together (${pairs})`);
    for (const cause of group.causes) lines.push(`   - ${describeCause(cause)}`, `     fix: ${adviceFor(cause)}`);
  });
  const nx = result.nxGroups;
  lines.push(
    `at Nx's precision: ${nx.length === 0 ? 'no groups' : nx.map((group) => `(${group.deployables.join(', ')})`).join(' ')}`,
  );
  return lines;
}

/** Columns padded to their widest cell; `right` aligns numbers; the last column is not padded. */
function table(header: string[], rows: string[][], right: boolean[]): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) =>
        right[column]
          ? cell.padStart(widths[column])
          : column === cells.length - 1
            ? cell
            : cell.padEnd(widths[column]),
      )
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
