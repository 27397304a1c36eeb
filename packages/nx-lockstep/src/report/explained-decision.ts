import type { AffectedResult, DeployableDecision } from '../core/result';
import type { ReportOptions } from './report-options';

/** The decision `explain` shows: the one named by `options.project`, else the result's first. */
export function explainedDecision(result: AffectedResult, options: ReportOptions): DeployableDecision {
  const decision =
    options.project === undefined
      ? result.deployables[0]
      : result.deployables.find((candidate) => candidate.project === options.project);
  if (!decision) {
    const known = result.deployables.map((candidate) => candidate.project).join(', ') || 'none';
    throw new Error(`explain: no decision for ${options.project ?? 'any deployable'} in the result (it has: ${known})`);
  }
  return decision;
}
