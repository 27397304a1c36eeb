/**
 * Patches of installed packages: a file that changes what a package installs without changing
 * its version, applied by the package manager (pnpm's and Bun's `patchedDependencies`, yarn's
 * `patch:` protocol) or by `patch-package` after the install. Editing one changes what every
 * deployable importing that package ships, and no lockfile version says so (Bun's and
 * patch-package's record nothing of the patch's content).
 */

import { parseManifest } from './root-manifest';

/** Reads one file of a commit, undefined when it has none. */
interface TextSource {
  readText(path: string): string | undefined;
}

export interface PatchFile {
  /** The patch file, workspace-relative. */
  file: string;
  /** The package it patches; undefined when it cannot be told (see patchesIn). */
  package?: string;
}

/**
 * The changed paths (`paths`: both sides of every change) that are patches of installed packages,
 * with the package each one patches: a `.patch` file named by a `patchedDependencies` map (the
 * root package.json's `patchedDependencies` for Bun, `pnpm.patchedDependencies`, or
 * pnpm-workspace.yaml's, at head or at base), or in a `patches/` folder (patch-package's
 * `patches/`, yarn's `.yarn/patches/`) or the folder a root script gives patch-package
 * (`patch-package --patch-dir fixes`). The package comes from the map, else from the name:
 * patch-package's `<name>+<version>.patch` (`@scope+name+1.0.0`, `parent++child+1.0.0` for a
 * nested copy: the last one), pnpm's and Bun's `<name>@<version>.patch` (`@scope__name@…`),
 * yarn's `<name>-npm-<version>-<hash>.patch`.
 */
