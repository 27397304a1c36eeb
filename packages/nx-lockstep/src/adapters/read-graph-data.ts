/**
 * The data of `lockstep graph`: reads the workspace model at head (as `lockstep affected` does)
 * and builds the graph in the pure core. With a base, the same decision as `lockstep affected`
 * marks the affected deployables, each with the text `lockstep explain` prints for it.
 */
import { decideAffected } from '../core/affected/decide-affected';
import { buildGraphData } from '../core/graph-view/build-graph-data';
import type { GraphData, LockstepGroup } from '../core/graph-view/graph-data';
import { RESULT_VERSION, type AffectedResult, type Precision } from '../core/result';
import type { WorkspaceProjectGraph } from './nx-project-graph';
import { readWorkspaceModel } from './read-workspace-model';

export interface GraphRequest {
  workspaceRoot: string;
  head?: string;
  /** Mark the deployables a change from this commit reaches. */
  base?: string;
  precision?: Precision;
  env?: string;
  lockstepGroups?: LockstepGroup[];
  /** Nx's project graph when the caller already read it (the `--history` replay): Nx is not started again. */
  projectGraph?: WorkspaceProjectGraph;
}

export async function readGraphData(
  request: GraphRequest,
  explain: (result: AffectedResult, project: string) => string,
): Promise<GraphData> {
  // Without a base the graph decides nothing: the head itself stands in (an empty range).
  const reading = await readWorkspaceModel({
    workspaceRoot: request.workspaceRoot,
    head: request.head,
    base: request.base ?? request.head ?? 'HEAD',
    precision: request.precision,
    env: request.env,
    forCoupling: true,
    projectGraph: request.projectGraph,
  });
  if (reading.kind !== 'model') throw new Error('lockstep graph: the workspace model was not read');
  const { model } = reading;
  // Without a base nothing is decided; `done` still saves the parse cache for the next run.
  const result: AffectedResult =
    request.base === undefined
      ? { version: RESULT_VERSION, head: model.head.commit, precision: reading.request.precision, deployables: [] }
      : decideAffected(model, reading.request);
  reading.done(result);
  const affected =
    request.base === undefined
      ? undefined
      : {
          base: request.base,
          result,
          explanations: Object.fromEntries(
            result.deployables.map((decision) => [decision.project, explain(result, decision.project)]),
          ),
        };
  return buildGraphData(model, { affected, lockstepGroups: request.lockstepGroups });
}
