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

const EXTENSIONS = ['.ts', '.tsx', '.d.ts', '/index.ts', '/index.tsx', '/index.d.ts'];

/** Workspace path of a virtual path (`/base/libs/a/x.ts` → `libs/a/x.ts`). */
export function workspacePath(virtualPath: string): string {
  return virtualPath.replace(/^\/[^/]+\//, '');
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
  paths: Readonly<Record<string, readonly string[]>> = {},
): LibraryVersion {
  const version: LibraryVersion = {
    files: new Map(),
    resolutions: new Map(),
    unresolved: new Map(),
    imports: new Map(),
  };
  const ts = typescriptApi();
  const queue: string[] = [];
  const tryFile = (workspaceFile: string): string | undefined => {
    const virtual = `/${side}/${normalise(workspaceFile)}`;
    if (version.files.has(virtual)) return virtual;
    const text = read(normalise(workspaceFile));
    if (text === undefined) return undefined;
    version.files.set(virtual, text);
    queue.push(virtual);
    return virtual;
  };
  for (const entry of entryFiles) tryFile(entry);
  while (queue.length > 0) {
    const file = queue.shift()!;
    const text = version.files.get(file)!;
    const targets: string[] = [];
    for (const specifier of importSpecifiers(ts, file, text)) {
      const target = resolveSpecifier(workspacePath(file), specifier, paths, tryFile);
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
    const stem = candidate.replace(/\.(m|c)?js$/, '');
    const found =
      (/\.(d\.)?tsx?$/.test(candidate) ? tryFile(candidate) : undefined) ??
      EXTENSIONS.map((ext) => tryFile(stem + ext)).find((path) => path !== undefined);
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
