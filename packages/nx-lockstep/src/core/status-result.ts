/**
 * The result of `lockstep status`: where each deployable stands in one environment. Its JSON form
 * is a public, versioned contract beside the affected result, shipped as
 * schema/status-result.schema.json; the reporters in report/ read this shape alone.
 */
import type { DeployableDecision, Precision, RESULT_VERSION } from './result';

export interface DeployableStatus {
  project: string;
  /** The marker tag name, whether or not it exists. */
  tag: string;
  marker: { sha: string; date: string | null; runId?: string } | null;
  /** "3d 4h" since the marker's deploy time; null without a marker. */
  age: string | null;
  /** Commits from the marker to HEAD; null without a marker or when history is missing. */
  commitsSince: number | null;
  pending: boolean;
  reasons: DeployableDecision['reasons'];
}

export interface StatusResult {
  version: typeof RESULT_VERSION;
  env: string;
  head: string;
  precision: Precision;
  deployables: DeployableStatus[];
  warnings: string[];
}
