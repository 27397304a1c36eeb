import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/** Nx's workspace data folder (`NX_WORKSPACE_DATA_DIRECTORY`, else `<root>/.nx/workspace-data`): where the analysis keeps its caches. */
export function workspaceDataDirectory(workspaceRoot: string): string {
  const configured = process.env.NX_WORKSPACE_DATA_DIRECTORY ?? process.env.NX_PROJECT_GRAPH_CACHE_DIRECTORY;
  if (configured) return isAbsolute(configured) ? configured : join(workspaceRoot, configured);
  return join(workspaceRoot, '.nx', 'workspace-data');
}

/** The nearest folder at or above `from` that holds nx.json; undefined when none does. */
export function nearestWorkspaceRoot(from: string): string | undefined {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}