export function patchesIn(
  paths: readonly string[],
  head: TextSource,
  base: () => TextSource,
  parseYaml: (text: string) => unknown,
): PatchFile[] {
  const candidates = [...new Set(paths.filter((path) => path.endsWith('.patch')))];
  if (candidates.length === 0) return [];
  const mapped = new Map<string, string>();
  const folders = new Set<string>();
  for (const source of [head, base()]) {
    const locations = patchLocationsOf(source, parseYaml);
    for (const [file, name] of locations.byFile) if (!mapped.has(file)) mapped.set(file, name);
    for (const folder of locations.scriptFolders) folders.add(folder);
  }
  const found: PatchFile[] = [];
  for (const file of candidates) {
    const fromMap = mapped.get(file);
    if (fromMap !== undefined) found.push({ file, package: fromMap });
    else if (/(^|\/)patches\//.test(file) || [...folders].some((folder) => file.startsWith(`${folder}/`)))
      found.push({ file, package: packageOfPatchName(file) });
  }
  return found;
}

/**
 * Where one commit keeps its patches of installed packages: the files its `patchedDependencies`
 * maps name, and the folders patches are found in (`patches`, `.yarn/patches`, patch-package's
 * `--patch-dir`). What a deployable's pipeline watches besides its roots (pipeline-workspace.ts).
 */
export function patchLocations(
  source: TextSource,
  parseYaml: (text: string) => unknown,
): { files: string[]; folders: string[] } {
  const { byFile, scriptFolders } = patchLocationsOf(source, parseYaml);
  return { files: [...byFile.keys()], folders: ['patches', '.yarn/patches', ...scriptFolders] };
}

/**
 * One commit's patch locations, its root package.json read once: patch file (workspace-relative,
 * no `./`) → package name from the `patchedDependencies` maps, and patch-package's `--patch-dir`
 * folders from the root scripts.
 */
function patchLocationsOf(
  source: TextSource,
  parseYaml: (text: string) => unknown,
): { byFile: Map<string, string>; scriptFolders: string[] } {
  const maps: unknown[] = [];
  const text = source.readText('package.json');
  const manifest = text === undefined ? undefined : parseManifest(text);
  if (manifest) {
    maps.push(manifest.patchedDependencies);
    const pnpm = manifest.pnpm as Record<string, unknown> | undefined;
    if (pnpm && typeof pnpm === 'object') maps.push(pnpm.patchedDependencies);
  }
  const workspaceYaml = source.readText('pnpm-workspace.yaml');
  if (workspaceYaml !== undefined) {
    try {
      const parsed = parseYaml(workspaceYaml) as Record<string, unknown> | null;
      if (parsed && typeof parsed === 'object') maps.push(parsed.patchedDependencies);
    } catch {
      // an unreadable pnpm-workspace.yaml names no patch: its patches are told by their folder
    }
  }
  const byFile = new Map<string, string>();
  for (const map of maps) {
    if (!map || typeof map !== 'object') continue;
    for (const [key, value] of Object.entries(map as Record<string, unknown>)) {
      // `name@version` or `name`; a value is the path, or (pnpm's lockfile form) { path }.
      const path = typeof value === 'string' ? value : (value as { path?: unknown } | null)?.path;
      if (typeof path !== 'string') continue;
      const at = key.indexOf('@', 1);
      byFile.set(path.replace(/^\.\//, ''), at > 0 ? key.slice(0, at) : key);
    }
  }
  return { byFile, scriptFolders: patchFolders(manifest?.scripts) };
}

/** patch-package's `--patch-dir <folder>` in the root package.json's scripts, workspace-relative. */
function patchFolders(scripts: unknown): string[] {
  if (!scripts || typeof scripts !== 'object') return [];
  const folders: string[] = [];
  for (const script of Object.values(scripts as Record<string, unknown>))
    if (typeof script === 'string')
      for (const match of script.matchAll(/patch-package\b[^&|;]*?--patch-dir[= ]+["']?([^\s"'&|;]+)/g))
        folders.push(match[1].replace(/^\.\//, '').replace(/\/+$/, ''));
  return folders;
}

/** The package a patch file's name gives, or undefined. */
export function packageOfPatchName(file: string): string | undefined {
  const name = file.slice(file.lastIndexOf('/') + 1).replace(/(\.dev)?\.patch$/, '');
  // patch-package: `@scope+name+1.0.0`, `parent++child+1.0.0` (the patched copy is the last).
  if (name.includes('+')) {
    const last = name.split('++').pop()!;
    const parts = last.split('+');
    if (parts.length >= 2 && /^\d/.test(parts[parts.length - 1])) {
      const segments = parts.slice(0, -1);
      if (segments.length === 1 && !segments[0].startsWith('@')) return segments[0];
      if (segments.length === 2 && segments[0].startsWith('@')) return `${segments[0]}/${segments[1]}`;
    }
    return undefined;
  }
  // pnpm's and Bun's own: `name@1.0.0`, `@scope__name@1.0.0`.
  const own = /^(@[^@_]+__)?([^@]+)@\d/.exec(name);
  if (own) return own[1] ? `${own[1].slice(0, -2)}/${own[2]}` : own[2];
  // yarn: `name-npm-1.0.0-<hash>`; a scoped name (`@scope-name-npm-…`) cannot be told from a dash.
  const yarn = /^([a-z0-9][\w.-]*?)-npm-\d[^/]*-[0-9a-f]+$/.exec(name);
  return yarn && !name.startsWith('@') ? yarn[1] : undefined;
}

/**
 * The packages a yarn patch of a scoped package may patch: `@scope-name-npm-1.0.0-<hash>.patch`
 * names `@scope/name`, but `@scope-with-dash-name` could split at any dash (`@semantic-release-npm`
 * is `@semantic-release/npm`). Every split, for the installed packages to choose from.
 */
export function scopedYarnCandidates(file: string): string[] {
  const name = file.slice(file.lastIndexOf('/') + 1).replace(/\.patch$/, '');
  const match = /^(@[a-z0-9][\w.-]*?)-npm-\d[^/]*-[0-9a-f]+$/.exec(name);
  if (!match) return [];
  const joined = match[1];
  const candidates: string[] = [];
  for (let dash = joined.indexOf('-'); dash > 1; dash = joined.indexOf('-', dash + 1))
    if (dash < joined.length - 1) candidates.push(`${joined.slice(0, dash)}/${joined.slice(dash + 1)}`);
  return candidates;
}
