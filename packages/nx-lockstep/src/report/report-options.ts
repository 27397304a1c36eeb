/** What a reporter may be told besides the result. */
export interface ReportOptions {
  /** explain: the deployable to show (default: the result's first). */
  project?: string;
}
