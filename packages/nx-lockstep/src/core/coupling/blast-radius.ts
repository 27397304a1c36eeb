/**
 * Section 2: who redeploys when a library, a file or one export of a barrel changes — at
 * project precision (Nx: every deployable whose project-dependency closure holds the library)
 * and at symbol precision (lockstep: the deployables whose runtime code reaches it; type-only
 * imports are erased and do not count).
 */
import { isSourceFile, isTestFile } from '../extract/file-kinds';
import type { CouplingInputs } from './coupling-inputs';
import type { BarrelUse, BlastRadius, BlastRadiusEntry } from './coupling-report';

/** How many hot files the report lists. */
export const HOT_FILES = 10;

export function computeBlastRadius(inputs: CouplingInputs): BlastRadius {
  const libraries: BlastRadiusEntry[] = [];
  const files: BlastRadiusEntry[] = [];
  for (const library of inputs.libraries) {
    const projectPrecision = inputs.dependentDeployables(library.name);
    const shipping = new Set<string>();
    for (const file of inputs.filesOf(library.name)) {
      if (isTestFile(file)) continue;
      const users = inputs.deployables.filter((deployable) => inputs.ships(deployable, file)).map((d) => d.name);
      users.forEach((user) => shipping.add(user));
      if (users.length > 0)
        files.push({
          id: file,
          project: library.name,
          file,
          projectPrecision,
          symbolPrecision: users,
        });
    }
    libraries.push({
      id: library.name,
      project: library.name,
      file: inputs.configFileOf(library),
      projectPrecision,
      symbolPrecision: inputs.deployables.map((d) => d.name).filter((name) => shipping.has(name)),
    });
  }
  return {
    libraries: libraries.sort(byRadius),
    hotFiles: files.sort(byRadius).slice(0, HOT_FILES),
    barrels: findBarrels(inputs),
  };
}

/** Most redeploys first (symbol, then project precision), then by name. */
function byRadius(a: BlastRadiusEntry, b: BlastRadiusEntry): number {
  return (
    b.symbolPrecision.length - a.symbolPrecision.length ||
    b.projectPrecision.length - a.projectPrecision.length ||
    a.id.localeCompare(b.id)
  );
}

/**
 * A barrel is a library source file that re-exports. Per export name: the deployables whose
 * runtime code asks the barrel for it. The difference to `usedBy` is what splitting the barrel
 * would save Nx (project precision redeploys every user of the library for any of them).
 */
function findBarrels(inputs: CouplingInputs): BarrelUse[] {
  const head = inputs.model.head;
  const barrels: BarrelUse[] = [];
  for (const library of inputs.libraries) {
    for (const file of inputs.filesOf(library.name)) {
      if (!isSourceFile(file) || isTestFile(file)) continue;
      const summary = head.summaryOf(file);
      if (!summary?.imports.some((record) => record.kind === 're-export' || record.kind === 're-export-all')) continue;
      const reaches = inputs.deployables.map((deployable) => ({
        name: deployable.name,
        reach: inputs.symbolReach(deployable).files.get(file),
      }));
      const usedBy = reaches
        .filter(({ reach }) => reach && (reach.whole || reach.exports.size > 0 || reach.declarations.size > 0))
        .map(({ name }) => name);
      if (usedBy.length === 0) continue;
      const exports = [...exportNames(inputs, file, new Set())].sort().map((name) => ({
        name,
        usedBy: reaches.filter(({ reach }) => reach && (reach.whole || reach.exports.has(name))).map((r) => r.name),
      }));
      exports.sort((a, b) => b.usedBy.length - a.usedBy.length || a.name.localeCompare(b.name));
      barrels.push({ file, project: library.name, usedBy, exports });
    }
  }
  return barrels.sort((a, b) => b.usedBy.length - a.usedBy.length || a.file.localeCompare(b.file));
}

/** The names a module exports, through `export *` (type-only exports left out: they never ship). */
function exportNames(inputs: CouplingInputs, file: string, seen: Set<string>): Set<string> {
  const names = new Set<string>();
  if (seen.has(file)) return names;
  seen.add(file);
  const summary = inputs.model.head.summaryOf(file);
  if (!summary) return names;
  for (const entry of summary.exports) if (!entry.typeOnly) names.add(entry.name);
  for (const record of summary.imports) {
    if (record.typeOnly) continue;
    if (record.kind === 're-export')
      for (const binding of record.bindings) if (!binding.typeOnly) names.add(binding.exportedAs ?? binding.imported);
    if (record.kind !== 're-export-all') continue;
    const resolution = inputs.resolve(file, record.specifier);
    if (resolution.kind !== 'file') continue;
    for (const name of exportNames(inputs, resolution.file, seen)) if (name !== 'default') names.add(name);
  }
  return names;
}
