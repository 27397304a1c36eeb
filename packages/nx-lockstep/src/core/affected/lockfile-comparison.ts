import { LOCKFILE_NAMES, parseLockfile, type LockedPackages } from '../lockfile/locked-packages';
import { externalPackageChange, type ExternalPackageChange } from './external-package-change';
import type { FileChange } from './file-change';

/** Reads one file of a commit, undefined when it has none. */
interface TextSource {
  readText(path: string): string | undefined;
}

export function isRootLockfile(path: string): boolean {
  return (LOCKFILE_NAMES as readonly string[]).includes(path);
}

/** Whether a root lockfile changed (as a new or an old path). */
export function lockfileChanged(changes: readonly FileChange[]): boolean {
  return changes.some(
    (change) => isRootLockfile(change.path) || (change.oldPath !== undefined && isRootLockfile(change.oldPath)),
  );
}

/** Compares the root lockfiles that changed, package by package, on demand. */
export function lockfileComparison(
  changes: readonly FileChange[],
  head: TextSource,
  base: () => TextSource,
): (name: string) => ExternalPackageChange | undefined {
  const changed = changes.filter(
    (change) => isRootLockfile(change.path) || (change.oldPath !== undefined && isRootLockfile(change.oldPath)),
  );
  if (changed.length === 0) return () => undefined;
  const pairs: Array<{ lockfile: string; base: LockedPackages; head: LockedPackages }> = [];
  const baseSnapshot = base();
  const empty: LockedPackages = { versions: new Map() };
  for (const change of changed) {
    const lockfile = change.path;
    const parse = (snapshot: TextSource, path: string) => {
      const text = snapshot.readText(path);
      return text === undefined ? empty : parseLockfile(path, text);
    };
    pairs.push({ lockfile, base: parse(baseSnapshot, change.oldPath ?? change.path), head: parse(head, change.path) });
  }
  const memo = new Map<string, ExternalPackageChange | undefined>();
  return (name) => {
    if (!memo.has(name))
      memo.set(
        name,
        pairs.map((pair) => externalPackageChange(pair.base, pair.head, name, pair.lockfile)).find(Boolean),
      );
    return memo.get(name);
  };
}
