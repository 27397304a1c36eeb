/**
 * What resolution answers, and what it reads. All paths are workspace-relative, posix style,
 * without a leading `./`.
 */

export interface WorkspacePackage {
  name: string;
  /** Workspace-relative folder of the package.json. */
  root: string;
  main?: string;
  module?: string;
  types?: string;
  exports?: unknown;
}

/**
 * What resolution reads of one commit, injected by the adapters: the commit's files and their
 * texts, and installed packages (below a `node_modules` folder), which only a tsconfig that
 * `extends` a package (`@tsconfig/node20/tsconfig.json`) reads.
 */
export interface ResolutionHost {
  files: ReadonlySet<string>;
  /** The text of a file of the commit, or undefined when it has none. */
  readFile(path: string): string | undefined;
  /** The text of an installed file (`node_modules/…`, workspace-relative), or undefined. */
  readInstalled?(path: string): string | undefined;
}

/** Resolves one import specifier written in one file. */
export type Resolver = (fromFile: string, specifier: string) => Resolution;

export type Resolution =
  | { kind: 'file'; file: string; /** package.json files whose fields chose the target. */ via?: string[] }
  | { kind: 'external'; packageName: string }
  | { kind: 'builtin' }
  | {
      kind: 'unresolved';
      detail: string;
      /**
       * The workspace-relative path (without a JS/TS extension) a relative, `paths` or `baseUrl`
       * import points to when git holds no file there: possibly generated code (see DESIGN.md).
       */
      missingPath?: string;
    };
