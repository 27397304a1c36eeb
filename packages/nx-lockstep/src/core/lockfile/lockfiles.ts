import type { PackageManager } from '../pipelines/pipeline-plan';

/**
 * The root lockfiles nx-lockstep knows, each with the package manager that writes it: one list
 * for the engine (which compares them package by package), the Nx plugin (whose remembered
 * resolutions are keyed by them) and the pipelines (which install with that package manager).
 * Until lists were kept apart, the engine's lacked Bun's: a version bump in `bun.lock` deployed
 * nothing.
 */
export const LOCKFILES: ReadonlyArray<{ file: string; packageManager: PackageManager }> = [
  { file: 'package-lock.json', packageManager: 'npm' },
  { file: 'npm-shrinkwrap.json', packageManager: 'npm' },
  { file: 'pnpm-lock.yaml', packageManager: 'pnpm' },
  { file: 'yarn.lock', packageManager: 'yarn' },
  { file: 'bun.lock', packageManager: 'bun' },
  // Bun's binary lockfile (before Bun 1.2): known, so that a change to it counts, but not read.
  { file: 'bun.lockb', packageManager: 'bun' },
];

export const LOCKFILE_NAMES: readonly string[] = LOCKFILES.map((lockfile) => lockfile.file);

/** Whether a workspace-relative path is a root lockfile. */
export function isRootLockfile(path: string): boolean {
  return LOCKFILE_NAMES.includes(path);
}
