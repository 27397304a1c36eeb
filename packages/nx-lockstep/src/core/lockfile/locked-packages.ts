/**
 * The locked dependency tree of a lockfile, reduced to what a deploy decision needs: for each
 * package name, the versions installed and, per version, the names it depends on.
 */
export interface LockedPackages {
  /** name → version → dependency names (resolved in the same lockfile). */
  versions: Map<string, Map<string, Set<string>>>;
}

/**
 * Merge conflict markers at the start of a line (`<<<<<<< `, `|||||||`, `=======`, `>>>>>>> `):
 * a conflict committed as it was. The YAML and JSON readers fail on them, but yarn's classic
 * format would read them as package names and versions without a word.
 */
const CONFLICT_MARKER = /^(?:<{7}|\|{7}|={7}|>{7})(?: |$)/m;

/**
 * The locked packages of a lockfile (one of LOCKFILE_NAMES, see lockfiles.ts); throws when it cannot be read as one: a merge conflict left in
 * it, a syntax error, a package-lock.json with neither `packages` nor `dependencies`.
 */
export function parseLockfile(fileName: string, text: string): LockedPackages {
  if (fileName.endsWith('bun.lockb'))
    throw new Error(
      "Bun's binary lockfile, which nx-lockstep does not read; Bun 1.2 and later write the text lockfile bun.lock (`bun install --save-text-lockfile`), which it reads",
    );
  const conflict = CONFLICT_MARKER.exec(text);
  if (conflict) {
    const line = text.slice(0, conflict.index).split('\n').length;
    throw new Error(`a merge conflict marker (${conflict[0].trim()}) at line ${line}`);
  }
  if (fileName.endsWith('pnpm-lock.yaml')) return parsePnpmLock(text);
  if (fileName.endsWith('bun.lock')) return parseBunLock(text);
  if (fileName.endsWith('yarn.lock'))
    return text.includes('__metadata:') ? parseYarnBerryLock(text) : parseYarnClassicLock(text);
  return parseNpmLock(text);
}

/**
 * The versions of `packageName` and of everything it depends on, transitively: a change in
 * any of them changes what a deployable importing `packageName` ships.
 */
export function lockedClosure(locked: LockedPackages, packageName: string): Map<string, string> {
  const closure = new Map<string, string>();
  const queue = [packageName];
  const seen = new Set<string>();
  for (let index = 0; index < queue.length; index++) {
    const name = queue[index];
    if (seen.has(name)) continue;
    seen.add(name);
    const versions = locked.versions.get(name);
    if (!versions) continue;
    closure.set(name, [...versions.keys()].sort().join(' | '));
    for (const dependencies of versions.values()) for (const dependency of dependencies) queue.push(dependency);
  }
  return closure;
}

function add(locked: LockedPackages, name: string, version: string, dependencies: Iterable<string>): void {
  let versions = locked.versions.get(name);
  if (!versions) locked.versions.set(name, (versions = new Map()));
  const set = versions.get(version) ?? new Set<string>();
  for (const dependency of dependencies) set.add(dependency);
  versions.set(version, set);
}

