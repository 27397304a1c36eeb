/**
 * The locked dependency tree of a lockfile, reduced to what a deploy decision needs: for each
 * package name, the versions installed and, per version, the names it depends on.
 */
export interface LockedPackages {
  /** name → version → dependency names (resolved in the same lockfile). */
  versions: Map<string, Map<string, Set<string>>>;
}

export const LOCKFILE_NAMES = ['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'npm-shrinkwrap.json'] as const;

/**
 * Merge conflict markers at the start of a line (`<<<<<<< `, `|||||||`, `=======`, `>>>>>>> `):
 * a conflict committed as it was. The YAML and JSON readers fail on them, but yarn's classic
 * format would read them as package names and versions without a word.
 */
const CONFLICT_MARKER = /^(?:<{7}|\|{7}|={7}|>{7})(?: |$)/m;

/**
 * The locked packages of a lockfile; throws when it cannot be read as one: a merge conflict left in
 * it, a syntax error, a package-lock.json with neither `packages` nor `dependencies`.
 */
export function parseLockfile(fileName: string, text: string): LockedPackages {
  const conflict = CONFLICT_MARKER.exec(text);
  if (conflict) {
    const line = text.slice(0, conflict.index).split('\n').length;
    throw new Error(`a merge conflict marker (${conflict[0].trim()}) at line ${line}`);
  }
  if (fileName.endsWith('pnpm-lock.yaml')) return parsePnpmLock(text);
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
        version?: string;
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
    add(
      locked,
      name,
      entry.version ?? '?',
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
  let names: string[] = [];
  let version = '?';
  let dependencies: string[] = [];
  let inDependencies = false;
  const flush = () => {
    for (const name of names) add(locked, name, version, dependencies);
    names = [];
    version = '?';
    dependencies = [];
  };
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    if (!line.startsWith(' ')) {
      flush();
      inDependencies = false;
      names = [
        ...new Set(
          line
            .replace(/:$/, '')
            .split(',')
            .map((part) => yarnNameOf(part.trim().replace(/^"|"$/g, ''))),
        ),
      ];
      continue;
    }
    const indent = line.length - line.trimStart().length;
    const content = line.trim();
    if (indent === 2) {
      inDependencies = content === 'dependencies:' || content === 'optionalDependencies:';
      const versionMatch = /^version "?([^"]+)"?$/.exec(content);
      if (versionMatch) version = versionMatch[1];
    } else if (indent >= 4 && inDependencies) {
      dependencies.push(content.split(' ')[0].replace(/^"|"$/g, ''));
    }
  }
  flush();
  return locked;
}

function parseYarnBerryLock(text: string): LockedPackages {
  const locked: LockedPackages = { versions: new Map() };
  const yaml = (parseYaml(text) ?? {}) as Record<string, { version?: string; dependencies?: Record<string, string> }>;
  for (const [key, entry] of Object.entries(yaml)) {
    if (key === '__metadata' || !entry) continue;
    const names = new Set(key.split(',').map((part) => yarnNameOf(part.trim())));
    for (const name of names) add(locked, name, String(entry.version ?? '?'), Object.keys(entry.dependencies ?? {}));
  }
  return locked;
}

/** `@scope/name@^1.0.0` or `name@npm:^1` → the package name. */
function yarnNameOf(descriptor: string): string {
  const at = descriptor.indexOf('@', 1);
  return at > 0 ? descriptor.slice(0, at) : descriptor;
}

let yamlModule: typeof import('yaml') | undefined;

/** The YAML library, loaded only for pnpm and yarn berry lockfiles: a package-lock.json diff never needs it. */
function yaml(): typeof import('yaml') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  yamlModule ??= require('yaml') as typeof import('yaml');
  return yamlModule;
}

function parseYaml(text: string): unknown {
  return yaml().parse(text);
}

/** Every document of a YAML stream (`---` between them), as plain values; the first error is thrown, as `parse` would. */
function parseYamlDocuments(text: string): unknown[] {
  const documents = yaml().parseAllDocuments(text);
  for (const document of documents) if (document.errors.length > 0) throw document.errors[0];
  return documents.map((document) => document.toJS() as unknown);
}
