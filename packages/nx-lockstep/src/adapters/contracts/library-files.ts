import { posix } from 'node:path';
import { typescriptApi } from '../../core/extract/typescript-api';

/** Reads one workspace-relative file at one commit; undefined when it does not exist there. */
export type FileReader = (path: string) => string | undefined;

/** The files of one version (base or head) of a library, loaded from its entry files by following imports. */
export interface LibraryVersion {
  /** Virtual path (`/<side>/<workspace path>`) → text. */
  files: Map<string, string>;
  /** `containing file \0 specifier` → virtual path, for the resolution host. */
  resolutions: Map<string, string>;
  /** Per virtual path, the import specifiers that lead outside what the reader gives (packages): their types read as `any`. */
  unresolved: Map<string, string[]>;
  /** Virtual path → the virtual paths it imports (for "did anything this declaration sees change?"). */
  imports: Map<string, string[]>;
}

const EXTENSIONS = ['.ts', '.tsx', '.d.ts', '.d.mts', '.d.cts', '/index.ts', '/index.tsx', '/index.d.ts'];

/** Where installed packages' declaration files live, shared by base and head (they are read once, as installed). */
const EXTERNAL = '/external/';

/** Workspace path of a virtual path (`/base/libs/a/x.ts` → `libs/a/x.ts`). */
export function workspacePath(virtualPath: string): string {
  return virtualPath.replace(/^\/[^/]+\//, '');
}

export interface LoadOptions {
  /** tsconfig `paths`, targets workspace-relative. */
  paths?: Readonly<Record<string, readonly string[]>>;
  /** Reads installed packages (`node_modules/…`, workspace-relative); without it their types count as `any`. */
  readExternal?: FileReader;
}

/**
 * Loads every file reachable from the entry files through relative imports and through the
 * workspace's tsconfig `paths` (so a contract that re-exports another library's types sees them).
 * Package imports stay unresolved: the checker reads their types as `any` (docs/contracts.md, limits).
 */
export function loadLibraryVersion(
  side: 'base' | 'head',
  entryFiles: readonly string[],
  read: FileReader,
  { paths = {}, readExternal }: LoadOptions = {},
): LibraryVersion {
  const version: LibraryVersion = {
    files: new Map(),
    resolutions: new Map(),
    unresolved: new Map(),
    imports: new Map(),
  };
  const ts = typescriptApi();
  const queue: string[] = [];
  const missing = new Set<string>();
  const tryFile = (workspaceFile: string, external = false): string | undefined => {
    const path = normalise(workspaceFile);
    const virtual = `${external ? EXTERNAL : `/${side}/`}${path}`;
    if (version.files.has(virtual)) return virtual;
    // Resolution tries several names per import: remember the misses instead of asking the reader again.
    if (missing.has(virtual)) return undefined;
    const text = external ? readExternal?.(path) : read(path);
    if (text === undefined) {
      missing.add(virtual);
      return undefined;
    }
    version.files.set(virtual, text);
    queue.push(virtual);
    return virtual;
  };
  for (const entry of entryFiles) tryFile(entry);
  for (let next = 0; next < queue.length; next++) {
    const file = queue[next];
    const text = version.files.get(file)!;
    const targets: string[] = [];
    for (const specifier of importSpecifiers(ts, file, text)) {
      const inPackage = file.startsWith(EXTERNAL);
      const target =
        resolveSpecifier(workspacePath(file), specifier, inPackage ? {} : paths, (path) => tryFile(path, inPackage)) ??
        (readExternal && !specifier.startsWith('.')
          ? resolvePackage(specifier, (path) => tryFile(path, true), readExternal)
          : undefined);
      if (target === undefined) {
        if (!specifier.startsWith('.'))
          version.unresolved.set(file, [...(version.unresolved.get(file) ?? []), specifier]);
        continue;
      }
      version.resolutions.set(`${file}\0${specifier}`, target);
      targets.push(target);
    }
    version.imports.set(file, targets);
  }
  return version;
}

function resolveSpecifier(
  fromFile: string,
  specifier: string,
  paths: Readonly<Record<string, readonly string[]>>,
  tryFile: (workspaceFile: string) => string | undefined,
): string | undefined {
  const candidates = specifier.startsWith('.')
    ? [posix.join(posix.dirname(fromFile), specifier)]
    : mappedPaths(specifier, paths);
  for (const candidate of candidates) {
    // nodenext-style imports name the emitted file (`./a.js`) for the source `./a.ts`.
    const stem = candidate
      .replace(/\.js$/, '')
      .replace(/\.mjs$/, '.d.mts')
      .replace(/\.cjs$/, '.d.cts');
    const found =
      (/\.(d\.)?tsx?$/.test(candidate) ? tryFile(candidate) : undefined) ??
      EXTENSIONS.map((ext) => tryFile(stem + ext)).find((path) => path !== undefined);
    if (found) return found;
  }
  return undefined;
}

/**
 * The declaration file of an installed package, as TypeScript finds it: `exports` (the `types`
 * condition), `types`/`typings`, `index.d.ts`, then `@types/<name>`. Only the workspace's root
 * node_modules is read.
 */
function resolvePackage(
  specifier: string,
  tryFile: (path: string) => string | undefined,
  read: FileReader,
): string | undefined {
  if (specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  const subpath = specifier.slice(name.length).replace(/^\//, '');
  const typesName = name.startsWith('@') ? name.slice(1).replace('/', '__') : name;
  for (const folder of [`node_modules/${name}`, `node_modules/@types/${typesName}`]) {
    let manifest: { types?: string; typings?: string; exports?: unknown } = {};
    try {
      manifest = JSON.parse(read(`${folder}/package.json`) ?? '{}');
    } catch {
      // An unreadable manifest: fall back to the conventional file names.
    }
    const declared = typesCondition(exportsEntry(manifest.exports, subpath ? `./${subpath}` : '.'));
    const candidates = [
      ...(declared ? [posix.join(folder, declared)] : []),
      ...(subpath
        ? []
        : [manifest.types, manifest.typings]
            .filter((entry): entry is string => !!entry)
            .map((entry) => posix.join(folder, entry))),
      ...(subpath ? [`${folder}/${subpath}.d.ts`, `${folder}/${subpath}/index.d.ts`] : [`${folder}/index.d.ts`]),
    ];
    for (const candidate of candidates) {
      const found = /\.d\.[mc]?ts$/.test(candidate)
        ? tryFile(candidate)
        : (tryFile(`${candidate.replace(/\.[mc]?js$/, '')}.d.ts`) ?? tryFile(`${candidate}/index.d.ts`));
      if (found) return found;
    }
  }
  return undefined;
}

function exportsEntry(exports: unknown, key: string): unknown {
  if (typeof exports === 'string') return key === '.' ? exports : undefined;
  if (!exports || typeof exports !== 'object') return undefined;
  const map = exports as Record<string, unknown>;
  if (Object.keys(map).some((entry) => entry.startsWith('.'))) return map[key];
  return key === '.' ? map : undefined;
}

/** The first `types` path of a conditional export (or a `.d.ts` string), depth first. */
function typesCondition(entry: unknown): string | undefined {
  if (typeof entry === 'string') return /\.d\.[mc]?ts$/.test(entry) ? entry : undefined;
  if (!entry || typeof entry !== 'object') return undefined;
  const conditions = entry as Record<string, unknown>;
  if (typeof conditions.types === 'string') return conditions.types;
  for (const value of Object.values(conditions)) {
    const found = typesCondition(value);
    if (found) return found;
  }
  return undefined;
}

/** tsconfig `paths` matches for a bare specifier: exact keys and one `*` wildcard, as tsc does. */
function mappedPaths(specifier: string, paths: Readonly<Record<string, readonly string[]>>): string[] {
  const out: string[] = [];
  for (const [pattern, targets] of Object.entries(paths)) {
    const star = pattern.indexOf('*');
    if (star < 0) {
      if (pattern === specifier) out.push(...targets);
      continue;
    }
    const prefix = pattern.slice(0, star);
    const suffix = pattern.slice(star + 1);
    if (
      specifier.startsWith(prefix) &&
      specifier.endsWith(suffix) &&
      specifier.length >= prefix.length + suffix.length
    ) {
      const match = specifier.slice(prefix.length, specifier.length - suffix.length);
      out.push(...targets.map((target) => target.replace('*', match)));
    }
  }
  return out.map(normalise);
}

function normalise(path: string): string {
  return posix.normalize(path.replace(/\\/g, '/')).replace(/^\.\//, '').replace(/^\//, '');
}

/**
 * Module specifiers a file imports or re-exports. `preProcessFile` misses `export * as ns from`,
 * so top-level statements are read from the parsed file too.
 */
function importSpecifiers(ts: ReturnType<typeof typescriptApi>, file: string, text: string): Set<string> {
  const specifiers = new Set(ts.preProcessFile(text, true, true).importedFiles.map(({ fileName }) => fileName));
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  for (const statement of source.statements) {
    const specifier =
      ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement) ? statement.moduleSpecifier : undefined;
    if (specifier && ts.isStringLiteral(specifier)) specifiers.add(specifier.text);
  }
  return specifiers;
}
