/**
 * The one decision a deploy marker settles before any analysis, shared by `lockstep affected`
 * (without --base), `lockstep status` and the affected-deploy executor, so all three say the same
 * thing about the same repository: never deployed or the marker's commit missing (deploy, with
 * the fix), HEAD at or behind the marker (nothing to deploy: deploying would roll back), a shallow
 * clone that cannot show the history from the marker to HEAD (deploy, with the fix); otherwise
 * the engine compares the marker's commit with HEAD (ahead, or diverged in a full clone).
 */
import type { DeployableDecision } from '../result';

export const SHALLOW_HINT =
  'fetch the full history (GitHub actions/checkout `fetch-depth: 0`, GitLab `GIT_DEPTH: 0`, Azure `fetchDepth: 0`, or `git fetch --unshallow`)';

/** What git says about one deployable's marker, gathered by the adapter (adapters/markers/marker-decision.ts). */
export interface MarkerFacts {
  project: string;
  env: string;
  /** The marker's commit (or the base given instead of it), null when there is no marker. */
  marker: string | null;
  head: string;
  /** The marker's commit is a commit object in this clone (false: missing, e.g. never fetched or gc'd). */
  present: boolean;
  /** HEAD is an ancestor of the marker (HEAD is behind it); null when git cannot tell. */
  headIsAncestorOfMarker: boolean | null;
  /** The marker is an ancestor of HEAD (HEAD is ahead of it); null when git cannot tell. Neither: diverged. */
  markerIsAncestorOfHead: boolean | null;
  /** The clone is shallow: history may be cut anywhere. */
  shallow: boolean;
  /** Why the marker's commit is missing, when git knows better (it names a tree or a blob). */
  missingHint?: string;
}

/** A decision without analysis, or the base the engine must compare from. */
export type MarkerDecision = { kind: 'decided'; decision: DeployableDecision } | { kind: 'analyse'; base: string };

export function decideFromMarkerFacts(facts: MarkerFacts): MarkerDecision {
  const { project, env, marker: base, head } = facts;
  const decided = (affected: boolean, reasons: DeployableDecision['reasons']): MarkerDecision => ({
    kind: 'decided',
    decision: { project, base, affected, reasons },
  });
  if (base === null) return decided(true, [{ kind: 'never-deployed', env }]);
  if (!facts.present)
    return decided(true, [
      {
        kind: 'base-unavailable',
        base,
        hint: facts.missingHint ?? `commit ${base.slice(0, 8)} is not in this clone; ${SHALLOW_HINT}`,
      },
    ]);
  if (base === head) return decided(false, []);
  // HEAD behind the marker (an old pipeline re-run, or one that started before a newer deploy):
  // what is deployed already contains HEAD, and deploying HEAD would roll it back.
  if (facts.headIsAncestorOfMarker === true) return decided(false, []);
  // In a shallow clone the marker's commit can be present while the history to HEAD is cut:
  // nothing that follows history can be trusted, so deploy and say how to fix the checkout.
  if (facts.shallow && facts.markerIsAncestorOfHead !== true)
    return decided(true, [
      {
        kind: 'base-unavailable',
        base,
        hint: `this is a shallow clone without the history from ${base.slice(0, 8)} to HEAD; ${SHALLOW_HINT}`,
      },
    ]);
  return { kind: 'analyse', base };
}
