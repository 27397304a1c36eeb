/**
 * PROVISIONAL: the blast radius of every library, until `lockstep report` (issue 12) computes it;
 * the integrator replaces this one function with the report's computation. It reuses the
 * engine's project scopes, import graph and reachability (no second import analysis):
 * - project precision: the deployables whose dependency closure holds the library (Nx's
 *   dependencies when the model has them, else what Nx finds from imports and package.json —
 *   the engine's project scope);
 * - symbol precision ("runtime use only"): the deployables whose runtime (non-type-only) import
 *   closure from their own files reaches a file of the library. It does not yet narrow to the
 *   declarations a deployable uses, nor widen for spots the analysis cannot follow.
 */
import type { DeployableRules } from '../affected/deployable-rules';
import { reachFromEntryPoints } from '../graph/reachability';
import type { WorkspaceModel } from '../model/workspace-model';
import type { BlastRadius } from './graph-data';

export function provisionalBlastRadius(model: WorkspaceModel, rules: DeployableRules): Map<string, BlastRadius> {
  const deployables = new Set(model.deployables.map(({ project }) => project.name));
  const symbol = new Map<string, Set<string>>();
  const project = new Map<string, Set<string>>();
  for (const library of model.projects)
    if (!deployables.has(library.name)) {
      symbol.set(library.name, new Set());
      project.set(library.name, new Set());
    }
  const { head } = model;
  for (const { project: deployable } of model.deployables) {
    const entryPoints = rules.entryPoints(deployable, head.files, model.entryPoints[deployable.name]);
    const reach = reachFromEntryPoints(entryPoints, head.graph, head.files);
    for (const file of reach.parents.keys()) symbol.get(rules.scope.ownerOf(file) ?? '')?.add(deployable.name);
    for (const dependency of rules.scope.closureOf(deployable.name)) project.get(dependency)?.add(deployable.name);
  }
  const radius = new Map<string, BlastRadius>();
  for (const [library, users] of project)
    radius.set(library, { symbol: [...symbol.get(library)!].sort(), project: [...users].sort() });
  return radius;
}