function parseNpmLock(text: string): LockedPackages {
  const locked: LockedPackages = { versions: new Map() };
  const json = JSON.parse(text) as {
    packages?: Record<
      string,
      {
        name?: string;
        version?: string;
        resolved?: string;
        link?: boolean;
        dependencies?: Record<string, string>;
        optionalDependencies?: Record<string, string>;
        peerDependencies?: Record<string, string>;
      }
    >;
    dependencies?: Record<string, unknown>;
    lockfileVersion?: unknown;
  };
  // An object of another shape (a later format, another file under the name) says nothing of
  // versions; a version 1 lockfile of a project without dependencies has neither list.
  if (!json || typeof json !== 'object') throw new Error('not a JSON object');
  if (!json.packages && !json.dependencies && json.lockfileVersion !== 1)
    throw new Error('neither "packages" nor "dependencies": not a lockfile format this version of nx-lockstep reads');
  for (const [path, entry] of Object.entries(json.packages ?? {})) {
    const marker = path.lastIndexOf('node_modules/');
    if (marker < 0 || entry.link) continue;
    const name = path.slice(marker + 'node_modules/'.length);
    // An alias (`"node_modules/string-width-cjs": { "name": "string-width", … }`) is its target
    // at that version, as in the yarn and Bun readers.
    const version = withSource(entry.version ?? '?', entry.resolved);
    add(
      locked,
      name,
      entry.name !== undefined && entry.name !== name ? `npm:${entry.name}@${version}` : version,
      Object.keys({ ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies }),
    );
  }
  if (!json.packages && json.dependencies) walkNpmV1(locked, json.dependencies as Record<string, NpmV1Entry>);
  return locked;
}

interface NpmV1Entry {
  version?: string;
  requires?: Record<string, string>;
  dependencies?: Record<string, NpmV1Entry>;
}

function walkNpmV1(locked: LockedPackages, dependencies: Record<string, NpmV1Entry>): void {
  for (const [name, entry] of Object.entries(dependencies)) {
    add(locked, name, entry.version ?? '?', Object.keys(entry.requires ?? {}));
    if (entry.dependencies) walkNpmV1(locked, entry.dependencies);
  }
}

/**
 * Bun's text lockfile (Bun 1.2 and later): JSON with trailing commas. Each entry of `packages` is
 * keyed by where the package is installed (`ms`, or `debug/ms` for a copy nested under debug) and
 * holds `["ms@2.1.3", "<registry>", { dependencies, … }, "<integrity>"]`; a workspace package,
 * a git or a tarball dependency holds fewer or other fields, the object of dependencies among them.
 * The name is the install folder's, as imports name it (an `npm:` alias is installed under the
 * alias, its version `npm:<package>@<version>`, as Nx's reader has it); the version is what follows
 * the name in the first field, and for a dependency not from
 * the registry (a tarball's URL, a git reference) its integrity too, since the same URL can serve
 * other content.
 */
function parseBunLock(text: string): LockedPackages {
  const { parse, printParseErrorCode } = jsonc();
  const errors: import('jsonc-parser').ParseError[] = [];
  const json = parse(text, errors, { allowTrailingComma: true, disallowComments: false }) as {
    lockfileVersion?: unknown;
    packages?: Record<string, unknown>;
  };
  if (errors.length > 0) {
    const line = text.slice(0, errors[0].offset).split('\n').length;
    throw new Error(`${printParseErrorCode(errors[0].error)} at line ${line}`);
  }
  if (!json || typeof json !== 'object' || typeof json.lockfileVersion !== 'number')
    throw new Error('no "lockfileVersion": not a lockfile format this version of nx-lockstep reads');
  const locked: LockedPackages = { versions: new Map() };
  for (const [key, entry] of Object.entries(json.packages ?? {})) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string')
      throw new Error(
        `the entry of "${key}" is not ["name@version", …]: not a lockfile format this version of nx-lockstep reads`,
      );
    const id = entry[0];
    const at = id.indexOf('@', 1);
    const name = installedName(key);
    let version = at > 0 ? id.slice(at + 1) : id;
    const integrity = entry.length > 1 ? entry[entry.length - 1] : undefined;
    if (version.includes(':') && typeof integrity === 'string') version += ` ${integrity}`;
    // An alias (`"h3-v2": ["h3@2.0.1", …]`) is that package at that version: another package
    // under the alias at the same version is a change too.
    if (at > 0 && id.slice(0, at) !== name) version = `npm:${id.slice(0, at)}@${version}`;
    const info = entry.find(
      (field, index) => index > 0 && field && typeof field === 'object' && !Array.isArray(field),
    ) as Record<string, Record<string, string> | undefined> | undefined;
    add(
      locked,
      name,
      version,
      Object.keys({ ...info?.dependencies, ...info?.optionalDependencies, ...info?.peerDependencies }),
    );
  }
  return locked;
}

