/**
 * One replayed commit as `lockstep history` keeps it: the two decisions (lockstep's precision and
 * Nx's) reduced to who deploys, and why in terms of whose code changed — all coupling needs, a
 * few hundred bytes a commit instead of every reason's import chain.
 */
import type { AffectedResult, Reason } from '../result';
import type { DeployCause, HistoryCommit } from './history-result';

export interface CommitInfo {
  sha: string;
  parent: string;
  date: string;
  subject: string;
}

/**
 * The record of one commit. `lockstep` and `nx` are the engine's decisions for parent..commit at
 * lockstep's precision and at project precision; `projectRoots` names the owner of a changed file.
 */
export function historyCommit(
  info: CommitInfo,
  lockstep: AffectedResult,
  nx: AffectedResult,
  projectRoots: ReadonlyMap<string, string>,
): HistoryCommit {
  const ownerOf = fileOwner(projectRoots);
  const deployed = lockstep.deployables.filter((decision) => decision.affected);
  const causes: Record<string, DeployCause[]> = {};
  for (const decision of deployed) causes[decision.project] = causesOf(decision.project, decision.reasons, ownerOf);
  return {
    ...info,
    deployables: lockstep.deployables.length,
    lockstep: deployed.map((decision) => decision.project).sort(),
    nx: nx.deployables
      .filter((decision) => decision.affected)
      .map((decision) => decision.project)
      .sort(),
    causes,
  };
}

/** The distinct causes of a deployable's reasons, in the order the reasons give them. */
export function causesOf(
  project: string,
  reasons: readonly Reason[],
  ownerOf: (file: string) => string | undefined,
): DeployCause[] {
  const causes = new Map<string, DeployCause>();
  const add = (key: string, cause: DeployCause) => {
    const known = causes.get(key);
    if (!known) causes.set(key, cause);
    else if (known.kind === 'shared-code' && cause.kind === 'shared-code' && cause.symbols)
      known.symbols = [...new Set([...(known.symbols ?? []), ...cause.symbols])].sort();
  };
  for (const reason of reasons) {
    switch (reason.kind) {
      case 'own-file-changed':
        add('own', { kind: 'own' });
        break;
      case 'imported-file-changed':
      case 'dependency-project-changed': {
        const owner = reason.kind === 'dependency-project-changed' ? reason.project : ownerOf(reason.file);
        if (owner === project) add('own', { kind: 'own' });
        else {
          const symbols = reason.kind === 'imported-file-changed' ? reason.declarations : undefined;
          add(`shared:${reason.file}`, {
            kind: 'shared-code',
            // A file no project owns (a root-level source) is shared code of the workspace itself.
            project: owner ?? '(workspace root)',
            file: reason.file,
            ...(symbols?.length ? { symbols: [...symbols].sort() } : {}),
          });
        }
        break;
      }
      case 'external-package-changed':
        add(`package:${reason.package}`, { kind: 'external-package', package: reason.package });
        break;
      case 'global-input-changed':
        add(`global:${reason.file}`, { kind: 'global-input', file: reason.file });
        break;
      default:
        add(`other:${reason.kind}`, { kind: 'other', detail: reason.kind });
    }
  }
  return [...causes.values()];
}

/** The project whose root holds a file (the deepest root wins; a root project only when no other does). */
export function fileOwner(projectRoots: ReadonlyMap<string, string>): (file: string) => string | undefined {
  const roots = [...projectRoots]
    .map(([project, root]) => ({ project, prefix: root === '' ? '' : `${root}/` }))
    .sort((a, b) => b.prefix.length - a.prefix.length);
  return (file) => roots.find(({ prefix }) => file.startsWith(prefix))?.project;
}
