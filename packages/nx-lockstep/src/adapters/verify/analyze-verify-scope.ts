/**
 * `lockstep verify-targets`: for each deployable, the projects of its own dependency closure that
 * changed since its marker (or an explicit base), at project precision, with the verify targets
 * each has. The marker decision settles what it can exactly as `lockstep affected` does (never
 * deployed or a missing base: the whole closure, safety first; HEAD at or behind the marker:
 * nothing); Nx's own affected computation, the engine's project precision, answers the rest, in
 * one project-graph run for every base.
 */
import { readLockstepOptions } from '../../config/options';
import { decideAtProjectPrecision } from '../../core/affected/decide-project-precision';
import type { FileChange } from '../../core/affected/file-change';
import { NotADeployableError, selectDeployables } from '../../core/affected/select-deployables';
import type { DeployableDecision } from '../../core/result';
import { decideVerifyScope, type VerifyScope } from '../../core/verify/verify-scope';
import { AnalyzeUsageError } from '../analyze-request';
import { GitTree } from '../git-tree';
import { readMarkerBases, readNxJson } from '../markers/marker-bases';
import { settleFromMarkers } from '../markers/marker-decision';
import { startNxProjectGraph, type AffectedBetween } from '../nx-project-graph';

export interface VerifyScopeRequest {
  workspaceRoot: string;
  /** The deployables to verify. */
  projects: string[];
  /** The environment whose markers are the bases (also named in `never-deployed`). */
  env: string;
  /** One base for every deployable instead of its marker. */
  base?: string;
  /** Per-deployable bases (null: never deployed); takes precedence over `base` and the markers. */
  bases?: Record<string, string | null>;
  /** Default HEAD. */
  head?: string;
  /** Default: the plugin option `verifyTargets`. */
  targets?: string[];
  onWarning?: (message: string) => void;
}

export async function analyzeVerifyScopes(request: VerifyScopeRequest): Promise<VerifyScope[]> {
  const { workspaceRoot, env } = request;
  const options = readLockstepOptions(readNxJson(workspaceRoot));
  const targets = request.targets ?? options.verifyTargets;
  const headRef = request.head ?? 'HEAD';
  const git = GitTree.open(workspaceRoot, [headRef, ...(request.base ? [request.base] : [])]);
  const head = git.resolveCommit(headRef);
  if (!head)
    throw new AnalyzeUsageError(
      `--head ${headRef} is not a commit in this repository; pass a branch, tag or sha, e.g. --head HEAD`,
    );
  const bases = request.bases ?? (await basesOf(request, git));
  const { settled, toAnalyze } = settleFromMarkers(workspaceRoot, { env, head, markers: bases });

  // One Nx project graph for every base still to compare, with Nx's affected projects per base.
  const changesByBase = new Map<string, FileChange[]>();
  for (const base of new Set(Object.values(toAnalyze))) changesByBase.set(base, git.diff(base, head));
  const ranges: AffectedBetween[] = [...changesByBase].map(([base, changes]) => ({
    base,
    head,
    touchedFiles: touchedBy(changes),
  }));
  const graph = await startNxProjectGraph(workspaceRoot).affected(ranges);
  const nxAffected = new Map(ranges.map((range, index) => [range.base, new Set(graph.affectedByRange[index] ?? [])]));

  try {
    selectDeployables(Object.values(graph.projects), options.deployTargetName, request.projects);
  } catch (error) {
    if (error instanceof NotADeployableError) throw new AnalyzeUsageError(error.message);
    throw error;
  }
  const roots = new Map(Object.values(graph.projects).map((project) => [project.name, project.root] as const));
  const targetsOf = (project: string) => Object.keys(graph.projects[project]?.targets ?? {});
  return request.projects.map((project) => {
    const settledDecision = settled.get(project);
    const base = toAnalyze[project];
    const decision: DeployableDecision =
      settledDecision ??
      decideAtProjectPrecision({
        deployable: { project, root: roots.get(project) ?? '', base },
        changes: changesByBase.get(base) ?? [],
        projectRoots: roots,
        dependencies: graph.dependencies,
        nxAffected: nxAffected.get(base) ?? new Set(),
      });
    const changed = settledDecision ? 'closure' : (nxAffected.get(base) ?? new Set<string>());
    return decideVerifyScope(
      { decision, dependencies: graph.dependencies, changed, targetsOf, targets },
      { head, env },
    );
  });
}

/** Each deployable's base: the explicit `--base` (as a commit), else its marker for the environment. */
async function basesOf(request: VerifyScopeRequest, git: GitTree): Promise<Record<string, string | null>> {
  if (request.base !== undefined) {
    // A sha this clone lacks (a shallow clone) stays as given: the marker decision deploys with the fix.
    const base = git.resolveCommit(request.base) ?? request.base;
    return Object.fromEntries(request.projects.map((project) => [project, base]));
  }
  return readMarkerBases(request.workspaceRoot, {
    env: request.env,
    projects: request.projects,
    onWarning: request.onWarning,
  });
}

/** Files a diff touches, old paths of renames included: what Nx's affected computation is given. */
function touchedBy(changes: readonly FileChange[]): string[] {
  return [...new Set(changes.flatMap((change) => [change.path, ...(change.oldPath ? [change.oldPath] : [])]))];
}
