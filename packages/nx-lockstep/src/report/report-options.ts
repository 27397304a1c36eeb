/** What a reporter may be told besides the result. */
export interface ReportOptions {
  /** explain: the deployable to show (default: the result's first). */
  project?: string;
  /** Markdown: the longest output allowed (default: GitHub's comment limit, 65,536). */
  maxLength?: number;
  /** SARIF: the tool version to name. */
  toolVersion?: string;
}
