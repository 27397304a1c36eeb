/**
 * Decides whether one project is deployable and which targets to infer for it. Pure: the caller
 * (createNodesV2 on disk, the init generator on a Tree) gathers the facts.
 */
import type { TargetConfiguration } from '@nx/devkit';
import { isGlobMatch } from '../config/glob-match';
import { inferAffectedDeployTarget } from './affected-deploy-target';
import { inferDeployTarget } from './deploy-target';
import { findMarkers, type MarkerFile } from './deploy-marker-files';
import type { LockstepOptions } from '../config/options';

export const DEPLOYABLE_TAG = 'deployable';

export interface ProjectFacts {
  /** The project name as Nx will know it. */
  name: string;
  /** Workspace-relative root, '/'-separated ('.' for the workspace root). */
  root: string;
  tags: readonly string[];
  /** Targets defined in the project's own config (project.json / package.json "nx"). */
  ownTargets: readonly string[];
  /** Candidate marker files, relative to the root (the files directly in it, plus nested glob hits). */
  files: readonly string[];
  /** Container files outside every project root that name this project (see outside-marker-files.ts). */
  outsideMarkers?: readonly MarkerFile[];
}

/** Why a project counts as deployable; the first that applies, in this order. */
export type DeployableVia = 'marker' | 'tag' | 'deploy-target';

export interface DeployableInference {
  project: string;
  root: string;
  via: DeployableVia;
  /** The marker the deploy target is inferred from (best first), empty when none. */
  markers: MarkerFile[];
  /** The inferred targets, keyed by their (possibly renamed) target names. */
  targets: Record<string, TargetConfiguration>;
}

/** Returns undefined for a project that is not deployable or is filtered out by include/exclude. */
export function inferDeployable(facts: ProjectFacts, options: LockstepOptions): DeployableInference | undefined {
  if (!isSelected(facts.name, options)) return undefined;

  // A marker in the project's own root wins over one outside it that names the project.
  const markers = [...findMarkers(facts.files, options), ...(facts.outsideMarkers ?? [])];
  const hasOwnDeploy = facts.ownTargets.includes(options.deployTargetName);
  const via: DeployableVia | undefined =
    markers.length > 0
      ? 'marker'
      : facts.tags.includes(DEPLOYABLE_TAG)
        ? 'tag'
        : hasOwnDeploy
          ? 'deploy-target'
          : undefined;
  if (!via) return undefined;

  const targets: Record<string, TargetConfiguration> = {};
  // A user's own deploy target is never replaced (not even merged into: we emit nothing).
  if (!hasOwnDeploy) {
    targets[options.deployTargetName] = inferDeployTarget(
      { projectName: facts.name, root: facts.root, marker: markers[0] },
      options,
    );
  }
  if (!facts.ownTargets.includes(options.affectedDeployTargetName)) {
    targets[options.affectedDeployTargetName] = inferAffectedDeployTarget(facts.name, options);
  }
  return { project: facts.name, root: facts.root, via, markers, targets };
}

function isSelected(name: string, options: Pick<LockstepOptions, 'include' | 'exclude'>): boolean {
  if (options.include.length > 0 && !isGlobMatch(name, options.include)) return false;
  return !(options.exclude.length > 0 && isGlobMatch(name, options.exclude));
}

/** One line a person can read: "api (apps/api): Dockerfile → docker build and docker push api". */
export function describeDeployable(
  inference: DeployableInference,
  options: Pick<LockstepOptions, 'deployTargetName'>,
): string {
  const by =
    inference.via === 'marker'
      ? inference.markers.map((m) => m.file).join(', ')
      : inference.via === 'tag'
        ? `tag "${DEPLOYABLE_TAG}"`
        : `its own "${options.deployTargetName}" target`;
  const deploy = inference.targets[options.deployTargetName];
  const what = deploy
    ? String(deploy.metadata?.description ?? '')
    : `its own "${options.deployTargetName}" target is kept`;
  return `${inference.project} (${inference.root}) by ${by}: ${what}`;
}
