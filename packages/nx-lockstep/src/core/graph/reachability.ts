import { isAssetFile, isDeclarationFile, isSourceFile, isTestFile } from '../extract/file-kinds';
import type { ImportGraph } from './import-graph';

export interface UncertainFile {
  file: string;
  detail: string;
  via: string[];
}

/** What a deployable ships from its entry points at file precision. */
export interface Reach {
  /** Every reached file → the file that first imported it (null for entry points). */
  parents: ReadonlyMap<string, string | null>;
  /** External package name → the first reached file that imports it at runtime. */
  externals: ReadonlyMap<string, string>;
  uncertain: UncertainFile[];
}

/**
 * Follows runtime imports breadth-first from the entry points, so each `via` chain is a shortest
 * one. Type-only edges and test files are not followed; what cannot be followed safely (parse
 * errors, unresolvable workspace imports, computed imports, unknown file kinds) is recorded.
 */
export function reachFromEntryPoints(entryPoints: readonly string[], graph: ImportGraph, files: ReadonlySet<string>): Reach {
  const parents = new Map<string, string | null>();
  const externals = new Map<string, string>();
  const uncertain: UncertainFile[] = [];
  const queue: string[] = [];
  const chainTo = (file: string) => chain(parents, file);

  for (const entry of entryPoints) {
    if (!files.has(entry)) {
      uncertain.push({ file: entry, detail: `entry point ${entry} does not exist; set "entryPoints" in the nx-lockstep plugin options, e.g. { "entryPoints": { "api": ["apps/api/src/main.ts"] } }`, via: [entry] });
      continue;
    }
    if (!parents.has(entry)) {
      parents.set(entry, null);
      queue.push(entry);
    }
  }

  for (let index = 0; index < queue.length; index++) {
    const file = queue[index];
    if (!isSourceFile(file)) {
      if (!isAssetFile(file) && !isDeclarationFile(file) && !file.endsWith('package.json')) {
        uncertain.push({ file, detail: `${file} is reached but is not a kind of file the analysis can read for imports`, via: chainTo(file) });
      }
      continue;
    }
    const summary = graph.summaryOf(file);
    if (!summary) {
      uncertain.push({ file, detail: `${file} was not analysed`, via: chainTo(file) });
      continue;
    }
    if (summary.parseErrors.length > 0) {
      uncertain.push({ file, detail: `${file} does not parse: ${summary.parseErrors[0]}`, via: chainTo(file) });
    }
    if (summary.dynamicUnknown.length > 0) {
      uncertain.push({ file, detail: `${file} loads modules the analysis cannot follow: ${summary.dynamicUnknown[0]}`, via: chainTo(file) });
    }
    for (const edge of graph.edgesOf(file)) {
      if (edge.typeOnly) continue;
      const resolution = edge.resolution;
      if (resolution.kind === 'external') {
        if (!externals.has(resolution.packageName)) externals.set(resolution.packageName, file);
      } else if (resolution.kind === 'unresolved') {
        uncertain.push({ file, detail: `${file}:${edge.line} imports "${edge.specifier}": ${resolution.detail}`, via: chainTo(file) });
      } else if (resolution.kind === 'file') {
        for (const target of [...(resolution.via ?? []), resolution.file]) {
          if (isTestFile(target) || parents.has(target)) continue;
          parents.set(target, file);
          queue.push(target);
        }
      }
    }
  }
  return { parents, externals, uncertain };
}

/** The import chain entry → … → file. */
export function chain(parents: ReadonlyMap<string, string | null>, file: string): string[] {
  const path: string[] = [];
  let current: string | null | undefined = file;
  const seen = new Set<string>();
  while (current && !seen.has(current)) {
    seen.add(current);
    path.unshift(current);
    current = parents.get(current);
  }
  return path;
}
