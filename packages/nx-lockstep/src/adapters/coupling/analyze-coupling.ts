/**
 * `lockstep report` at the edge: reads the workspace model (with Nx's whole project graph, for
 * project precision's blast radius and cycles), decides the deployables for the range, asks the
 * TypeScript contracts classifier (injected) about the contract libraries' exports, and builds
 * the report in the pure core.
 */
import { decideAffected } from '../../core/affected/decide-affected';
import { buildCouplingReport, contractLibrariesOf } from '../../core/coupling/build-coupling-report';
import type { ContractChange } from '../../core/coupling/contract-change';
import type { ContractLibrary, CouplingReport } from '../../core/coupling/coupling-report';
import type { Precision } from '../../core/result';
import { readWorkspaceModel } from '../read-workspace-model';

export interface CouplingAnalysisRequest {
  workspaceRoot: string;
  /** The range's base (`--base`): without it, the report reads head alone (no decisions, no contract changes). */
  base?: string;
  head?: string;
  precision?: Precision;
  env?: string;
  /** `--fail-on blast-radius>N`. */
  blastRadiusThreshold?: number;
}

/** What the contracts classifier is asked: the exports of these libraries, between two commits. */
export interface ContractQuestion {
  workspaceRoot: string;
  /** Resolved commits. */
  base: string;
  head: string;
  libraries: readonly ContractLibrary[];
}

/** The TypeScript contracts classifier (adapters/contracts findContractChanges), injected by the caller. */
export type FindContractChanges = (question: ContractQuestion) => ContractChange[] | Promise<ContractChange[]>;

export async function analyzeCoupling(
  request: CouplingAnalysisRequest,
  findContractChanges?: FindContractChanges,
): Promise<CouplingReport> {
  const head = request.head ?? 'HEAD';
  // Without a range, head compared with itself: every decision is "nothing changed" and unused.
  const reading = await readWorkspaceModel({
    workspaceRoot: request.workspaceRoot,
    head,
    base: request.base ?? head,
    precision: request.precision,
    env: request.env,
    forCoupling: true,
  });
  if (reading.kind !== 'model')
    throw new Error('the coupling report needs the workspace model, not a remembered result');
  const { model } = reading;
  const decisions = decideAffected(model, reading.request);
  reading.done(decisions);
  let contractChanges: ContractChange[] | undefined;
  if (request.base !== undefined && findContractChanges) {
    // A base this clone lacks: the report says so in its warnings (buildCouplingReport).
    const lookup = model.compare(request.base);
    if (lookup.kind === 'available')
      contractChanges = await findContractChanges({
        workspaceRoot: request.workspaceRoot,
        base: lookup.comparison.base,
        head: model.head.commit,
        libraries: contractLibrariesOf(model),
      });
  }
  const report = buildCouplingReport(model, {
    base: request.base,
    decisions: request.base !== undefined ? decisions : undefined,
    contractChanges,
    blastRadiusThreshold: request.blastRadiusThreshold,
  });
  // Without a range the decisions are left out, but what reading the workspace noted still shows.
  const notes = request.base === undefined ? (decisions.warnings ?? []) : [];
  return notes.length > 0 ? { ...report, warnings: [...notes, ...(report.warnings ?? [])] } : report;
}
