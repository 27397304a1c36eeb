/**
 * `lockstep report` in the pure core: the workspace model (and, for a range, the deploy
 * decisions and the classified contract changes) in, the CouplingReport out.
 */
import { buildGraphData } from '../graph-view/build-graph-data';
import type { WorkspaceModel } from '../model/workspace-model';
import type { AffectedResult } from '../result';
import { computeBlastRadius } from './blast-radius';
import type { ContractChange } from './contract-change';
import { attachConsumers, changedContractFiles, findContractLibraries } from './contracts';
import { CouplingInputs } from './coupling-inputs';
import { COUPLING_REPORT_VERSION, type ContractLibrary, type CouplingReport } from './coupling-report';
import { findDeployableImports } from './deployable-imports';
import { findingsOf } from './findings';
import { findProjectCycles } from './project-cycles';
import { SymbolUseIndex } from './symbol-uses';

export interface CouplingRequest {
  /** The range's base ref (`--base`): contract changes and decisions are between it and head. */
  base?: string;
  /** The engine's decisions for the same model and range. */
  decisions?: AffectedResult;
  /**
   * Export changes of the contract libraries, classified by the TypeScript contracts classifier
   * (undefined: no classifier ran). Consumers are attached here.
   */
  contractChanges?: readonly ContractChange[];
  /** `--fail-on blast-radius>N`: libraries above N become findings. */
  blastRadiusThreshold?: number;
}

export function buildCouplingReport(model: WorkspaceModel, request: CouplingRequest = {}): CouplingReport {
  const inputs = new CouplingInputs(model);
  const warnings: string[] = [];
  let base: string | undefined;
  let changes: ContractChange[] = [...(request.contractChanges ?? [])];
  if (request.base !== undefined) {
    const lookup = model.compare(request.base);
    if (lookup.kind === 'available') {
      base = lookup.comparison.base;
      changes.push(...changedContractFiles(inputs, lookup.comparison.changes, () => lookup.comparison.tree()));
    } else warnings.push(`contract files not compared: ${lookup.hint}`);
  } else changes = [];
  const deployableImports = findDeployableImports(inputs);
  const blastRadius = computeBlastRadius(inputs);
  const contracts = {
    libraries: findContractLibraries(inputs),
    classified: request.base !== undefined && request.contractChanges !== undefined,
    // The use index walks every deployable's reach: built only when there is a change to attach to.
    contractChanges: changes.length > 0 ? attachConsumers(changes, new SymbolUseIndex(inputs), inputs) : [],
  };
  const cycles = findProjectCycles(inputs);
  if (model.projects.length > 1 && Object.values(model.dependencies).every((targets) => targets.length === 0))
    warnings.push(
      'Nx reports no dependency between projects, so project precision (Nx) redeploys nothing and no cycle shows: ' +
        'let Nx read TypeScript imports (install @nx/js, or set "pluginsConfig": { "@nx/js": { "analyzeSourceFiles": true } } in nx.json, or register the nx-lockstep plugin)',
    );
  const sections = { deployableImports, blastRadius, contracts, cycles };
  // The graph `lockstep graph` draws, from the same inputs: the Markdown reporter renders its
  // deployables-only Mermaid view for the pull-request comment. The decisions' reasons are in
  // `decisions`, so the nodes carry only their one-line summary.
  const graph = buildGraphData(model, {
    coupling: { inputs, libraries: blastRadius.libraries },
    affected:
      request.base !== undefined && request.decisions
        ? { base: request.base, result: request.decisions, explanations: {} }
        : undefined,
  });
  return {
    version: COUPLING_REPORT_VERSION,
    head: model.head.commit,
    ...(base !== undefined ? { base } : {}),
    ...(request.decisions ? { decisions: request.decisions } : {}),
    ...sections,
    findings: findingsOf(sections, request.blastRadiusThreshold),
    graph,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/** The contract libraries alone: what the adapter hands the TypeScript classifier before the report is built. */
export function contractLibrariesOf(model: WorkspaceModel): ContractLibrary[] {
  return findContractLibraries(new CouplingInputs(model));
}
