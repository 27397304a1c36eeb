import type { ImportBinding, ImportRecord, LocalExport, ModuleSummary, TopLevelDeclaration } from '../module-summary';

/** Lookups by name over one ModuleSummary, built once: reachability asks them per step. */
export interface SummaryIndex {
  declarationById: Map<string, TopLevelDeclaration>;
  declarationByName: Map<string, TopLevelDeclaration>;
  exportByName: Map<string, LocalExport>;
  /** Named re-exports (`export { a as b } from`) by the name they export. */
  reExportsByName: Map<string, Array<{ record: ImportRecord; binding: ImportBinding }>>;
  /** Import bindings by the local name they declare. */
  bindingsByLocal: Map<string, Array<{ record: ImportRecord; binding: ImportBinding }>>;
  starReExports: ImportRecord[];
  /** `import()` / `require()` records by the declaration that contains the call (when the extractor says). */
  loadsByDeclaration: Map<string, ImportRecord[]>;
}

const indexes = new WeakMap<ModuleSummary, SummaryIndex>();

export function indexSummary(summary: ModuleSummary): SummaryIndex {
  let index = indexes.get(summary);
  if (index) return index;
  index = {
    declarationById: new Map(),
    declarationByName: new Map(),
    exportByName: new Map(),
    reExportsByName: new Map(),
    bindingsByLocal: new Map(),
    starReExports: [],
    loadsByDeclaration: new Map(),
  };
  for (const declaration of summary.declarations) {
    index.declarationById.set(declaration.id, declaration);
    for (const name of declaration.names)
      if (!index.declarationByName.has(name)) index.declarationByName.set(name, declaration);
  }
  for (const entry of summary.exports)
    if (!index.exportByName.has(entry.name)) index.exportByName.set(entry.name, entry);
  for (const record of summary.imports) {
    if (record.kind === 're-export-all') index.starReExports.push(record);
    if (isDeferredLoad(record)) push(index.loadsByDeclaration, record.declaration!, record);
    for (const binding of record.bindings) {
      if (record.kind === 're-export')
        push(index.reExportsByName, binding.exportedAs ?? binding.imported, { record, binding });
      else if (binding.local !== '') push(index.bindingsByLocal, binding.local, { record, binding });
    }
  }
  indexes.set(summary, index);
  return index;
}

/** A dynamic import or require() whose containing declaration is known: it runs only if that declaration is reached. */
export function isDeferredLoad(record: ImportRecord): boolean {
  return (record.kind === 'dynamic' || record.kind === 'require') && record.declaration !== undefined;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
