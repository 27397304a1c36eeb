/**
 * What a deployable's own pipeline verifies before it deploys: the projects of its dependency
 * closure that changed since its marker, and the verify targets each of them has. Decided at
 * project precision, Nx's own "affected", on purpose: a library's tests must run when the library
 * changed, even when symbol precision says the deployable ships none of the change (a test of an
 * unused export still guards the next deployable that uses it). Pure: the adapter gathers Nx's
 * affected projects and the graph.
 */
import type { DeployableDecision, Reason } from '../result';

export const VERIFY_SCOPE_VERSION = 1 as const;

/** The targets verified by default: whichever of these a project has. */
export const DEFAULT_VERIFY_TARGETS: readonly string[] = ['lint', 'test', 'typecheck', 'build'];

export interface VerifyScopeInput {
  /** The deployable's project-precision decision (marker settled, or Nx's affected with reasons). */
  decision: DeployableDecision;
  /** project → the workspace projects it depends on. */
  dependencies: Readonly<Record<string, readonly string[]>>;
  /**
   * The projects that changed in the range (Nx's affected projects), or 'closure' when the whole
   * closure must be verified (never deployed, base unavailable: safety first).
   */
  changed: ReadonlySet<string> | 'closure';
  /** project → the names of its targets. */
  targetsOf: (project: string) => readonly string[];
  /** The verify targets asked for, in the order they should run. */
  targets: readonly string[];
}

export interface VerifyProject {
  project: string;
  /** The verify targets this project has (it has at least one). */
  targets: string[];
}

export interface VerifyScope {
  version: typeof VERIFY_SCOPE_VERSION;
  project: string;
  env?: string;
  head: string;
  /** The commit the closure is compared from (the marker), null when never deployed. */
  base: string | null;
  precision: 'project';
  /** The targets asked for. */
  targets: string[];
  /** The targets at least one project below has: what `nx run-many -t` is given. */
  runTargets: string[];
  /** Changed projects of the closure with the verify targets they have, the deployable first. */
  projects: VerifyProject[];
  /** Changed projects of the closure that have none of the targets (nothing to run for them). */
  withoutTargets: string[];
  /** Why the closure is verified at all (the project-precision reasons). */
  reasons: Reason[];
}

export function decideVerifyScope(input: VerifyScopeInput, context: { head: string; env?: string }): VerifyScope {
  const { decision } = input;
  const closure = dependencyClosure(decision.project, input.dependencies);
  const changed = input.changed;
  const selected = !decision.affected ? [] : closure.filter((name) => changed === 'closure' || changed.has(name));
  const projects: VerifyProject[] = [];
  const withoutTargets: string[] = [];
  for (const project of selected) {
    const has = new Set(input.targetsOf(project));
    const targets = input.targets.filter((target) => has.has(target));
    if (targets.length > 0) projects.push({ project, targets });
    else withoutTargets.push(project);
  }
  const used = new Set(projects.flatMap((entry) => entry.targets));
  return {
    version: VERIFY_SCOPE_VERSION,
    project: decision.project,
    ...(context.env ? { env: context.env } : {}),
    head: context.head,
    base: decision.base,
    precision: 'project',
    targets: [...input.targets],
    runTargets: input.targets.filter((target) => used.has(target)),
    projects,
    withoutTargets,
    reasons: decision.reasons,
  };
}

/** The `nx run-many` arguments that verify a scope with Nx's cache (empty when there is nothing to run). */
export function runManyArgs(scope: VerifyScope): string[] {
  if (scope.projects.length === 0) return [];
  return ['run-many', '-t', scope.runTargets.join(','), '-p', scope.projects.map((entry) => entry.project).join(',')];
}

/** The project and every project it depends on, transitively: itself first, then breadth-first. */
export function dependencyClosure(
  project: string,
  dependencies: Readonly<Record<string, readonly string[]>>,
): string[] {
  const seen = new Set([project]);
  const order = [project];
  for (let index = 0; index < order.length; index++) {
    for (const dependency of [...(dependencies[order[index]] ?? [])].sort()) {
      if (seen.has(dependency)) continue;
      seen.add(dependency);
      order.push(dependency);
    }
  }
  return order;
}
