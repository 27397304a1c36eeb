import { isRootLockfile, LOCKFILE_NAMES } from '../lockfile/lockfiles';
import { lockedClosure, parseLockfile, parseYaml, type LockedPackages } from '../lockfile/locked-packages';
import { patchesIn, scopedYarnCandidates, type PatchFile } from '../lockfile/patched-packages';
import { DEPENDENCY_FIELDS, parseManifest } from '../lockfile/root-manifest';
import { externalPackageChange, type ExternalPackageChange } from './external-package-change';
import type { FileChange } from './file-change';

/** Reads one file of a commit, undefined when it has none; `files`, when given, lists them all. */
interface TextSource {
  readText(path: string): string | undefined;
  readonly files?: ReadonlySet<string>;
}

/** Whether the commit holds `path`, without reading it when its file list is at hand (a lockfile is MBs). */
const holds = (source: TextSource, path: string) =>
  source.files ? source.files.has(path) : source.readText(path) !== undefined;

/** What a range changed in the packages installed from the registry. */
export interface PackageVersionChanges {
  /**
   * The files that decide what is installed and changed in the range: the root lockfiles that
   * changed, or `package.json` in a workspace that commits no lockfile, and the patches of
   * installed packages that changed. Empty: nothing installed changed, and `change` answers
   * undefined for every package.
   */
  sources: readonly string[];
  /** The change to a package (itself or what it installs), or undefined. */
  change(name: string): ExternalPackageChange | undefined;
}

const NONE: PackageVersionChanges = { sources: [], change: () => undefined };

/**
 * Compares the root lockfiles that changed, package by package, on demand. A lockfile that does
 * not parse at either side makes every package a change marked `unreadable` (see
 * ExternalPackageChange): the deployables that import any package are deployed, saying why.
 *
 * A workspace that commits no lockfile installs what its package.json's ranges resolve to, so
 * there a change to a package's range in `dependencies`, `devDependencies`,
 * `optionalDependencies` or `peerDependencies` is that package's change (nothing says what it
 * installs in turn). With a lockfile, a range edited alone changes nothing installed.
 *
 * A changed patch of an installed package (patched-packages.ts) is a change of that package.
 */
export function packageVersionChanges(
  changes: readonly FileChange[],
  head: TextSource,
  base: () => TextSource,
): PackageVersionChanges {
  const versions = versionChanges(changes, head, base);
  const patches = patchesIn(
    changes.flatMap((change) => [change.path, ...(change.oldPath ? [change.oldPath] : [])]),
    head,
    base,
    parseYaml,
  );
  if (patches.length === 0) return versions;
  const patched = patchChanges(patches, head);
  return {
    sources: [...versions.sources, ...patches.map((patch) => patch.file)],
    change: (name) => versions.change(name) ?? patched(name),
  };
}

function versionChanges(
  changes: readonly FileChange[],
  head: TextSource,
  base: () => TextSource,
): PackageVersionChanges {
  const touches = (test: (path: string) => boolean) => (change: FileChange) =>
    test(change.path) || (change.oldPath !== undefined && test(change.oldPath));
  const changed = changes.filter(touches(isRootLockfile));
  if (changed.length === 0) {
    // No lockfile changed, so none is at base either when head has none.
    if (!changes.some(touches((path) => path === 'package.json'))) return NONE;
    if (LOCKFILE_NAMES.some((name) => holds(head, name))) return NONE;
    return manifestRanges(head, base());
  }
  const sources = changed.map((change) => change.path);
  const pairs: Array<{ lockfile: string; base: LockedPackages; head: LockedPackages }> = [];
  const baseSnapshot = base();
  for (const change of changed) {
    const lockfile = change.path;
    const before = readLocked(baseSnapshot, change.oldPath ?? change.path, 'base');
    if (typeof before === 'string') return { sources, change: everyPackageChanged(lockfile, before) };
    const after = readLocked(head, change.path, 'head');
    if (typeof after === 'string') return { sources, change: everyPackageChanged(lockfile, after) };
    pairs.push({ lockfile, base: before, head: after });
  }
  const memo = new Map<string, ExternalPackageChange | undefined>();
  return {
    sources,
    change: (name) => {
      if (!memo.has(name))
        memo.set(
          name,
          pairs.map((pair) => externalPackageChange(pair.base, pair.head, name, pair.lockfile)).find(Boolean),
        );
      return memo.get(name);
    },
  };
}

