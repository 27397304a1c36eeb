/**
 * Where `lockstep graph` writes its HTML when no `--out` is given, relative to the workspace root:
 * under dist/, which Nx workspaces keep out of git, so the next analysis finds no untracked file.
 * The CLI and the inferred `lockstep-graph` target (which declares it as its output) share it.
 */
export const DEFAULT_GRAPH_HTML_OUT = 'dist/lockstep-graph.html';
