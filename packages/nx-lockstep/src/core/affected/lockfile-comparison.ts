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
  const empty: LockedPackages = { versions: new Map() };
  for (const change of changed) {
    const lockfile = change.path;
    const parse = (snapshot: TextSource, path: string, side: string) => {
      const text = snapshot.readText(path);
      if (text === undefined) return empty;
      try {
        return parseLockfile(path, text);
      } catch (error) {
        throw new UnreadableLockfile(`${path} does not parse at ${side} (${firstLine(error)})`);
      }
    };
    try {
      pairs.push({
        lockfile,
        base: parse(baseSnapshot, change.oldPath ?? change.path, 'base'),
        head: parse(head, change.path, 'head'),
      });
    } catch (error) {
      if (!(error instanceof UnreadableLockfile)) throw error;
      // When unsure, deploy: no version of it is known, so every package it locks counts as changed.
      const unreadable = error.message;
      return (name) => ({ package: name, from: null, to: null, lockfile, unreadable });
    }
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

/** A lockfile (a merge conflict committed, a format this reader does not know) that cannot be compared. */
class UnreadableLockfile extends Error {}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n', 1)[0].trim();
}
