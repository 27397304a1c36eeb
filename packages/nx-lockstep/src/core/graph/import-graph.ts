import type { ImportKind, ModuleSummary } from '../module-summary';
import type { Resolution, ResolutionContext } from '../resolve/resolution-context';
import { resolveSpecifier } from '../resolve/resolve-specifier';

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
}

export interface ImportGraphOptions {
  /**
   * With `verbatimModuleSyntax`, `import { type A } from './a'` still emits `import {} from './a'`
   * (the module runs), so only `import type` is erased.
   */
  verbatimModuleSyntax?: boolean;
  /**
   * Resolved imports per file, filled as files are asked for. A caller may pass edges remembered
   * from an earlier run on the same commit (everything resolution reads comes from the commit).
   */
  edges?: Map<string, ImportEdge[]>;
}

export function createImportGraph(summaryOf: (file: string) => ModuleSummary | undefined, context: ResolutionContext, options: ImportGraphOptions = {}): ImportGraph {
  const edges = options.edges ?? new Map<string, ImportEdge[]>();
  return {
    summaryOf,
    edgesOf(file) {
      let resolved = edges.get(file);
      if (!resolved) {
        resolved = (summaryOf(file)?.imports ?? []).map((record) => ({
          specifier: record.specifier,
          kind: record.kind,
          typeOnly: record.typeOnly || (!options.verbatimModuleSyntax && isTypeOnlyByBindings(record.bindings, record.kind)),
          line: record.line,
          resolution: resolveSpecifier(file, record.specifier, context),
        }));
        edges.set(file, resolved);
      }
      return resolved;
    },
  };
}

/** `import { type A, type B } from` with only type bindings is erased like `import type`. */
function isTypeOnlyByBindings(bindings: ModuleSummary['imports'][number]['bindings'], kind: ImportKind): boolean {
  if (kind !== 'static' && kind !== 're-export') return false;
  return bindings.length > 0 && bindings.every((binding) => binding.typeOnly);
}
