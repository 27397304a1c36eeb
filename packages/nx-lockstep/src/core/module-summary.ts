/**
 * What the engine knows about one source file after a purely syntactic pass: its imports and
 * exports, and its top-level declarations with what each references. Extraction
 * (`core/extract`) produces it; file- and symbol-precision reachability consume it. It is plain
 * data, JSON-serialisable, so the parse cache can store it keyed by content hash.
 */

export type ImportKind =
  /** `import x from`, `import { a } from`, `import * as ns from` */
  | 'static'
  /** `import './polyfill'` */
  | 'side-effect'
  /** `export { a } from`, `export * as ns from` */
  | 're-export'
  /** `export * from` */
  | 're-export-all'
  /** `import('…')` with a string literal */
  | 'dynamic'
  /** `require('…')` with a string literal */
  | 'require'
  /** `import x = require('…')` */
  | 'import-equals';

/** One binding an import brings in: `imported` is the exported name, or '*' for a namespace, or 'default'. */
export interface ImportBinding {
  /** The local name in this module ('' for re-exports, which bind no local). */
  local: string;
  /** The name exported by the target module; '*' = the whole module (namespace, require, dynamic). */
  imported: string;
  /** For re-exports: the name this module exports it as. */
  exportedAs?: string;
  /**
   * Erased at runtime: written `type`, or (TS files) never used as a value, which TypeScript and
   * esbuild elide unless verbatimModuleSyntax.
   */
  typeOnly: boolean;
}

export interface ImportRecord {
  specifier: string;
  kind: ImportKind;
  /** The whole statement is type-only (`import type`, `export type … from`). */
  typeOnly: boolean;
  bindings: ImportBinding[];
  /** 1-based line, for reasons a person can read. */
  line: number;
  /**
   * Optional, for `dynamic` and `require` records: the id of the top-level declaration whose code
   * contains the call. Symbol precision then takes the target only when that declaration is
   * reached; without it, the target is taken whenever the module is loaded (safe).
   */
  declaration?: string;
}

/** A local export: `export const a`, `export { a as b }`, `export default …`. Re-exports are ImportRecords. */
export interface LocalExport {
  /** Exported name ('default' for default exports). */
  name: string;
  /** The id of the top-level declaration that provides it. */
  declaration: string;
  typeOnly: boolean;
}

export interface TopLevelDeclaration {
  /**
   * Stable id within the file: the declared name for named declarations (`foo`, `Foo`), `default`
   * for an anonymous default export, and `#<n>` (statement index) for other statements.
   */
  id: string;
  /** Local bindings this statement declares (several for `const { a, b } = …`). */
  names: string[];
  /** Identifiers it references that are top-level names of this module (declarations or import locals). */
  references: string[];
  /**
   * Runs code with effects when the module loads, so it is reached whenever the module is:
   * anything but an import/export, function/class/type/interface/enum declaration, or a
   * const/let initialised with a literal or a function expression.
   */
  sideEffect: boolean;
  /** Types and interfaces (and `declare` forms): erased at runtime. */
  typeOnly: boolean;
  /**
   * Optional: import locals among `references` that this declaration uses only as `ns.member`
   * (`import * as ns`, or a named import of an `export * as ns`), with the members used. Symbol
   * precision then follows those members instead of taking the whole module. Filled with
   * `core/symbols/namespace-members`.
   */
  namespaceMembers?: Record<string, string[]>;
  /** 1-based line. */
  line: number;
}

export interface ModuleSummary {
  imports: ImportRecord[];
  exports: LocalExport[];
  declarations: TopLevelDeclaration[];
  /** Syntax errors: a file that does not parse is a safety case (`analysis-uncertain`). */
  parseErrors: string[];
  /** The module uses constructs the analysis cannot follow by name (e.g. `require(variable)`, `import(expr)`, `eval`). */
  dynamicUnknown: string[];
}
