/**
 * Positions for the HTML graph, computed when the file is written (the browser only draws).
 * Two levels, so no single layout run sees the whole workspace: the projects of each group are
 * laid out inside it (dagre, layered; a big group in layers wrapped into rows), then the
 * groups are laid out as boxes (dagre). The deployables-only view is laid out on its own.
 * dagre over elkjs: measured faster here and synchronous (docs/graph.md, "Layout").
 */
import dagre from '@dagrejs/dagre';
import type { GraphData } from '../../core/graph-view/graph-data';
import type { DeployablesView } from './deployables-view';

/** x, y (top-left), width, height: rounded, to keep the file small. */
export type Box = [number, number, number, number];

export interface GraphLayout {
  width: number;
  height: number;
  /** Per node id (data.nodes order): its box in the full view. */
  nodes: Box[];
  /** Per group (data.groups order): its box in the full view. */
  groups: Box[];
  /** The deployables-only view: a box per view node (view order), and the view's size. */
  view: { width: number; height: number; nodes: Box[] };
}

const NODE_HEIGHT = 26;
const GROUP_HEADER = 30;
const GROUP_PADDING = 14;
/**
 * Above this many projects a group is laid out in wrapped layers: dagre's cost grows fast, and it
 * puts projects that do not use each other (fifty services in apps/) in one very wide row.
 */
const DAGRE_GROUP_LIMIT = 30;

export const labelWidth = (label: string) => Math.max(60, Math.round(label.length * 7.2) + 20);

export function layoutGraph(data: GraphData, view: DeployablesView): GraphLayout {
  const index = new Map(data.nodes.map((node, position) => [node.id, position] as const));
  const local: Box[] = data.nodes.map((node) => [0, 0, labelWidth(node.id), NODE_HEIGHT]);
  const groupOf = new Map(data.nodes.map((node) => [node.id, node.group] as const));
  const sizes = data.groups.map((group) => {
    const members = group.members.filter((member) => index.has(member));
    const inner = data.edges.filter(
      (edge) => groupOf.get(edge.source) === group.id && groupOf.get(edge.target) === group.id,
    );
    const place = members.length > DAGRE_GROUP_LIMIT ? wrappedLayers : layered;
    const size = place(
      members.map((member) => ({ id: member, box: local[index.get(member)!] })),
      inner,
    );
    const labelled = Math.max(size.width, labelWidth(group.label));
    return { width: labelled + 2 * GROUP_PADDING, height: size.height + GROUP_HEADER + GROUP_PADDING };
  });
  // The groups as boxes, joined where some project edge crosses from one to another.
  const groupIndex = new Map(data.groups.map((group, position) => [group.id, position] as const));
  const outer = new dagre.graphlib.Graph();
  outer.setGraph({ rankdir: 'TB', nodesep: 40, ranksep: 60, marginx: 20, marginy: 20 });
  outer.setDefaultEdgeLabel(() => ({}));
  data.groups.forEach((group, position) => outer.setNode(group.id, { ...sizes[position] }));
  for (const edge of data.edges) {
    const from = groupOf.get(edge.source);
    const to = groupOf.get(edge.target);
    if (from && to && from !== to) outer.setEdge(from, to);
  }
  dagre.layout(outer);
  const groups: Box[] = data.groups.map((group, position) => {
    const placed = outer.node(group.id);
    const { width, height } = sizes[position];
    return [Math.round(placed.x - width / 2), Math.round(placed.y - height / 2), width, height];
  });
  const nodes: Box[] = data.nodes.map((node, position) => {
    const group = groups[groupIndex.get(node.group)!];
    const [x, y, width, height] = local[position];
    return [group[0] + GROUP_PADDING + x, group[1] + GROUP_HEADER + y, width, height];
  });
  const graph = outer.graph();
  return {
    width: Math.ceil(graph.width ?? 0),
    height: Math.ceil(graph.height ?? 0),
    nodes,
    groups,
    view: layoutView(view),
  };
}

interface Placeable {
  id: string;
  /** Filled in: x, y relative to the group's content. */
  box: Box;
}