/** `debug/ms` → `ms`, `a/@types/node` → `@types/node`: the last package of an install path. */
function installedName(key: string): string {
  const parts = key.split('/');
  return parts.length >= 2 && parts[parts.length - 2].startsWith('@')
    ? parts.slice(-2).join('/')
    : parts[parts.length - 1];
}

function parsePnpmLock(text: string): LockedPackages {
  const locked: LockedPackages = { versions: new Map() };
  // pnpm 11 and later may write two YAML documents: the lockfile of pnpm itself and of its
  // config dependencies (`packageManagerDependencies`, `configDependencies`), then the project's.
  // Every document's packages are read: what no project depends on changes no deploy.
  for (const document of parseYamlDocuments(text)) {
    const yaml = (document ?? {}) as {
      packages?: Record<string, PnpmEntry>;
      snapshots?: Record<string, PnpmEntry>;
    };
    // pnpm 9 keeps dependencies in `snapshots`; pnpm 6–8 in `packages`.
    const entries = { ...(yaml.packages ?? {}), ...(yaml.snapshots ?? {}) };
    for (const [key, entry] of Object.entries(entries)) {
      const parsed = parsePnpmKey(key);
      if (!parsed) continue;
      add(locked, parsed.name, parsed.version, Object.keys({ ...entry?.dependencies, ...entry?.optionalDependencies }));
    }
  }
  return locked;
}

interface PnpmEntry {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

/** `/@scope/name@1.2.3(peer@1)` or `/name/1.2.3` → name and version (peer suffix kept: it is part of what ships). */
function parsePnpmKey(key: string): { name: string; version: string } | undefined {
  const trimmed = key.startsWith('/') ? key.slice(1) : key;
  const at = trimmed.indexOf('@', 1);
  if (at > 0) return { name: trimmed.slice(0, at), version: trimmed.slice(at + 1) };
  const slash = trimmed.startsWith('@') ? trimmed.indexOf('/', trimmed.indexOf('/') + 1) : trimmed.indexOf('/');
  return slash > 0 ? { name: trimmed.slice(0, slash), version: trimmed.slice(slash + 1) } : undefined;
}

function parseYarnClassicLock(text: string): LockedPackages {
  const locked: LockedPackages = { versions: new Map() };
  let names: YarnPackage[] = [];
  let version = '?';
  let resolved: string | undefined;
  let dependencies: string[] = [];
  let inDependencies = false;
  const flush = () => {
    for (const name of names) add(locked, name.name, aliasedVersion(name, withSource(version, resolved)), dependencies);
    names = [];
    version = '?';
    resolved = undefined;
    dependencies = [];
  };
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    if (!line.startsWith(' ')) {
      flush();
      inDependencies = false;
      names = yarnPackagesOf(
        line
          .replace(/:$/, '')
          .split(',')
          .map((part) => part.trim().replace(/^"|"$/g, '')),
      );
      continue;
    }
    const indent = line.length - line.trimStart().length;
    const content = line.trim();
    if (indent === 2) {
      inDependencies = content === 'dependencies:' || content === 'optionalDependencies:';
      const versionMatch = /^version "?([^"]+)"?$/.exec(content);
      if (versionMatch) version = versionMatch[1];
      const resolvedMatch = /^resolved "?([^"]+)"?$/.exec(content);
      if (resolvedMatch) resolved = resolvedMatch[1];
    } else if (indent >= 4 && inDependencies) {
      dependencies.push(content.split(' ')[0].replace(/^"|"$/g, ''));
    }
  }
  flush();
  return locked;
}

