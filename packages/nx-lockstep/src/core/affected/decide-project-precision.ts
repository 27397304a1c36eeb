import type { DeployableDecision, Reason } from '../result';
import type { DeployableTarget } from './decide-deployable';
import { ownerRoot } from './decide-deployable';
import type { FileChange } from './file-change';

export interface ProjectPrecisionInput {
  deployable: DeployableTarget;
  changes: readonly FileChange[];
  /** Project name → root. */
  projectRoots: ReadonlyMap<string, string>;
  /** Project name → the projects it depends on. */
  dependencies: Readonly<Record<string, readonly string[]>>;
  /** What Nx itself reports as affected (`nx show projects --affected`): the decision follows it exactly. */
  nxAffected: ReadonlySet<string>;
}

/**
 * Project precision is Nx's own answer; this adds the reasons: the deployable's own changed files,
 * then each changed dependency with the project chain to it, else the workspace-wide file that
 * made Nx mark it.
 */
export function decideAtProjectPrecision(input: ProjectPrecisionInput): DeployableDecision {
  const { deployable } = input;
  if (!input.nxAffected.has(deployable.project))
    return { project: deployable.project, base: deployable.base, affected: false, reasons: [] };

  const roots = [...input.projectRoots.values()];
  const ownerOf = new Map<string, string>();
  for (const [name, root] of input.projectRoots) ownerOf.set(root, name);
  const changedByProject = new Map<string, string[]>();
  const unowned: string[] = [];
  for (const change of input.changes) {
    for (const path of [change.path, change.oldPath].filter((value): value is string => !!value)) {
      const root = ownerRoot(path, roots);
      const project = root === undefined ? undefined : ownerOf.get(root);
      if (!project) {
        unowned.push(path);
        continue;
      }
      const list = changedByProject.get(project) ?? [];
      list.push(path);
      changedByProject.set(project, list);
    }
  }

  const reasons: Reason[] = [];
  for (const file of changedByProject.get(deployable.project) ?? []) reasons.push({ kind: 'own-file-changed', file });
  // Breadth-first over dependencies so each `via` is a shortest project chain.
  const parents = new Map<string, string | null>([[deployable.project, null]]);
  const queue = [deployable.project];
  for (let index = 0; index < queue.length; index++) {
    const project = queue[index];
    for (const dependency of input.dependencies[project] ?? []) {
      if (parents.has(dependency)) continue;
      parents.set(dependency, project);
      queue.push(dependency);
      const files = changedByProject.get(dependency);
      if (!files) continue;
      const via: string[] = [];
      for (let current: string | null | undefined = dependency; current; current = parents.get(current))
        via.unshift(current);
      for (const file of files) reasons.push({ kind: 'dependency-project-changed', project: dependency, file, via });
    }
  }
  if (reasons.length === 0) {
    for (const file of unowned)
      reasons.push({
        kind: 'global-input-changed',
        file,
        detail: 'a workspace file outside every project: Nx counts it as an input of this project',
      });
  }
  if (reasons.length === 0)
    reasons.push({
      kind: 'global-input-changed',
      file: '(workspace)',
      detail: 'Nx reports this project affected (implicit dependency or workspace configuration)',
    });
  return { project: deployable.project, base: deployable.base, affected: true, reasons };
}
