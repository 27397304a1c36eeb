import type { ImportGraph } from '../graph/import-graph';
import type { Resolution, Resolver } from '../resolve/resolution-context';

/**
 * Serves `reachSymbols` the resolutions an ImportGraph already computed, instead of resolving
 * twice. A specifier the file no longer imports (a load removed since the base) is resolved
 * with `resolve` when given, so its side effects can be judged; without it, it is unresolved
 * and counts (safe).
 */
export function resolverFromGraph(
  graph: ImportGraph,
  resolve?: Resolver,
): (fromFile: string, specifier: string) => Resolution {
  const byFile = new Map<string, Map<string, Resolution>>();
  return (fromFile, specifier) => {
    let bySpecifier = byFile.get(fromFile);
    if (!bySpecifier) {
      bySpecifier = new Map(graph.edgesOf(fromFile).map((edge) => [edge.specifier, edge.resolution]));
      byFile.set(fromFile, bySpecifier);
    }
    const known = bySpecifier.get(specifier);
    if (known) return known;
    if (resolve) return resolve(fromFile, specifier);
    return { kind: 'unresolved', detail: `"${specifier}" was not resolved from ${fromFile}` };
  };
}
