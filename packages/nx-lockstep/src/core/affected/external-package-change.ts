import { lockedClosure, type LockedPackages } from '../lockfile/locked-packages';

export interface ExternalPackageChange {
  /** The package whose locked version changed: the imported one or one of its dependencies. */
  package: string;
  from: string | null;
  to: string | null;
  lockfile: string;
  /**
   * Set when a side of the lockfile could not be read (it does not parse): the versions are not
   * known (`from` and `to` are null), so every package counts as changed, and says why.
   */
  unreadable?: string;
}

/**
 * Compares the locked closure of one imported package between base and head and returns the first
 * difference, so `lodash` is reported when lodash itself or anything it installs changed.
 */
export function externalPackageChange(
  base: LockedPackages,
  head: LockedPackages,
  packageName: string,
  lockfile: string,
): ExternalPackageChange | undefined {
  const before = lockedClosure(base, packageName);
  const after = lockedClosure(head, packageName);
  const ordered = [
    packageName,
    ...[...new Set([...before.keys(), ...after.keys()])].filter((name) => name !== packageName).sort(),
  ];
  for (const name of ordered) {
    const from = before.get(name) ?? null;
    const to = after.get(name) ?? null;
    if (from !== to) return { package: name, from, to, lockfile };
  }
  return undefined;
}
