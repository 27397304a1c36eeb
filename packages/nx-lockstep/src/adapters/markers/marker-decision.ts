/**
 * Reads what git says about deploy markers (present, ancestry, shallow) and applies the one pure
 * marker decision (core/affected/decide-from-marker.ts). Used by the executor, `lockstep status`
 * and `lockstep affected` without --base, so all three say the same thing about the same repository.
 */
import { decideFromMarkerFacts, type MarkerFacts } from '../../core/affected/decide-from-marker';
import type { DeployableDecision } from '../../core/result';
import { hasCommit, isAncestor, isShallow } from './git';
import { notACommitHint } from './not-a-commit';

export { SHALLOW_HINT } from '../../core/affected/decide-from-marker';

export interface MarkerQuestion {
  project: string;
  env: string;
  /** The marker's commit (or a base given instead), null when there is none. */
  base: string | null;
  head: string;
  /** Whether the clone is shallow, when the caller already knows. */
  shallow?: boolean;
  /** The marker tag the base comes from, named in the hint when it points at no commit. */
  tag?: string;
}

/** The facts of one marker, from git. */
export function readMarkerFacts(workspaceRoot: string, question: MarkerQuestion): MarkerFacts {
  const { project, env, base: marker, head } = question;
  const present = marker !== null && hasCommit(workspaceRoot, marker);
  const related = present && marker !== head;
  return {
    project,
    env,
    marker,
    head,
    present,
    headIsAncestorOfMarker: related ? isAncestor(workspaceRoot, head, marker) : marker === head ? true : null,
    markerIsAncestorOfHead: related ? isAncestor(workspaceRoot, marker, head) : marker === head ? true : null,
    shallow: question.shallow ?? isShallow(workspaceRoot),
    missingHint: marker !== null && !present ? notACommitHint(workspaceRoot, marker, question.tag) : undefined,
  };
}

/** A decision without analysis, or undefined when the engine must compare base..head. */
export function decideFromMarker(workspaceRoot: string, question: MarkerQuestion): DeployableDecision | undefined {
  const decision = decideFromMarkerFacts(readMarkerFacts(workspaceRoot, question));
  return decision.kind === 'decided' ? decision.decision : undefined;
}

/** The marker decision of several deployables: those it settles, and the bases of the rest. */
export function settleFromMarkers(
  workspaceRoot: string,
  input: {
    env: string;
    head: string;
    markers: Readonly<Record<string, string | null>>;
    shallow?: boolean;
    /** project → its marker tag, named in hints. */
    tags?: Readonly<Record<string, string>>;
  },
): { settled: Map<string, DeployableDecision>; toAnalyze: Record<string, string> } {
  const shallow = input.shallow ?? isShallow(workspaceRoot);
  const settled = new Map<string, DeployableDecision>();
  const toAnalyze: Record<string, string> = {};
  for (const [project, base] of Object.entries(input.markers)) {
    const decision = decideFromMarkerFacts(
      readMarkerFacts(workspaceRoot, {
        project,
        env: input.env,
        base,
        head: input.head,
        shallow,
        tag: input.tags?.[project],
      }),
    );
    if (decision.kind === 'decided') settled.set(project, decision.decision);
    else toAnalyze[project] = decision.base;
  }
  return { settled, toAnalyze };
}
