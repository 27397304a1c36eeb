import type { CouplingReport } from '../core/coupling/coupling-report';
import type { AffectedResult } from '../core/result';
import type { StatusResult } from '../core/status-result';
import type { VerifyScope } from '../core/verify/verify-scope';
import type { ReportOptions } from './report-options';
import { explainedDecision } from './explained-decision';

/** The versioned JSON contract (schema/affected-result.schema.json), two-space indented. */
export function affectedJson(result: AffectedResult, _options: ReportOptions = {}): string {
  return toJson(result);
}

/** `explain --json`: the affected result narrowed to the one deployable explained (same schema). */
export function explainJson(result: AffectedResult, options: ReportOptions = {}): string {
  const decision = explainedDecision(result, options);
  return toJson({ ...result, deployables: [decision] });
}

/** schema/status-result.schema.json. */
export function statusJson(result: StatusResult, _options: ReportOptions = {}): string {
  return toJson(result);
}

/** schema/coupling-report.schema.json. */
export function couplingJson(report: CouplingReport, _options: ReportOptions = {}): string {
  return toJson(report);
}

/** `verify-targets --json`: one scope per deployable asked for. */
export function verifyJson(scopes: VerifyScope[], _options: ReportOptions = {}): string {
  return toJson({ version: 1, scopes });
}

function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
