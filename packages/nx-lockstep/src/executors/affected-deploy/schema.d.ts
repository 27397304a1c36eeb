import type { Precision } from '../../core/result';

export interface AffectedDeployExecutorSchema {
  /** Environment to deploy to (default "production"). */
  env?: string;
  /** Compare from this commit instead of the project's marker. */
  base?: string;
  /** Deploy even when nothing reached the project. */
  force?: boolean;
  /** Decide and explain only; deploy nothing, move no marker. */
  dryRun?: boolean;
  /** Affected precision; default: the plugin option. */
  precision?: Precision;
  /** Push the marker to the remote (default true). */
  pushMarker?: boolean;
  /** Seconds to wait for another deploy's lease (default 1800). */
  leaseTimeout?: number;
  /** Seconds a lease stays valid without renewal (default 600). */
  leaseExpiry?: number;
}