/** dagre, layered top to bottom (users above what they use); boxes moved to start at 0,0. */
function layered(
  items: Placeable[],
  edges: readonly { source: string; target: string }[],
): { width: number; height: number } {
  if (items.length === 0) return { width: 0, height: 0 };
  const graph = new dagre.graphlib.Graph();
  // tight-tree: about half the time of dagre's default ranker (network simplex) on a 25-project group.
  graph.setGraph({ rankdir: 'TB', nodesep: 16, ranksep: 36, marginx: 0, marginy: 0, ranker: 'tight-tree' });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const item of items) graph.setNode(item.id, { width: item.box[2], height: item.box[3] });
  for (const edge of edges) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);
  let right = 0;
  let bottom = 0;
  for (const item of items) {
    const placed = graph.node(item.id);
    item.box[0] = Math.round(placed.x - item.box[2] / 2);
    item.box[1] = Math.round(placed.y - item.box[3] / 2);
    right = Math.max(right, item.box[0] + item.box[2]);
    bottom = Math.max(bottom, item.box[1] + item.box[3]);
  }
  return { width: right, height: bottom };
}

/**
 * A big group: each project's layer is its longest chain of in-group dependencies (users above
 * what they use), and each layer wraps into rows, so the group stays near square. Linear time.
 */
function wrappedLayers(
  items: Placeable[],
  edges: readonly { source: string; target: string }[],
): { width: number; height: number } {
  const uses = new Map<string, string[]>();
  for (const edge of edges) uses.set(edge.source, [...(uses.get(edge.source) ?? []), edge.target]);
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0; // a cycle: cut it here
    visiting.add(id);
    let value = 0;
    for (const used of uses.get(id) ?? []) value = Math.max(value, depthOf(used) + 1);
    visiting.delete(id);
    depth.set(id, value);
    return value;
  };
  const layers = new Map<number, Placeable[]>();
  for (const item of items) {
    const layer = depthOf(item.id);
    layers.set(layer, [...(layers.get(layer) ?? []), item]);
  }
  // One row length for the whole group, so that it comes out about 1.6 times as wide as tall
  // (a screen's shape) however its projects spread over layers.
  const line = NODE_HEIGHT + 16;
  const averageColumn = items.reduce((sum, item) => sum + item.box[2], 0) / Math.max(1, items.length) + 12;
  const perRow = Math.max(4, Math.round(Math.sqrt((1.6 * items.length * line) / averageColumn)));
  let y = 0;
  let width = 0;
  // Deepest layer (users) first: users above what they use, as in the layered groups.
  for (const layer of [...layers.keys()].sort((a, b) => b - a)) {
    const row = layers.get(layer)!.sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true }));
    const column = Math.max(...row.map((item) => item.box[2])) + 12;
    row.forEach((item, position) => {
      item.box[0] = (position % perRow) * column;
      item.box[1] = y + Math.floor(position / perRow) * line;
      width = Math.max(width, item.box[0] + item.box[2]);
    });
    y += Math.ceil(row.length / perRow) * line + 24;
  }
  return { width, height: Math.max(0, y - 24) };
}

/**
 * Above this many boxes the deployables-only view is laid out in wrapped layers too: deployables
 * seldom use each other, so dagre would draw them as one row too wide to read.
 */
const DAGRE_VIEW_LIMIT = DAGRE_GROUP_LIMIT;

function layoutView(view: DeployablesView): GraphLayout['view'] {
  if (view.nodes.length > DAGRE_VIEW_LIMIT) {
    const items: Placeable[] = view.nodes.map((node) => ({
      id: node.id,
      box: [0, 0, labelWidth(node.label), NODE_HEIGHT + 4],
    }));
    const size = wrappedLayers(items, view.edges);
    return {
      width: size.width,
      height: size.height,
      nodes: items.map((item) => item.box),
    };
  }
  const graph = new dagre.graphlib.Graph();
  graph.setGraph({ rankdir: 'TB', nodesep: 24, ranksep: 70, marginx: 20, marginy: 20 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of view.nodes) graph.setNode(node.id, { width: labelWidth(node.label), height: NODE_HEIGHT + 4 });
  for (const edge of view.edges) graph.setEdge(edge.source, edge.target);
  dagre.layout(graph);
  const nodes: Box[] = view.nodes.map((node) => {
    const placed = graph.node(node.id);
    return [
      Math.round(placed.x - placed.width / 2),
      Math.round(placed.y - placed.height / 2),
      placed.width,
      placed.height,
    ];
  });
  const size = graph.graph();
  return { width: Math.ceil(size.width ?? 0), height: Math.ceil(size.height ?? 0), nodes };
}
