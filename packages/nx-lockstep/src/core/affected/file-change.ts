/** One entry of `git diff --raw -M base head`. */
export interface FileChange {
  /** A added, M modified, D deleted, R renamed (path is the new name), C copied, T type changed. */
  status: 'A' | 'M' | 'D' | 'R' | 'C' | 'T';
  path: string;
  /** The old name of a renamed or copied file. */
  oldPath?: string;
  /** Content ids (git blob ids) at base (of `oldPath` for a rename or copy) and at head, when known. */
  baseBlob?: string;
  headBlob?: string;
  /** The head side is a submodule (a gitlink), which is no file of the commit (`git ls-tree` lists no blob). */
  gitlink?: true;
}

/** Paths that existed at base and changed or disappeared: what a base-side reach must check. */
export function pathsChangedAtBase(changes: readonly FileChange[]): string[] {
  const paths: string[] = [];
  for (const change of changes) {
    if (change.status === 'D' || change.status === 'M' || change.status === 'T') paths.push(change.path);
    if (change.status === 'R' && change.oldPath) paths.push(change.oldPath);
  }
  return paths;
}

/** Paths present at head that are new or different. */
export function pathsChangedAtHead(changes: readonly FileChange[]): string[] {
  return changes.filter((change) => change.status !== 'D').map((change) => change.path);
}
