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

/**
 * Compares the root lockfiles that changed, package by package, on demand. A lockfile that does
 * not parse at either side makes every package a change marked `unreadable` (see
 * ExternalPackageChange): the deployables that import any package are deployed, saying why.
 */
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
  for (const change of changed) {
    const lockfile = change.path;
    const before = readLocked(baseSnapshot, change.oldPath ?? change.path, 'base');
    if (typeof before === 'string') return everyPackageChanged(lockfile, before);
    const after = readLocked(head, change.path, 'head');
    if (typeof after === 'string') return everyPackageChanged(lockfile, after);
    pairs.push({ lockfile, base: before, head: after });
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

const EMPTY: LockedPackages = { versions: new Map() };

/** When unsure, deploy: no version of an unreadable lockfile is known, so every package counts as changed. */
function everyPackageChanged(lockfile: string, unreadable: string): (name: string) => ExternalPackageChange {
  return (name) => ({ package: name, from: null, to: null, lockfile, unreadable });
}

/**
 * One side's locked packages (none when the commit has no such file), or why they cannot be read:
 * a merge conflict committed, a format this reader does not know.
 */
function readLocked(snapshot: TextSource, path: string, side: string): LockedPackages | string {
  const text = snapshot.readText(path);
  if (text === undefined) return EMPTY;
  try {
    return parseLockfile(path, text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `${path} does not parse at ${side} (${message.split('\n', 1)[0].trim()})`;
  }
}
