import { ADDITIVE_CHANGE_ADVICE } from '../core/coupling/contract-change';
import type { AttachedContractChange, BlastRadiusEntry, CouplingReport } from '../core/coupling/coupling-report';
import { formatReasonLine } from '../core/format-reason';
import type { ReportOptions } from './report-options';

const MAX_BARRELS = 10;

/** `lockstep report` (text): the decisions for a range, then the four sections, then the gate. */
export function couplingText(report: CouplingReport, _options: ReportOptions = {}): string {
  const lines = [
    `coupling report at ${report.head.slice(0, 12)}${report.base ? ` (base ${report.base.slice(0, 12)})` : ''}`,
  ];
  if (report.decisions) {
    const affected = report.decisions.deployables.filter((decision) => decision.affected).length;
    lines.push(
      '',
      `Deploy decisions (precision ${report.decisions.precision}): ${affected} of ${report.decisions.deployables.length} affected`,
      ...table(
        ['DEPLOYABLE', 'DEPLOY', 'REASON'],
        report.decisions.deployables.map((decision) => [
          decision.project,
          decision.affected ? 'yes' : 'no',
          decision.reasons[0]
            ? formatReasonLine(decision.reasons[0]) +
              (decision.reasons.length > 1 ? ` (+${decision.reasons.length - 1} more)` : '')
            : '-',
        ]),
      ),
    );
  }
  lines.push('', `1. Deployable → deployable imports (${report.deployableImports.length})`);
  if (report.deployableImports.length === 0) lines.push('  none: no deployable imports another one’s code');
  for (const found of report.deployableImports)
    lines.push(
      `  ${found.from} imports ${found.to}: ${found.file} (${found.symbols.join(', ') || '*'})`,
      `    at ${found.importer}:${found.line}  import "${found.specifier}"`,
      `    chain: ${found.via.join(' → ')}`,
      `    suggested (${found.suggestion.move}): ${found.suggestion.text}`,
    );
  lines.push('', '2. Blast radius: who redeploys on a change (nx = project precision, lockstep = symbol precision)');
  lines.push('  Libraries', ...radiusTable('LIBRARY', report.blastRadius.libraries));
  lines.push('  Hot files', ...radiusTable('FILE', report.blastRadius.hotFiles));
  lines.push('  Barrels (per export, who uses it: what splitting the barrel would save)');
  if (report.blastRadius.barrels.length === 0) lines.push('    none');
  // The barrels most used first; a workspace can have hundreds: --format json has them all.
  for (const barrel of report.blastRadius.barrels.slice(0, MAX_BARRELS)) {
    lines.push(`    ${barrel.file} (${barrel.project}), used by ${names(barrel.usedBy)}`);
    lines.push(
      ...table(
        ['EXPORT', 'USED BY'],
        barrel.exports.map((entry) => [entry.name, names(entry.usedBy)]),
        6,
      ),
    );
  }
  if (report.blastRadius.barrels.length > MAX_BARRELS)
    lines.push(
      `    … and ${report.blastRadius.barrels.length - MAX_BARRELS} more barrels (--format json has them all)`,
    );

  lines.push('', ...contractLines(report));
  lines.push('', `4. Project cycles (${report.cycles.length})`);
  if (report.cycles.length === 0) lines.push('  none');
  for (const cycle of report.cycles) lines.push(`  ${cycle.path.join(' → ')}  (${cycle.file}:${cycle.line})`);
  if (report.gate) {
    const { gate } = report;
    lines.push(
      '',
      `Gate (--fail-on ${gate.rules.join(',')}): ${gate.failed ? `FAILED, ${gate.failures.length} new` : 'passed'}` +
        (gate.accepted > 0 ? ` (${gate.accepted} accepted by the baseline)` : ''),
      ...gate.failures.map((failure) => `  ${failure.rule}: ${failure.message}`),
    );
  }
  const warnings = [...(report.decisions?.warnings ?? []), ...(report.warnings ?? [])];
  lines.push(...warnings.map((warning) => `warning: ${warning}`));
  return `${lines.join('\n')}\n`;
}

function contractLines(report: CouplingReport): string[] {
  const { contracts } = report;
  const lines = ['3. Contracts (libraries whose exports cross a deploy boundary)'];
  lines.push(
    contracts.libraries.length === 0
      ? '  no contract library (none used by two or more deployables, none tagged type:contract)'
      : `  ${contracts.libraries
          .map(
            (library) => `${library.project} (${library.tagged ? 'type:contract; ' : ''}${names(library.deployables)})`,
          )
          .join(', ')}`,
  );
  if (!report.base) {
    lines.push('  changes: pass --base <ref> to compare the contracts between two commits');
    return lines;
  }
  if (!contracts.classified) lines.push('  TypeScript exports were not classified (no classifier ran)');
  if (contracts.contractChanges.length === 0) lines.push('  no contract changed between base and head');
  for (const change of contracts.contractChanges) lines.push(...changeLines(change));
  return lines;
}

function changeLines(change: AttachedContractChange): string[] {
  const label = change.breaking ? 'BREAKING' : change.kind === 'contract-file-changed' ? 'changed' : 'safe';
  const name = change.exportName ? `${change.project}:${change.exportName}` : `${change.project}`;
  const lines = [`  ${label} ${change.kind} ${name} (${change.file}:${change.line}): ${change.detail}`];
  lines.push(
    change.consumers.length === 0
      ? '    consumers: none'
      : `    consumers: ${change.consumers.map((consumer) => `${consumer.deployable} ${consumer.file}:${consumer.line}`).join(', ')}`,
  );
  if (change.breaking) lines.push(`    advice: ${ADDITIVE_CHANGE_ADVICE}`);
  return lines;
}

function radiusTable(title: string, entries: readonly BlastRadiusEntry[]): string[] {
  if (entries.length === 0) return ['    none'];
  return table(
    [title, 'NX', 'LOCKSTEP', 'DEPLOYABLES (lockstep)'],
    entries.map((entry) => [
      entry.id,
      String(entry.projectPrecision.length),
      String(entry.symbolPrecision.length),
      names(entry.symbolPrecision),
    ]),
    4,
  );
}

export function names(list: readonly string[]): string {
  return list.length === 0 ? '-' : list.join(', ');
}

/** Aligned columns, the last one unpadded. */
function table(header: string[], rows: string[][], indent = 2): string[] {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    ' '.repeat(indent) +
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ');
  return [line(header), ...rows.map(line)];
}
