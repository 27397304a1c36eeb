/**
 * What `lockstep graph` draws, as plain data: every renderer (HTML, Mermaid, DOT) reads this and
 * nothing else. Filled from the WorkspaceModel by build-graph-data.ts; the affected decisions and
 * lock-step groups are optional inputs (a graph without `--base` shows no affected set).
 */

export const GRAPH_DATA_VERSION = 1 as const;

export type GraphNodeKind = 'deployable' | 'library';

/**
 * Kinds of edges between projects:
 * - `runtime-import`: the source ships code of the target (an import that survives compilation,
 *   or an Nx dependency no source import explains, such as a package.json one);
 * - `type-only`: every import from source to target is erased at runtime;
 * - `deployable-import`: a deployable depends on another deployable's code (direct lock-step);
 * - `contract`: a deployable uses a contract library (one that two or more deployables use
 *   directly, or tagged `type:contract`): its API crosses a deploy boundary.
 */
export type GraphEdgeKind = 'runtime-import' | 'type-only' | 'deployable-import' | 'contract';
export const GRAPH_EDGE_KINDS: readonly GraphEdgeKind[] = [
  'runtime-import',
  'type-only',
  'deployable-import',
  'contract',
];

/** The deployables that redeploy when a library changes, at two precisions (sorted names). */
export interface BlastRadius {
  /** Deployables whose runtime imports reach a file of the library (what really ships). */
  symbol: string[];
  /** Deployables that depend on the library in Nx's project graph, transitively (Nx's answer). */
  project: string[];
}

export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  /** Workspace-relative root. */
  root: string;
  /** The id of the group (folder or domain) the node is drawn in. */
  group: string;
  /** Libraries only. */
  blastRadius?: BlastRadius;
  /** Deployables only, with `--base`: whether the change reaches it. */
  affected?: boolean;
  /** Deployables only, with `--base`: its first reason in one line. */
  reason?: string;
  /** Deployables only, with `--base`: the full explanation, the text `lockstep explain` prints. */
  explanation?: string;
}

export interface GraphEdge {
  source: string;
  target: string;
  kind: GraphEdgeKind;
}

/** Projects drawn together: a domain (a `domain:`/`scope:` tag) or else the folder that holds their roots. */
export interface GraphGroup {
  id: string;
  label: string;
  kind: 'domain' | 'folder';
  members: string[];
}

/** Deployables that keep deploying together (from `lockstep history`), outlined in the HTML. */
export interface LockstepGroup {
  label: string;
  members: string[];
}

export interface GraphAffected {
  base: string;
  head: string;
  precision: string;
}

export interface GraphData {
  version: typeof GRAPH_DATA_VERSION;
  head: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
  groups: GraphGroup[];
  /** Present when the graph was asked with `--base`. */
  affected?: GraphAffected;
  lockstepGroups?: LockstepGroup[];
  /** Notes for a person (how the blast radius was computed, warnings of the analysis). */
  notes: string[];
}
