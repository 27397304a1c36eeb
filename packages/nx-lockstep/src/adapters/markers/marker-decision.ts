/**
 * The decisions a marker settles before any analysis: never deployed, base missing or cut off
 * by a shallow clone (deploy, with the fix), already at or past HEAD (skip). Shared by the executor and
 * `lockstep status`, so both say the same thing about the same repository.
 */
import type { DeployableDecision } from '../../core/result';
import { hasCommit, isAncestor, isShallow } from './git';
import { notACommitHint } from './not-a-commit';

export const SHALLOW_HINT =
  'fetch the full history (GitHub actions/checkout `fetch-depth: 0`, GitLab `GIT_DEPTH: 0`, Azure `fetchDepth: 0`, or `git fetch --unshallow`)';

/** A decision without analysis, or undefined when the engine must compare base..head. */
export function decideFromMarker(
  workspaceRoot: string,
  input: { project: string; env: string; base: string | null; head: string; shallow?: boolean; tag?: string },
): DeployableDecision | undefined {
  const { project, env, base, head } = input;
  if (base === null) return { project, base, affected: true, reasons: [{ kind: 'never-deployed', env }] };
  if (!hasCommit(workspaceRoot, base)) {
    const hint =
      notACommitHint(workspaceRoot, base, input.tag) ??
      `commit ${base.slice(0, 8)} is not in this clone; ${SHALLOW_HINT}`;
    return { project, base, affected: true, reasons: [{ kind: 'base-unavailable', base, hint }] };
  }
  if (base === head) return { project, base, affected: false, reasons: [] };
  // HEAD behind the marker (an old pipeline re-run, or one that started before a newer deploy):
  // what is deployed already contains HEAD, and deploying HEAD would roll it back.
  if (isAncestor(workspaceRoot, head, base) === true) return { project, base, affected: false, reasons: [] };
  // In a shallow clone the marker's commit can be present while the history to HEAD is cut:
  // nothing that follows history can be trusted, so deploy and say how to fix the checkout.
  const shallow = input.shallow ?? isShallow(workspaceRoot);
  if (shallow && isAncestor(workspaceRoot, base, head) !== true) {
    return {
      project,
      base,
      affected: true,
      reasons: [
        {
          kind: 'base-unavailable',
          base,
          hint: `this is a shallow clone without the history from ${base.slice(0, 8)} to HEAD; ${SHALLOW_HINT}`,
        },
      ],
    };
  }
  return undefined;
}
