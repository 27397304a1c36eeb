import { ts as extractorTs } from 'ts-morph';
import ts from 'typescript';
import { isSourceFile } from '../../extract/file-kinds';
import { summarizeModule } from '../../extract/summarize-module';
import type { ModuleSummary } from '../../module-summary';
import type { Resolver } from '../../resolve/resolution-context';
import { createWorkspaceResolver } from '../../resolve/workspace-resolver';
import { affectedBySymbols } from '../affected-by-symbols';
import { changedDeclarations, type ChangedDeclarations } from '../changed-declarations';
import { reachSymbols, type SymbolReach } from '../symbol-reach';
import { statementId } from '../emitted-module';
import { collectNamespaceMembers, namespaceMembersOf, type NamespaceUses } from '../namespace-members';

export type Files = Record<string, string>;

/**
 * A workspace held in memory, analysed by the real extractor and resolver. `namespaceMembers`:
 * true fills `TopLevelDeclaration.namespaceMembers` with core/symbols/namespace-members as the
 * extractor is meant to, false removes it (an extractor that does not say), unset leaves the
 * extractor's own output.
 */
export function inMemoryWorkspace(files: Files, options: { namespaceMembers?: boolean } = {}) {
  const resolve = inMemoryResolver(files);
  const cache = new Map<string, ModuleSummary | undefined>();
  const summaries = (file: string) => {
    if (!cache.has(file)) {
      const summary = files[file] !== undefined && isSourceFile(file) ? summarizeModule(file, files[file]) : undefined;
      if (summary && options.namespaceMembers === false)
        for (const declaration of summary.declarations) delete declaration.namespaceMembers;
      if (summary && options.namespaceMembers === true) addNamespaceMembers(file, files[file], summary);
      cache.set(file, summary);
    }
    return cache.get(file);
  };
  return {
    summaries,
    resolve,
    reach: (...entries: string[]): SymbolReach => reachSymbols({ entries, summaries, resolve }),
  };
}

/** Every file that differs between two in-memory commits, compared at runtime level. */
export function changesBetween(
  base: Files,
  head: Files,
  compilerOptions: Record<string, unknown> = {},
): Map<string, ChangedDeclarations> {
  const changed = new Map<string, ChangedDeclarations>();
  for (const file of new Set([...Object.keys(base), ...Object.keys(head)])) {
    if (base[file] === head[file]) continue;
    const before = base[file] === undefined ? null : { fileName: file, text: base[file] };
    const after = head[file] === undefined ? null : { fileName: file, text: head[file] };
    changed.set(file, changedDeclarations(before, after, compilerOptions));
  }
  return changed;
}

/** The hits of one deployable (its entries) for a change from base to head. */
export function hitsFor(base: Files, head: Files, entries: string[], compilerOptions: Record<string, unknown> = {}) {
  return affectedBySymbols(inMemoryWorkspace(head).reach(...entries), changesBetween(base, head, compilerOptions));
}

/** Reached declaration ids of one file, sorted, or 'whole' / undefined. */
export function reachedIn(reach: SymbolReach, file: string): string[] | 'whole' | undefined {
  const fileReach = reach.files.get(file);
  if (!fileReach) return undefined;
  return fileReach.whole ? 'whole' : [...fileReach.declarations].sort();
}

/** The real resolver over files held in memory (every package.json is a manifest). */
export function inMemoryResolver(files: Files): Resolver {
  const manifests = new Map(Object.entries(files).filter(([file]) => file.endsWith('package.json')));
  return createWorkspaceResolver({ files: new Set(Object.keys(files)), readFile: (file) => files[file] }, manifests)
    .resolve;
}

/** What the extractor does with namespace-members: one accumulator per declaration id. */
function addNamespaceMembers(file: string, text: string, summary: ModuleSummary): void {
  const locals = new Set(
    summary.imports.flatMap((record) =>
      record.bindings.filter((binding) => binding.local !== '').map((binding) => binding.local),
    ),
  );
  const parsed = extractorTs.createSourceFile(file, text, extractorTs.ScriptTarget.Latest, true);
  const ids = ts
    .createSourceFile(file, text, ts.ScriptTarget.Latest, true)
    .statements.map((statement, index) => statementId(statement, index));
  const uses = new Map<string, NamespaceUses>();
  parsed.statements.forEach((statement, index) => {
    if (extractorTs.isImportDeclaration(statement) || extractorTs.isExportDeclaration(statement)) return;
    const id = ids[index];
    if (!uses.has(id)) uses.set(id, new Map());
    collectNamespaceMembers(statement, locals, uses.get(id)!);
  });
  for (const declaration of summary.declarations) {
    const members = namespaceMembersOf(uses.get(declaration.id) ?? new Map());
    if (members) declaration.namespaceMembers = members;
    else delete declaration.namespaceMembers;
  }
}
