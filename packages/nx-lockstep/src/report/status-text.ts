import { formatReasonLine } from '../core/format-reason';
import type { StatusResult } from '../core/status-result';
import type { ReportOptions } from './report-options';

/** `lockstep status`: one aligned line per deployable, then the reasons of the pending ones. */
export function statusText(result: StatusResult, _options: ReportOptions = {}): string {
  const rows = result.deployables.map((d) => [
    d.project,
    d.marker ? d.marker.sha.slice(0, 8) : '-',
    d.marker?.date ?? '-',
    d.age ?? '-',
    d.commitsSince === null ? (d.marker ? '?' : '-') : String(d.commitsSince),
    d.pending ? 'yes' : 'no',
  ]);
  const header = ['deployable', 'marker', 'deployed at', 'age', 'commits since', 'deploy pending'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const out = [
    `${result.env} @ ${result.head.slice(0, 8)} (precision ${result.precision})`,
    '',
    line(header),
    ...rows.map(line),
  ];
  const pending = result.deployables.filter((d) => d.pending);
  if (pending.length > 0) {
    out.push('', 'pending:');
    for (const d of pending) {
      out.push(`  ${d.project}:`);
      for (const reason of d.reasons) out.push(`    - ${formatReasonLine(reason)}`);
    }
  }
  for (const warning of result.warnings) out.push(`warning: ${warning}`);
  return out.join('\n') + '\n';
}
