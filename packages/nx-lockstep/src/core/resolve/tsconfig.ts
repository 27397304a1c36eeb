import type { ts } from 'ts-morph';
import { typescriptApi } from '../extract/typescript-api';
import { SOURCE_EXTENSIONS } from '../extract/file-kinds';
import { dirname } from './workspace-paths';
import { absolute, relative, type ReadDirectoryCall, type VirtualWorkspace } from './virtual-workspace';

/** One tsconfig as TypeScript reads it: JSONC, a byte order mark, `extends` (arrays, packages). */
export interface Tsconfig {
  /** Workspace-relative path. */
  file: string;
  /** The compiler options after `extends`, as TypeScript parsed them (`baseUrl` absolute, from `/`). */
  options: ts.CompilerOptions;
  /**
   * Why the config cannot be read, naming the file and the fix; its `paths` and `baseUrl` are
   * then unknown. Undefined when it reads.
   */
  problem?: string;
  /** Every file that was read for it: itself and what it extends (workspace-relative). */
  sources: string[];
  /** Whether the config's `files`/`include`/`exclude` take in `file` (workspace-relative). */
  includes(file: string): boolean;
}

/**
 * Diagnostics that leave the config unknown: a file that cannot be read or found (the config or
 * what it extends), an `extends` TypeScript cannot follow, an option of the wrong type. Syntax
 * errors carry their file. Others (unknown or deprecated options, no inputs) leave it readable.
 */
const FATAL_CODES = new Set([5083, 6053, 18001, 5024]);

const extendedCaches = new WeakMap<VirtualWorkspace, Map<string, ts.ExtendedConfigCacheEntry>>();

export function readTsconfig(file: string, workspace: VirtualWorkspace): Tsconfig {
  const t = typescriptApi();
  let wildcard: ReadDirectoryCall | undefined;
  const host = workspace.parseConfigHost((call) => (wildcard = call));
  // Absent at this commit (a global input added or removed, nx-examples' move to solution-style
  // configs): TypeScript's parser would throw on it. Unreadable = changed (safety rule 1).
  if (host.readFile(absolute(file)) === undefined) {
    return {
      file,
      options: {},
      problem: `${file} does not exist at this commit`,
      sources: [file],
      includes: () => false,
    };
  }
  const source = t.readJsonConfigFile(absolute(file), host.readFile);
  let extendedCache = extendedCaches.get(workspace);
  if (!extendedCache) extendedCaches.set(workspace, (extendedCache = new Map()));
  const parsed = t.parseJsonSourceFileConfigFileContent(
    source,
    host,
    absolute(dirname(file)),
    undefined,
    absolute(file),
    undefined,
    undefined,
    extendedCache,
  );
  // The config's own syntax errors are not among `parsed.errors` (tsc adds them the same way).
  const parseDiagnostics = (source as { parseDiagnostics?: ts.Diagnostic[] }).parseDiagnostics ?? [];
  const fatal = [...parseDiagnostics, ...parsed.errors].filter(
    (diagnostic) =>
      diagnostic.category === t.DiagnosticCategory.Error && (diagnostic.file || FATAL_CODES.has(diagnostic.code)),
  );
  const extended = (source as { extendedSourceFiles?: string[] }).extendedSourceFiles ?? [];
  const explicit = new Set(parsed.fileNames.map(relative));
  const problem =
    fatal.length > 0
      ? `${file} cannot be read (${fatal.map((diagnostic) => describe(diagnostic)).join('; ')}): its paths and baseUrl are unknown. Fix it (or install the packages it extends) so that \`tsc -p ${file} --showConfig\` succeeds.`
      : undefined;
  return {
    file,
    options: parsed.options,
    problem,
    sources: [file, ...extended.map(relative)],
    includes: problem
      ? // Unknown includes: it may govern anything below its folder (the safe guess).
        (path) => isBelow(path, dirname(file))
      : (path) => explicit.has(path) || (wildcard !== undefined && matchesWildcard(path, wildcard)),
  };
}

function describe(diagnostic: ts.Diagnostic): string {
  const t = typescriptApi();
  const message = t.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
  if (!diagnostic.file) return message;
  const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
  return `${relative(diagnostic.file.fileName)}:${line + 1}: ${message}`;
}

function isBelow(path: string, folder: string): boolean {
  return folder === '' || path.startsWith(`${folder}/`);
}

/** TypeScript's own wildcard patterns (`**` skips node_modules and dot-folders), tested file by file. */
interface Matcher {
  include?: RegExp[];
  exclude?: RegExp;
}

const matchers = new WeakMap<ReadDirectoryCall, Matcher>();

function matchesWildcard(path: string, call: ReadDirectoryCall): boolean {
  if (!SOURCE_EXTENSIONS.some((extension) => path.endsWith(extension))) return false;
  let matcher = matchers.get(call);
  if (!matcher) matchers.set(call, (matcher = compileMatcher(call)));
  const file = absolute(path);
  if (matcher.exclude?.test(file)) return false;
  return !matcher.include || matcher.include.some((pattern) => pattern.test(file));
}

interface FileMatcherPatterns {
  includeFilePatterns: readonly string[] | undefined;
  excludePattern: string | undefined;
}

function compileMatcher(call: ReadDirectoryCall): Matcher {
  const internal = typescriptApi() as unknown as {
    getFileMatcherPatterns?: (
      path: string,
      excludes: readonly string[] | undefined,
      includes: readonly string[],
      useCaseSensitiveFileNames: boolean,
      currentDirectory: string,
    ) => FileMatcherPatterns;
    version: string;
  };
  if (typeof internal.getFileMatcherPatterns !== 'function')
    throw new Error(
      `TypeScript ${internal.version} has no getFileMatcherPatterns: nx-lockstep needs the TypeScript its ts-morph pins`,
    );
  const patterns = internal.getFileMatcherPatterns(call.rootDir, call.excludes, call.includes, true, '/');
  return {
    include: patterns.includeFilePatterns?.map((pattern) => new RegExp(pattern)),
    exclude: patterns.excludePattern ? new RegExp(patterns.excludePattern) : undefined,
  };
}
