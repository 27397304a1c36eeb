/**
 * The one registry of reporters: pure `(result, options) => string` functions, one module per
 * format, keyed by the result they read and the format name. A command parses its options, calls
 * the engine and prints `REPORTERS[command][format](result, options)`; a new format (markdown,
 * sarif, mermaid …) or a new result (`report`, `graph`) is one module and one entry here.
 */
import type { CouplingReport } from '../core/coupling/coupling-report';
import type { HistoryResult } from '../core/coupling/history-result';
import type { AffectedResult } from '../core/result';
import type { StatusResult } from '../core/status-result';
import type { VerifyScope } from '../core/verify/verify-scope';
import { affectedMarkdown } from './affected-markdown';
import { affectedText } from './affected-text';
import { couplingMarkdown } from './coupling-markdown';
import { couplingSarif } from './coupling-sarif';
import { couplingText } from './coupling-text';
import { explainText } from './explain-text';
import { historyJson } from './history-json';
import { historyMarkdown } from './history-markdown';
import { historyText } from './history-text';
import { affectedJson, couplingJson, explainJson, statusJson, verifyJson } from './json';
import type { ReportOptions } from './report-options';
import { statusText } from './status-text';
import { verifyText } from './verify-text';

export type { ReportOptions } from './report-options';

export type Reporter<Result> = (result: Result, options?: ReportOptions) => string;

/** What each command's reporters read. */
export interface ReportResults {
  affected: AffectedResult;
  explain: AffectedResult;
  status: StatusResult;
  report: CouplingReport;
  history: HistoryResult;
  verify: VerifyScope[];
}

export type ReportKind = keyof ReportResults;
export type ReportFormat = 'text' | 'json' | 'markdown' | 'sarif';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'markdown', 'sarif'];

/** Every kind has text and JSON; other formats where they make sense. */
type KindReporters<Result> = Record<'text' | 'json', Reporter<Result>> &
  Partial<Record<ReportFormat, Reporter<Result>>>;

export const REPORTERS: { [Kind in ReportKind]: KindReporters<ReportResults[Kind]> } = {
  affected: { text: affectedText, json: affectedJson, markdown: affectedMarkdown },
  explain: { text: explainText, json: explainJson },
  status: { text: statusText, json: statusJson },
  report: { text: couplingText, json: couplingJson, markdown: couplingMarkdown, sarif: couplingSarif },
  history: { text: historyText, json: historyJson, markdown: historyMarkdown },
  verify: { text: verifyText, json: verifyJson },
};

/** The formats a kind of result can be printed in. */
export function formatsOf(kind: ReportKind): ReportFormat[] {
  return REPORT_FORMATS.filter((format) => REPORTERS[kind][format] !== undefined);
}

/** Renders a result with the reporter registered for its kind and format. */
export function renderReport<Kind extends ReportKind>(
  kind: Kind,
  format: ReportFormat,
  result: ReportResults[Kind],
  options: ReportOptions = {},
): string {
  const reporter = REPORTERS[kind][format] as Reporter<ReportResults[Kind]> | undefined;
  if (!reporter) throw new Error(`no ${format} reporter for ${kind}: use one of ${formatsOf(kind).join(', ')}`);
  return reporter(result, options);
}
