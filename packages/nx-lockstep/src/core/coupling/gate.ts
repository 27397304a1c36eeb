/**
 * The coupling gate of `lockstep report --fail-on …`: which findings break a rule, minus what
 * the baseline (lockstep-baseline.json, `report` key) already accepted, so the gate fails only
 * on regressions. A blast radius is accepted while it is no larger than the baseline's.
 */
import type { FailOnRule } from '../../config/fail-on';
import type { ReportBaseline } from './baseline';
import type { CouplingReport, GateOutcome } from './coupling-report';

export function applyGate(
  report: Pick<CouplingReport, 'findings' | 'blastRadius'>,
  rules: readonly FailOnRule[],
  baseline: ReportBaseline | undefined,
): GateOutcome {
  const accepted = new Set(baseline?.findings ?? []);
  const failures: GateOutcome['failures'] = [];
  let acceptedCount = 0;
  for (const rule of rules) {
    if (rule.rule === 'blast-radius') {
      for (const library of report.blastRadius.libraries) {
        const size = library.symbolPrecision.length;
        if (size <= (rule.threshold ?? 0)) continue;
        const before = baseline?.blastRadius?.[library.id];
        if (before !== undefined && size <= before) acceptedCount++;
        else
          failures.push({
            rule: 'blast-radius',
            fingerprint: `blast-radius:${library.id}`,
            message:
              `a change to ${library.id} redeploys ${size} deployables, more than ${rule.threshold}` +
              (before !== undefined ? ` (the baseline accepted ${before})` : ''),
          });
      }
      continue;
    }
    for (const finding of report.findings) {
      if (finding.rule !== rule.rule) continue;
      if (accepted.has(finding.fingerprint)) acceptedCount++;
      else failures.push({ rule: rule.rule, fingerprint: finding.fingerprint, message: finding.message });
    }
  }
  return {
    rules: rules.map((rule) => (rule.rule === 'blast-radius' ? `blast-radius>${rule.threshold}` : rule.rule)),
    failed: failures.length > 0,
    failures,
    accepted: acceptedCount,
  };
}

/** What `--update-baseline` writes under the `report` key: every finding and every library's blast radius. */
export function baselineOf(report: Pick<CouplingReport, 'findings' | 'blastRadius'>): ReportBaseline {
  return {
    findings: [...new Set(report.findings.map((finding) => finding.fingerprint))].sort(),
    blastRadius: Object.fromEntries(
      report.blastRadius.libraries.map((library) => [library.id, library.symbolPrecision.length]),
    ),
  };
}
