/**
 * Bases for an analysis without `--base`: each deployable's own deploy marker for the
 * environment, null (never deployed) when it has none. What `lockstep affected` and
 * `lockstep explain` use by default.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLockstepOptions } from '../../config/options';
import { NotADeployableError, selectDeployables } from '../../core/affected/select-deployables';
import { AnalyzeUsageError } from '../analyze-request';
import { GitTree } from '../git-tree';
import { readCurrentProjects } from '../nx-project-graph';
import { markerBases, readMarkers } from './read-markers';

export interface MarkerBasesRequest {
  env: string;
  /** Only these deployables (default: every project with the deploy target). */
  projects?: string[];
  onWarning?: (message: string) => void;
}

export async function readMarkerBases(
  workspaceRoot: string,
  request: MarkerBasesRequest,
): Promise<Record<string, string | null>> {
  const settings = readLockstepOptions(readNxJson(workspaceRoot));
  // The projects alone (targets after inference) name the deployables: no dependency analysis needed.
  let deployables: string[];
  try {
    deployables = selectDeployables(
      Object.values((await readCurrentProjects(GitTree.open(workspaceRoot, ['HEAD']))).projects),
      settings.deployTargetName,
      request.projects,
    ).map((project) => project.name);
  } catch (error) {
    // A name that is not a deployable is the caller's mistake, as in the analysis.
    if (error instanceof NotADeployableError) throw new AnalyzeUsageError(error.message);
    throw error;
  }
  const markers = await readMarkers(workspaceRoot, {
    env: request.env,
    prefix: settings.markerPrefix,
    remote: settings.remote,
    projects: deployables,
    onWarning: request.onWarning,
  });
  return markerBases(markers);
}

export function readNxJson(workspaceRoot: string): unknown {
  try {
    return JSON.parse(readFileSync(join(workspaceRoot, 'nx.json'), 'utf8'));
  } catch {
    return {};
  }
}
