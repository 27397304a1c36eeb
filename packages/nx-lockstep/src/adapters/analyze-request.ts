import type { Precision } from '../core/result';
import type { WorkspaceProjectGraph } from './nx-project-graph';

export interface AnalyzeRequest {
  workspaceRoot: string;
  /** Commit to analyse; default HEAD. The workspace is read from this commit, not from disk. */
  head?: string;
  /** One base for every deployable (`--base`). */
  base?: string;
  /** Per-deployable bases (markers); null = never deployed. Takes precedence over `base`. */
  bases?: Record<string, string | null>;
  precision?: Precision;
  /** Limit the result to these deployables. */
  projects?: string[];
  env?: string;
  /**
   * The coupling report and `lockstep graph`: read Nx's whole project graph (dependencies too, as
   * at project precision) and always build the model, never answering from the result cache.
   */
  forCoupling?: boolean;
  /**
   * Nx's whole project graph, already read by this process from the same working tree (by a
   * history replay, for `lockstep graph --history`): used instead of starting Nx again when no
   * range needs Nx's own affected projects (every precision but `project`).
   */
  projectGraph?: WorkspaceProjectGraph;
}

/** A request the caller got wrong (CLI exit code 2), as opposed to a failure while analysing. */
export class AnalyzeUsageError extends Error {
  override name = 'AnalyzeUsageError';
}