/**
 * A changed patch is a change of the package it patches, and of every package that installs that
 * one (head's lockfile says which). A patch whose package cannot be told (a scoped yarn patch
 * none or several of whose splits head installs), or a head lockfile that cannot be read, makes
 * every package count as changed, saying why.
 */
function patchChanges(
  found: readonly PatchFile[],
  head: TextSource,
): (name: string) => ExternalPackageChange | undefined {
  const lockfile = LOCKFILE_NAMES.find((name) => holds(head, name));
  const locked = lockfile === undefined ? EMPTY : readLocked(head, lockfile, 'head');
  // A scoped yarn patch names its package up to a dash: the one split head installs.
  const patches = found.map((patch) => {
    if (patch.package !== undefined || typeof locked === 'string') return patch;
    const installed = scopedYarnCandidates(patch.file).filter((candidate) => locked.versions.has(candidate));
    return installed.length === 1 ? { ...patch, package: installed[0] } : patch;
  });
  const unknown = patches.find((patch) => patch.package === undefined);
  if (unknown)
    return everyPackageChanged(
      unknown.file,
      `${unknown.file} changed: a patch of an installed package, but of which one cannot be told (not named by a patchedDependencies map, nor <name>+<version>.patch)`,
    );
  if (typeof locked === 'string')
    return everyPackageChanged(
      patches[0].file,
      `${patches[0].file} changed, and ${locked}: which packages install the patched one is not known`,
    );
  const memo = new Map<string, ExternalPackageChange | undefined>();
  return (name) => {
    if (!memo.has(name)) {
      const closure = lockedClosure(locked, name);
      const patch = patches.find((candidate) => candidate.package === name || closure.has(candidate.package!));
      memo.set(name, patch ? { package: patch.package!, from: null, to: null, lockfile: patch.file } : undefined);
    }
    return memo.get(name);
  };
}

/**
 * The root package.json's ranges, package by package, of a workspace without a lockfile. A
 * manifest that does not parse is left to the manifest's own rule (rootManifestChanges), which
 * counts it for every deployable.
 */
function manifestRanges(head: TextSource, base: TextSource): PackageVersionChanges {
  const before = rangesOf(base.readText('package.json'));
  const after = rangesOf(head.readText('package.json'));
  if (!before || !after) return NONE;
  const names = [...new Set([...before.keys(), ...after.keys()])].filter(
    (name) => before.get(name) !== after.get(name),
  );
  if (names.length === 0) return NONE;
  return {
    sources: ['package.json'],
    change: (name) =>
      names.includes(name)
        ? { package: name, from: before.get(name) ?? null, to: after.get(name) ?? null, lockfile: 'package.json' }
        : undefined,
  };
}

/** name → its ranges in the dependency fields (`^1.0.0 | 1.2.0` when two fields name it). */
function rangesOf(text: string | undefined): Map<string, string> | undefined {
  const ranges = new Map<string, string>();
  if (text === undefined) return ranges;
  const manifest = parseManifest(text);
  if (!manifest) return undefined;
  for (const field of DEPENDENCY_FIELDS) {
    const entries = manifest[field];
    if (!entries || typeof entries !== 'object') continue;
    for (const [name, range] of Object.entries(entries as Record<string, unknown>)) {
      const text = String(range);
      const known = ranges.get(name);
      ranges.set(name, known === undefined || known === text ? text : `${known} | ${text}`);
    }
  }
  return ranges;
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
