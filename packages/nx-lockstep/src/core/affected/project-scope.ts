/**
 * Projects as scopes of files: which project owns a file (the most nested root), and which
 * projects a project depends on, transitively. Dependencies are what Nx would find from the
 * files themselves: workspace files a project's non-test files import (type-only imports
 * included, as Nx counts them) and the workspace packages its package.json names — except
 * imports of files that never ship (`ships`: lint and test configs, files its build inputs
 * exclude), unless a shipped file of the project imports them: nx-console's every
 * `eslint.config.mjs` imports the root one, which made every app depend on the root project
 * (its package.json and lockfile) though nothing at run time holds them together. Nx keeps
 * that edge; project precision reads Nx's graph, not this one. Computed lazily, per project
 * asked for, so an analysis reads only the projects it needs.
 */
import { isTestFile } from '../extract/file-kinds';

export interface ProjectScopeSource {
  /** Project name → workspace-relative root ('' for a root project). */
  roots: ReadonlyMap<string, string>;
  /** Every file of the commit. */
  files: Iterable<string>;
  /** Workspace files a file imports (any import, type-only included). */
  importsOf(file: string): readonly string[];
  /** Projects a project declares as dependencies (package.json workspace packages, implicit ones). */
  declaredDependencies?(project: string): readonly string[];
  /**
   * Whether a file of a project can ship (not a tooling config, in its build inputs). Default:
   * every non-test file.
   */
  ships?(project: string, file: string): boolean;
  /** Dependencies Nx itself reported, when the whole graph was computed: used as they are. */
  nxDependencies?: Readonly<Record<string, readonly string[]>>;
}

export interface ProjectScope {
  ownerOf(file: string): string | undefined;
  /** Files owned by a project. */
  filesOf(project: string): readonly string[];
  /** The project and every project it depends on, transitively. */
  closureOf(project: string): ReadonlySet<string>;
  /** `from` → … → `to` by dependencies, or undefined when `from` does not depend on `to`. */
  chainTo(from: string, to: string): string[] | undefined;
}

export function createProjectScope(source: ProjectScopeSource): ProjectScope {
  const byRoot = new Map<string, string>();
  for (const [name, root] of source.roots) byRoot.set(root === '.' ? '' : root, name);
  // A file's owner depends only on its folder: remembered per folder (a tenth as many as files).
  const ownerByFolder = new Map<string, string | undefined>();
  const ownerOfFolder = (folder: string): string | undefined => {
    if (ownerByFolder.has(folder)) return ownerByFolder.get(folder);
    let owner: string | undefined;
    for (let end = folder.length; end > 0 && owner === undefined; end = folder.lastIndexOf('/', end - 1))
      owner = byRoot.get(folder.slice(0, end));
    owner ??= byRoot.get('');
    ownerByFolder.set(folder, owner);
    return owner;
  };
  const ownerOf = (file: string): string | undefined => {
    const slash = file.lastIndexOf('/');
    return ownerOfFolder(slash > 0 ? file.slice(0, slash) : '');
  };
  let filesByProject: Map<string, string[]> | undefined;
  const filesOf = (project: string): readonly string[] => {
    if (!filesByProject) {
      filesByProject = new Map();
      // Files come folder by folder (git's order): one in the folder of the file before has its owner.
      let folder: string | undefined;
      let owner: string | undefined;
      for (const file of source.files) {
        const slash = file.lastIndexOf('/');
        const length = slash > 0 ? slash : 0;
        if (folder === undefined || length !== folder.length || !file.startsWith(folder))
          owner = ownerOfFolder((folder = file.slice(0, length)));
        if (owner === undefined) continue;
        let list = filesByProject.get(owner);
        if (!list) filesByProject.set(owner, (list = []));
        list.push(file);
      }
    }
    return filesByProject.get(project) ?? [];
  };
  // The owners of what a project's shipped files import, and of what the project's own files
  // they import in turn import (an excluded file a shipped one imports still ships).
  const importedOwners = (project: string): Set<string> => {
    const ships = (file: string) => (source.ships ? source.ships(project, file) : !isTestFile(file));
    const owners = new Set<string>();
    const queue = filesOf(project).filter(ships);
    const seen = new Set(queue);
    for (let index = 0; index < queue.length; index++) {
      for (const target of source.importsOf(queue[index])) {
        const owner = ownerOf(target);
        if (owner === undefined) continue;
        owners.add(owner);
        if (owner === project && !seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
    return owners;
  };
  const directMemo = new Map<string, string[]>();
  const directOf = (project: string): string[] => {
    let direct = directMemo.get(project);
    if (direct) return direct;
    const found = new Set<string>(source.nxDependencies?.[project] ?? []);
    if (!source.nxDependencies) {
      for (const dependency of source.declaredDependencies?.(project) ?? []) found.add(dependency);
      for (const owner of importedOwners(project)) found.add(owner);
    }
    found.delete(project);
    directMemo.set(project, (direct = [...found].sort()));
    return direct;
  };
  const parentsMemo = new Map<string, Map<string, string | null>>();
  const parentsOf = (project: string): Map<string, string | null> => {
    let parents = parentsMemo.get(project);
    if (parents) return parents;
    parents = new Map([[project, null]]);
    const queue = [project];
    for (let index = 0; index < queue.length; index++) {
      for (const dependency of directOf(queue[index])) {
        if (parents.has(dependency)) continue;
        parents.set(dependency, queue[index]);
        queue.push(dependency);
      }
    }
    parentsMemo.set(project, parents);
    return parents;
  };
  return {
    ownerOf,
    filesOf,
    closureOf: (project) => new Set(parentsOf(project).keys()),
    chainTo(from, to) {
      const parents = parentsOf(from);
      if (!parents.has(to)) return undefined;
      const chain: string[] = [];
      for (let current: string | null | undefined = to; current; current = parents.get(current)) chain.unshift(current);
      return chain;
    },
  };
}
