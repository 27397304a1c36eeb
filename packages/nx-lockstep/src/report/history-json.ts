import type { HistoryResult } from '../core/coupling/history-result';
import type { ReportOptions } from './report-options';

/** The versioned JSON contract (schema/history-result.schema.json), two-space indented. */
export function historyJson(result: HistoryResult, _options: ReportOptions = {}): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}
