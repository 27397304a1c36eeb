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
}

/** What the graph knows of one file without its summary: enough for file-level reachability. */
export interface RememberedFile {
  edges: ImportEdge[];
  problems: string[];
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
