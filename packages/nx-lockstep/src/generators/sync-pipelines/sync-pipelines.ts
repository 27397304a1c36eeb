import { createProjectGraphAsync, readCachedProjectGraph, type ProjectGraph, type Tree } from '@nx/devkit';
import { readPipelineConfig } from '../pipelines/pipeline-settings';
import { writePipelines } from '../pipelines/write-pipelines';

/** What Nx expects back from a sync generator (nx's own type lives in an internal module). */
export interface SyncPipelinesResult {
  outOfSyncMessage?: string;
  outOfSyncDetails?: string[];
}

/**
 * Registered in nx.json `sync.globalGenerators`: `nx sync` rewrites the pipelines when the graph
 * or the options change; `nx sync:check` fails while they are stale.
 */
export async function syncPipelinesGenerator(
  tree: Tree,
  loadGraph: () => Promise<ProjectGraph> = currentGraph,
): Promise<SyncPipelinesResult> {
  const changes = writePipelines(tree, await loadGraph(), readPipelineConfig(tree));
  if (changes.length === 0) return {};
  return {
    outOfSyncMessage: 'The nx-lockstep deploy pipelines do not match the project graph. Run `nx sync` to update them.',
    outOfSyncDetails: changes,
  };
}

export default syncPipelinesGenerator;

/** `nx sync` has just computed the graph, so the cached one is current (as @nx/js:typescript-sync does). */
async function currentGraph(): Promise<ProjectGraph> {
  try {
    return readCachedProjectGraph();
  } catch {
    return createProjectGraphAsync({ exitOnError: false });
  }
}
