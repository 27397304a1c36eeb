import { summarizeReason } from '../core/format-reason';
import type { AffectedResult } from '../core/result';
import type { ReportOptions } from './report-options';

/** `lockstep affected`: one row per deployable with its first reason, then the count. */
export function affectedText(result: AffectedResult, _options: ReportOptions = {}): string {
  const rows = result.deployables.map((decision) => [
    decision.project,
    decision.affected ? 'yes' : 'no',
    decision.reasons[0]
      ? summarizeReason(decision.reasons[0]) +
        (decision.reasons.length > 1 ? ` (+${decision.reasons.length - 1} more)` : '')
      : '-',
  ]);
  const header = ['DEPLOYABLE', 'AFFECTED', 'REASON'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  // The last column is not padded: a reason can be long, and trailing blanks help nobody.
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ');
  const affected = result.deployables.filter((decision) => decision.affected).length;
  const out = [
    `head ${result.head.slice(0, 12)}, precision ${result.precision}`,
    '',
    line(header),
    ...rows.map(line),
    '',
    `${affected} of ${result.deployables.length} deployable${result.deployables.length === 1 ? '' : 's'} affected`,
    ...(result.warnings ?? []).map((warning) => `warning: ${warning}`),
  ];
  return `${out.join('\n')}\n`;
}
