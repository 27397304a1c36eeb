/**
 * Where each deployable uses what a library exports: every import of a library file from the
 * deployable's own sources or from the files its runtime code reaches, type-only imports
 * included (a breaking change to a type breaks the consumer's build). The use sites of a
 * contract change and of a changed contract library come from here.
 */
import { isSourceFile, isTestFile } from '../extract/file-kinds';
import type { CouplingInputs } from './coupling-inputs';

export interface SymbolUse {
  deployable: string;
  /** The library whose file is imported. */
  project: string;
  /** The name imported from it: an export name, `default`, or `*` (a namespace, a bare or dynamic import). */
  name: string;
  typeOnly: boolean;
  file: string;
  line: number;
}

export class SymbolUseIndex {
  private readonly byProject = new Map<string, SymbolUse[]>();

  constructor(inputs: CouplingInputs) {
    for (const deployable of inputs.deployables) {
      const files = new Set([...inputs.entryPoints(deployable), ...inputs.fileReach(deployable).parents.keys()]);
      for (const file of [...files].sort()) this.addFile(inputs, deployable.name, file);
    }
  }

  private addFile(inputs: CouplingInputs, deployable: string, file: string): void {
    if (!isSourceFile(file) || isTestFile(file)) return;
    const owner = inputs.ownerOf(file);
    for (const record of inputs.model.head.summaryOf(file)?.imports ?? []) {
      const resolution = inputs.resolve(file, record.specifier);
      if (resolution.kind !== 'file') continue;
      const project = inputs.ownerOf(resolution.file);
      if (project === undefined || project === owner || inputs.deployableNames.has(project)) continue;
      const names =
        record.bindings.length === 0
          ? [{ name: '*', typeOnly: record.typeOnly }]
          : record.bindings.map((binding) => ({
              name: binding.imported,
              typeOnly: record.typeOnly || binding.typeOnly,
            }));
      let uses = this.byProject.get(project);
      if (!uses) this.byProject.set(project, (uses = []));
      for (const { name, typeOnly } of names)
        uses.push({ deployable, project, name, typeOnly, file, line: record.line });
    }
  }

  /** Uses of one export of a library (a namespace import counts for every export). */
  usesOf(project: string, exportName: string): SymbolUse[] {
    return (this.byProject.get(project) ?? []).filter((use) => use.name === exportName || use.name === '*');
  }

  /** Every use of a library. */
  usesOfProject(project: string): readonly SymbolUse[] {
    return this.byProject.get(project) ?? [];
  }
}
