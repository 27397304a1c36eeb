import { isSourceFile, isTestFile } from '../extract/file-kinds';
import type { ImportKind, ModuleSummary } from '../module-summary';
import type { Resolution, Resolver } from '../resolve/resolution-context';

/** One import of one file, resolved. */
export interface ImportEdge {
  specifier: string;
  kind: ImportKind;
  /** Erased at runtime: never makes a deployable ship its target. */
  typeOnly: boolean;
  line: number;
  resolution: Resolution;
}

/**
 * The resolved imports of the files of one commit. Summaries and edges are computed on first
 * use, so an analysis parses and resolves only the files its deployables reach.
 */
export interface ImportGraph {
  /** The summary of a source file, or undefined when it is not a source file of this commit. */
  summaryOf(file: string): ModuleSummary | undefined;
  edgesOf(file: string): ImportEdge[];
  /**
   * Why the analysis cannot be sure about a source file's imports (it does not parse, it loads
   * computed specifiers), or undefined when it was not analysed (not a source file of the commit).
   */
  problemsOf(file: string): string[] | undefined;
  /** The steps a stored graph holds, by number, when there is one (see FileStepTable). */
  stepTable(): FileStepTable | undefined;
}

/**
 * The file-level steps of many files at once, by number: what a stored import graph holds, read
 * without an object per file or import (see filesReaching). A file it does not hold is asked of
 * the graph as usual; for a file it holds, the graph answers exactly as the table does.
 */
export interface FileStepTable {
  /** Files by number: the files it holds steps of, then others their imports lead to. */
  readonly files: readonly string[];
  numberOf(file: string): number | undefined;
  /**
   * File n's runtime targets as `ReachStep.targets` has them (type-only imports and test files
   * left out), by number: `targets[start[n]]` … `targets[end[n] − 1]`; `start[n]` is −1 when the
   * table does not hold file n's step.
   */
  readonly start: Int32Array;
  readonly end: Int32Array;
  readonly targets: Int32Array;
  /** Per file: `STEP_UNCERTAIN`, `IMPORT_UNRESOLVED` and `IMPORTS_EXTERNAL` bits. */
  readonly flags: Uint8Array;
}

/** Its step notes something uncertain (a problem, or an unresolved runtime import). */
export const STEP_UNCERTAIN = 1;
/** One of its imports, type-only ones too, does not resolve. */
export const IMPORT_UNRESOLVED = 2;
/** It imports an external package at runtime. */
export const IMPORTS_EXTERNAL = 4;

/** What the graph knows of one file without its summary: enough for file-level reachability. */
export interface RememberedFile {
  edges: ImportEdge[];
  problems: string[];
}

/**
 * A file's row of a FileStepTable from its resolved imports and problems: its runtime targets as
 * reachStep follows them (type-only imports and test files left out, a resolution's `via` files
 * before its file) and its flags. Undefined for a file that is not source: no table holds it
 * (reachStep decides such a file by its name alone).
 */
export function fileStepRow(path: string, known: RememberedFile): { targets: string[]; flags: number } | undefined {
  if (!isSourceFile(path)) return undefined;
  const targets: string[] = [];
  let flags = known.problems.length > 0 ? STEP_UNCERTAIN : 0;
  for (const { typeOnly, resolution } of known.edges) {
    if (resolution.kind === 'unresolved') flags |= IMPORT_UNRESOLVED | (typeOnly ? 0 : STEP_UNCERTAIN);
    if (typeOnly) continue;
    if (resolution.kind === 'external') flags |= IMPORTS_EXTERNAL;
    if (resolution.kind !== 'file') continue;
    for (const target of [...(resolution.via ?? []), resolution.file]) if (!isTestFile(target)) targets.push(target);
  }
  return { targets, flags };
}

export interface ImportGraphOptions {
  /**
   * With `verbatimModuleSyntax`, `import { type A } from './a'` still emits `import {} from './a'`
   * (the module runs), so only `import type` is erased.
   */
  verbatimModuleSyntax?: boolean;
  /**
   * Resolved imports and problems per file, filled as files are asked for. A caller may pass what
   * an earlier run found for the same file content with the same resolution inputs (file list,
   * tsconfig files, workspace packages): then the file's summary is not needed for either.
   */
  files?: RememberedFiles;
  /**
   * The steps of the files `files` takes from a stored graph, by number: given only when `files`
   * answers for each file the table holds exactly as the table does.
   */
  stepTable?: () => FileStepTable | undefined;
}

/** Where the graph keeps what it found per file: a Map, or a store that remembers across runs. */
export interface RememberedFiles {
  get(file: string): RememberedFile | undefined;
  set(file: string, known: RememberedFile): unknown;
}

export function createImportGraph(
  summaryOf: (file: string) => ModuleSummary | undefined,
  resolve: Resolver,
  options: ImportGraphOptions = {},
): ImportGraph {
  const files: RememberedFiles = options.files ?? new Map<string, RememberedFile>();
  const remembered = (file: string): RememberedFile | undefined => {
    let known = files.get(file);
    if (!known) {
      const summary = summaryOf(file);
      if (!summary) return undefined;
      known = {
        edges: summary.imports.map((record) => ({
          specifier: record.specifier,
          kind: record.kind,
          typeOnly:
            record.typeOnly || (!options.verbatimModuleSyntax && isTypeOnlyByBindings(record.bindings, record.kind)),
          line: record.line,
          resolution: resolve(file, record.specifier),
        })),
        problems: problemsIn(file, summary),
      };
      files.set(file, known);
    }
    return known;
  };
  return {
    summaryOf,
    edgesOf: (file) => remembered(file)?.edges ?? [],
    problemsOf: (file) => remembered(file)?.problems,
    stepTable: () => options.stepTable?.(),
  };
}

function problemsIn(file: string, summary: ModuleSummary): string[] {
  const problems: string[] = [];
  if (summary.parseErrors.length > 0) problems.push(`${file} does not parse: ${summary.parseErrors[0]}`);
  if (summary.dynamicUnknown.length > 0)
    problems.push(`${file} loads modules the analysis cannot follow: ${summary.dynamicUnknown[0]}`);
  return problems;
}

/** `import { type A, type B } from` with only type bindings is erased like `import type`. */
function isTypeOnlyByBindings(bindings: ModuleSummary['imports'][number]['bindings'], kind: ImportKind): boolean {
  if (kind !== 'static' && kind !== 're-export') return false;
  return bindings.length > 0 && bindings.every((binding) => binding.typeOnly);
}
