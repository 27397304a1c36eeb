/**
 * The findings of a coupling report: one per thing a reviewer can act on, located at a line
 * (the importing line, the consumer's use site, the changed export) and fingerprinted without
 * line numbers, so an unrelated edit does not make an accepted finding new again.
 */
import type { ContractConsumer } from './contract-change';
import type { CouplingFinding, CouplingReport } from './coupling-report';

export function findingsOf(
  report: Pick<CouplingReport, 'deployableImports' | 'contracts' | 'cycles' | 'blastRadius'>,
  blastRadiusThreshold?: number,
): CouplingFinding[] {
  const findings: CouplingFinding[] = [];
  for (const found of report.deployableImports)
    findings.push({
      rule: 'deployable-import',
      level: 'error',
      fingerprint: `deployable-import:${found.from}:${found.importer}->${found.file}`,
      message:
        `${found.from} imports ${found.to}'s ${found.file} (${found.symbols.join(', ') || '*'}): ` +
        `a change to it redeploys both. Suggested: ${found.suggestion.text}.`,
      file: found.importer,
      line: found.line,
    });
  for (const change of report.contracts.contractChanges) {
    const name = change.exportName ? `${change.project}:${change.exportName}` : change.file;
    const consumers = deployablesOf(change.consumers);
    const consumed = consumers.length > 0 ? `consumed by ${consumers.join(', ')}` : 'no deployable consumes it';
    const base = {
      fingerprint: `${change.breaking ? 'breaking-contract' : 'contract-change'}:${change.project}:${change.exportName || change.file}:${change.kind}`,
      rule: change.breaking ? ('breaking-contract' as const) : ('contract-change' as const),
      level: change.breaking ? ('error' as const) : ('note' as const),
    };
    findings.push({
      ...base,
      message: `${change.kind} ${name}: ${change.detail} (${consumed})`,
      file: change.file,
      line: change.line,
    });
    // A breaking change also shows at each consumer's use site, where the code will break.
    if (change.breaking)
      for (const consumer of change.consumers)
        findings.push({
          ...base,
          fingerprint: `${base.fingerprint}:${consumer.deployable}:${consumer.file}`,
          message: `${consumer.deployable} uses ${name} here, which changed: ${change.detail}`,
          file: consumer.file,
          line: consumer.line,
        });
  }
  if (blastRadiusThreshold !== undefined)
    for (const library of report.blastRadius.libraries) {
      if (library.symbolPrecision.length <= blastRadiusThreshold) continue;
      findings.push({
        rule: 'blast-radius',
        level: 'warning',
        fingerprint: `blast-radius:${library.id}`,
        message:
          `a change to ${library.id} redeploys ${library.symbolPrecision.length} deployables ` +
          `(more than ${blastRadiusThreshold}): ${library.symbolPrecision.join(', ')}`,
        file: library.file,
        line: 1,
      });
    }
  for (const cycle of report.cycles)
    findings.push({
      rule: 'cycle',
      level: 'warning',
      fingerprint: `cycle:${cycle.projects.join(',')}`,
      message: `project cycle ${cycle.path.join(' → ')}: each depends on every other, so a change to one redeploys the dependents of all`,
      file: cycle.file,
      line: cycle.line,
    });
  return findings;
}

function deployablesOf(consumers: readonly ContractConsumer[]): string[] {
  return [...new Set(consumers.map((consumer) => consumer.deployable))].sort();
}
