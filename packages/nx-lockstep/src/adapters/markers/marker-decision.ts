/**
 * Reads what git says about deploy markers (present, ancestry, shallow) and applies the one pure
 * marker decision (core/affected/decide-from-marker.ts). Used by the executor, `lockstep status`
 * and `lockstep affected` without --base, so all three say the same thing about the same repository.
 */
import { decideFromMarkerFacts, type MarkerFacts } from '../../core/affected/decide-from-marker';
import type { DeployableDecision } from '../../core/result';
import { ancestry, hasCommit, isAncestor, isShallow } from './git';
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
  let present = false;
  let headIsAncestorOfMarker: boolean | null = null;
  let markerIsAncestorOfHead: boolean | null = null;
  if (marker !== null && marker === head) {
    present = true;
    headIsAncestorOfMarker = markerIsAncestorOfHead = true;
  } else if (marker !== null) {
    // One git process answers presence and both ancestries in the usual case; only when it
    // cannot tell (an object missing) are the three questions asked apart, as before.
    const known = ancestry(workspaceRoot, head, marker);
    if (known) {
      present = true;
      headIsAncestorOfMarker = known.aInB;
      markerIsAncestorOfHead = known.bInA;
    } else if (hasCommit(workspaceRoot, marker)) {
      present = true;
      headIsAncestorOfMarker = isAncestor(workspaceRoot, head, marker);
      markerIsAncestorOfHead = isAncestor(workspaceRoot, marker, head);
    }
  }
  return {
    project,
    env,
    marker,
    head,
    present,
    headIsAncestorOfMarker,
    markerIsAncestorOfHead,
    shallow: question.shallow ?? isShallow(workspaceRoot),
    missingHint: marker !== null && !present ? notACommitHint(workspaceRoot, marker, question.tag) : undefined,
  };
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
