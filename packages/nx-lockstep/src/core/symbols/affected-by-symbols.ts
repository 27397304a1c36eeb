import type { ChangedDeclarations } from './changed-declarations';
import { publicDeclarationId } from '../format-reason';
import { chain } from '../graph/reachability';
import type { ChangeNotShipped } from '../result';
import { MODULE_LOAD } from './module-load';
import type { SymbolReach } from './symbol-reach';

export interface SymbolHit {
  file: string;
  /** Reached declarations that changed; MODULE_LOAD, `export:<name>` or `load:<specifier>` (an import added or removed that changes what runs) for module-level changes; empty for a whole-file change. */
  declarations: string[];
  /** Files entry → … → file. */
  chain: string[];
  /** What the change is, in words, when the whole file counts. */
  detail?: string;
}

/** A change computed now, or on first use (see `lazyChange`): transpiling costs, and most changed files are reached by no deployable. */
export type ChangeSource = ChangedDeclarations | (() => ChangedDeclarations);

/** Memoises a change computation so the deployables that reach the file share one transpile. */
export function lazyChange(compute: () => ChangedDeclarations): () => ChangedDeclarations {
  let value: ChangedDeclarations | undefined;
  return () => (value ??= compute());
}

/** The changes (from `changedDeclarations`, keyed by file) that a deployable's reach touches. */
export function affectedBySymbols(reach: SymbolReach, changed: ReadonlyMap<string, ChangeSource>): SymbolHit[] {
  const hits: SymbolHit[] = [];
  // Modules this deployable loads whose imports changed (or that are new, deleted, reordered):
  // when the only one is the file itself, its importers load as at base, so an import edge to a
  // module they always load first moves nothing (see `loadedBefore`).
  const loadsChangedIn = new Set<string>();
  for (const [file, source] of changed) {
    if (!reach.files.has(file)) continue;
    const change = typeof source === 'function' ? source() : source;
    if (
      change.kind === 'whole' ||
      (change.kind === 'declarations' && ((change.loads?.length ?? 0) > 0 || change.ids.includes(MODULE_LOAD)))
    )
      loadsChangedIn.add(file);
  }
  for (const [file, source] of changed) {
    const fileReach = reach.files.get(file);
    if (!fileReach) continue;
    const change = typeof source === 'function' ? source() : source;
    if (change.kind === 'none') continue;
    if (change.kind === 'whole') {
      // A module only loaded (none of its code used, no side effects) ships nothing that runs.
      if (!fileReach.whole && fileReach.declarations.size === 0 && fileReach.exports.size === 0) continue;
      hits.push({ file, declarations: [], chain: reach.chainTo(file), detail: change.detail });
      continue;
    }
    const touched: string[] = [];
    for (const id of change.ids) {
      if (id === MODULE_LOAD || fileReach.whole || fileReach.declarations.has(id)) touched.push(id);
    }
    for (const name of change.exports ?? []) {
      if (fileReach.whole || fileReach.exports.has(name)) touched.push(`export:${name}`);
    }
    for (const specifier of change.loads ?? []) {
      if (!reach.loadChangeMatters(file, specifier)) continue;
      if (loadsChangedIn.size === 1 && reach.loadedBefore(file, specifier)) continue;
      touched.push(`load:${specifier}`);
    }
    if (touched.length === 0) continue;
    const firstDeclaration = touched.find((id) => fileReach.declarations.has(id));
    hits.push({ file, declarations: touched, chain: reach.chainTo(file, firstDeclaration) });
  }
  return hits.sort((a, b) => a.file.localeCompare(b.file));
}

/**
 * The changed files a deployable imports (`importedFiles`: reached at file precision) whose
 * change it does not ship (`shipped`: the files of its hits): the change is in no runtime code
 * (comments, types, layout), or it touches declarations the deployable does not use. What
 * `lockstep explain` shows for a deployable that Nx would deploy and this analysis does not.
 */
export function changesNotShipped(
  importedFiles: ReadonlyMap<string, string | null>,
  changed: ReadonlyMap<string, ChangeSource>,
  shipped: ReadonlySet<string>,
): ChangeNotShipped[] {
  const found: ChangeNotShipped[] = [];
  for (const [file, source] of changed) {
    if (!importedFiles.has(file) || shipped.has(file)) continue;
    const change = typeof source === 'function' ? source() : source;
    const via = chain(importedFiles, file);
    if (change.kind === 'none') found.push({ file, via, because: 'no-runtime-change' });
    else if (change.kind === 'declarations' && change.ids.length > 0)
      found.push({ file, via, because: 'not-used', declarations: change.ids.map(publicDeclarationId) });
    else found.push({ file, via, because: 'not-used' });
  }
  return found.sort((a, b) => a.file.localeCompare(b.file));
}
