/**
 * The one registry of reporters: pure `(result, options) => string` functions, one module per
 * format, keyed by the result they read and the format name. A command parses its options, calls
 * the engine and prints `REPORTERS[command][format](result, options)`; a new format (markdown,
 * sarif, mermaid …) or a new result (`report`, `graph`) is one module and one entry here.
 */
import type { AffectedResult } from '../core/result';
import type { StatusResult } from '../core/status-result';
import type { VerifyScope } from '../core/verify/verify-scope';
import { affectedMarkdown } from './affected-markdown';
import { affectedText } from './affected-text';
import { explainText } from './explain-text';
import { affectedJson, explainJson, statusJson, verifyJson } from './json';
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
  verify: VerifyScope[];
}

export type ReportKind = keyof ReportResults;
export type ReportFormat = 'text' | 'json' | 'markdown';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'markdown'];

/** Every kind has text and json; other formats where registered. */
export const REPORTERS: {
  [Kind in ReportKind]: Record<'text' | 'json', Reporter<ReportResults[Kind]>> &
    Partial<Record<ReportFormat, Reporter<ReportResults[Kind]>>>;
} = {
  affected: { text: affectedText, json: affectedJson, markdown: affectedMarkdown },
  explain: { text: explainText, json: explainJson },
  status: { text: statusText, json: statusJson },
  verify: { text: verifyText, json: verifyJson },
};

/** Renders a result with the reporter registered for its kind and format. */
export function renderReport<Kind extends ReportKind>(
  kind: Kind,
  format: ReportFormat,
  result: ReportResults[Kind],
  options: ReportOptions = {},
): string {
  const reporter = REPORTERS[kind][format] as Reporter<ReportResults[Kind]> | undefined;
  if (!reporter) throw new Error(`lockstep ${kind} has no ${format} format; use text or json`);
  return reporter(result, options);
}
