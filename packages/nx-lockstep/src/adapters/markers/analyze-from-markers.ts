/**
 * `lockstep affected` and `lockstep explain` without --base: each deployable compared from its own
 * deploy marker for the environment. The marker decision settles what it can (never deployed,
 * marker missing, HEAD at or behind the marker, a shallow clone), exactly as `lockstep status`
 * and the executor do; the engine compares the rest.
 */
import { readLockstepOptions } from '../../config/options';
import { RESULT_VERSION, type AffectedResult, type DeployableDecision, type Precision } from '../../core/result';
import { AnalyzeUsageError, type AnalyzeRequest } from '../analyze-request';
import { resolveCommit } from './git';
import { readMarkerBases, readNxJson } from './marker-bases';
import { settleFromMarkers } from './marker-decision';

export interface MarkerAnalysisRequest {
  workspaceRoot: string;
  env: string;
  /** Default HEAD. */
  head?: string;
  precision?: Precision;
  /** Only these deployables (default: all). */
  projects?: string[];
  onWarning?: (message: string) => void;
}

export async function analyzeFromMarkers(
  request: MarkerAnalysisRequest,
  analyze: (request: AnalyzeRequest) => Promise<AffectedResult>,
): Promise<AffectedResult> {
  const { workspaceRoot, env } = request;
  const headRef = request.head ?? 'HEAD';
  const bases = await readMarkerBases(workspaceRoot, { env, projects: request.projects, onWarning: request.onWarning });
  let head: string;
  try {
    head = resolveCommit(workspaceRoot, headRef);
  } catch {
    throw new AnalyzeUsageError(
      `--head ${headRef} is not a commit in this repository; pass a branch, tag or sha, e.g. --head HEAD`,
    );
  }
  const { settled, toAnalyze } = settleFromMarkers(workspaceRoot, { env, head, markers: bases });
  const analysis = { workspaceRoot, head: request.head, env, precision: request.precision };
  // Nothing settled: the engine answers for every deployable (and may remember the whole result).
  if (settled.size === 0) return analyze({ ...analysis, bases, projects: request.projects });
  const analysed =
    Object.keys(toAnalyze).length > 0
      ? await analyze({ ...analysis, bases: toAnalyze, projects: Object.keys(toAnalyze) })
      : undefined;
  const deployables: DeployableDecision[] = [...settled.values(), ...(analysed?.deployables ?? [])].sort((a, b) =>
    a.project.localeCompare(b.project),
  );
  if (analysed) return { ...analysed, deployables };
  const precision = request.precision ?? readLockstepOptions(readNxJson(workspaceRoot)).precision;
  return { version: RESULT_VERSION, head, precision, env, deployables };
}
