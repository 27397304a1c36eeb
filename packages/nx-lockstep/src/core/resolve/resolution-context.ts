/**
 * Everything resolution needs about one commit of the workspace, as plain data gathered by the
 * adapters: which files exist, the root tsconfig's `paths`/`baseUrl`, and the workspace packages.
 * All paths are workspace-relative, posix style, without a leading `./`.
 */

export interface PathAlias {
  /** The `paths` key, e.g. `@shop/*` or `@shop/money`. */
  pattern: string;
  /** Workspace-relative targets, each may contain one `*`. */
  targets: string[];
}

export interface WorkspacePackage {
  name: string;
  /** Workspace-relative folder of the package.json. */
  root: string;
  main?: string;
  module?: string;
  types?: string;
  exports?: unknown;
}

export interface ResolutionContext {
  files: ReadonlySet<string>;
  paths: PathAlias[];
  /** Workspace-relative baseUrl, or undefined when the tsconfig has none. */
  baseUrl?: string;
  packages: ReadonlyMap<string, WorkspacePackage>;
}

export type Resolution =
  | { kind: 'file'; file: string; /** package.json files whose fields chose the target. */ via?: string[] }
  | { kind: 'external'; packageName: string }
  | { kind: 'builtin' }
  | {
      kind: 'unresolved';
      detail: string;
      /**
       * The workspace-relative path (without extension) a relative, `paths` or `baseUrl` import
       * points to when git holds no file there: possibly generated code (see DESIGN.md).
       */
      missingPath?: string;
    };
