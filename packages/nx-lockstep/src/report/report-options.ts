/** What a reporter may be told besides the result. */
export interface ReportOptions {
  /** explain: the deployable to show (default: the result's first). */
  project?: string;
  /** markdown: the most characters to print (default: below GitHub's 65,536 for a comment). */
  maxLength?: number;
}