function parseYarnBerryLock(text: string): LockedPackages {
  const locked: LockedPackages = { versions: new Map() };
  const yaml = (parseYaml(text) ?? {}) as Record<
    string,
    { version?: string; resolution?: string; dependencies?: Record<string, string> }
  >;
  for (const [key, entry] of Object.entries(yaml)) {
    if (key === '__metadata' || !entry) continue;
    // A resolution other than the registry's (`name@npm:1.0.0`): a git commit, a URL, a patch
    // with its hash, a workspace; its text says which, so it is part of the version.
    const resolution = typeof entry.resolution === 'string' ? entry.resolution : '';
    const source = resolution.slice(resolution.indexOf('@', 1) + 1);
    const version = String(entry.version ?? '?') + (source && !source.startsWith('npm:') ? ` ${source}` : '');
    for (const name of yarnPackagesOf(key.split(',').map((part) => part.trim())))
      add(locked, name.name, aliasedVersion(name, version), Object.keys(entry.dependencies ?? {}));
  }
  return locked;
}

/**
 * A version with where it came from when that is not the registry's tarball of that version: a
 * git dependency keeps its package's version while its commit moves (`git+ssh://…#<sha>`), and so
 * does a tarball URL or another registry's path. A registry tarball (`…/-/debug-4.3.4.tgz`, with
 * yarn's `#<sha1>`) says nothing the version does not.
 */
function withSource(version: string, resolved: string | undefined): string {
  if (!resolved || resolved === version) return version;
  const url = resolved.replace(/#[0-9a-f]{40}$/, '');
  return url.endsWith(`-${version}.tgz`) ? version : `${version} ${resolved}`;
}

/** A package a yarn entry installs: its name, and for an alias the package it stands for. */
interface YarnPackage {
  name: string;
  target?: string;
}

/**
 * `@scope/name@^1.0.0`, `name@npm:^1` → the package name; `string-width-cjs@npm:string-width@^4`
 * → the alias, standing for string-width. One per name.
 */
function yarnPackagesOf(descriptors: readonly string[]): YarnPackage[] {
  const packages = new Map<string, YarnPackage>();
  for (const descriptor of descriptors) {
    const at = descriptor.indexOf('@', 1);
    const name = at > 0 ? descriptor.slice(0, at) : descriptor;
    const range = at > 0 ? descriptor.slice(at + 1) : '';
    const targetAt = range.startsWith('npm:') ? range.indexOf('@', 5) : -1;
    const target = targetAt > 0 ? range.slice(4, targetAt) : undefined;
    if (!packages.has(name) || target !== undefined) packages.set(name, { name, target });
  }
  return [...packages.values()];
}

/**
 * An alias is its target at that version (`npm:string-width@4.2.3`), as Nx's readers have it:
 * the alias standing for another package at the same version is a change too.
 */
function aliasedVersion(name: YarnPackage, version: string): string {
  return name.target !== undefined && name.target !== name.name ? `npm:${name.target}@${version}` : version;
}

let yamlModule: typeof import('yaml') | undefined;

/** The YAML library, loaded only for pnpm and yarn berry lockfiles: a package-lock.json diff never needs it. */
function yaml(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  yamlModule ??= require('yaml') as typeof import('yaml');
  return yamlModule;
}

let jsoncModule: typeof import('jsonc-parser') | undefined;

/** The JSONC reader (JSON with comments and trailing commas), loaded only for Bun's lockfile. */
function jsonc(): typeof import('jsonc-parser') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  jsoncModule ??= require('jsonc-parser') as typeof import('jsonc-parser');
  return jsoncModule;
}

/** YAML text as plain values (the library loaded on first use); throws on a syntax error. */
export function parseYaml(text: string): unknown {
  return yaml().parse(text);
}

/** Every document of a YAML stream (`---` between them), as plain values; the first error is thrown, as `parse` would. */
function parseYamlDocuments(text: string): unknown[] {
  const documents = yaml().parseAllDocuments(text);
  for (const document of documents) if (document.errors.length > 0) throw document.errors[0];
  return documents.map((document) => document.toJS() as unknown);
}
