/**
 * The deployables-only view: every deployable, and the libraries of each group collapsed into
 * one box ("libs/orders/ · 12 libraries"). An edge joins two boxes when some project edge does,
 * with the strongest kind among them (graph-style.ts) and how many project edges it stands for.
 */
import type { GraphData, GraphEdgeKind, GraphNode } from '../../core/graph-view/graph-data';
import { strongerKind } from './graph-style';

export interface ViewNode {
  id: string;
  label: string;
  kind: 'deployable' | 'library-group';
  /** library-group: the libraries it holds. */
  members?: string[];
  /** deployable: the node itself. */
  node?: GraphNode;
}

export interface ViewEdge {
  source: string;
  target: string;
  kind: GraphEdgeKind;
  count: number;
}

export interface DeployablesView {
  nodes: ViewNode[];
  edges: ViewEdge[];
}

/** The id of the box that stands for a group's libraries. */
export const libraryGroupId = (group: string) => `libraries:${group}`;

export function deployablesView(data: GraphData): DeployablesView {
  const boxOf = new Map<string, string>();
  const nodes: ViewNode[] = [];
  const groupBoxes = new Map<string, ViewNode>();
  const labels = new Map(data.groups.map((group) => [group.id, group.label] as const));
  for (const node of data.nodes) {
    if (node.kind === 'deployable') {
      nodes.push({ id: node.id, label: node.id, kind: 'deployable', node });
      boxOf.set(node.id, node.id);
      continue;
    }
    const id = libraryGroupId(node.group);
    let box = groupBoxes.get(id);
    if (!box) {
      groupBoxes.set(
        id,
        (box = { id, label: labels.get(node.group) ?? node.group, kind: 'library-group', members: [] }),
      );
      nodes.push(box);
    }
    box.members!.push(node.id);
    boxOf.set(node.id, id);
  }
  for (const box of groupBoxes.values())
    box.label = `${box.label} · ${box.members!.length} librar${box.members!.length === 1 ? 'y' : 'ies'}`;
  const edges = new Map<string, ViewEdge>();
  for (const edge of data.edges) {
    const source = boxOf.get(edge.source);
    const target = boxOf.get(edge.target);
    if (!source || !target || source === target) continue;
    const key = `${source}\0${target}`;
    const known = edges.get(key);
    if (known) {
      known.kind = strongerKind(known.kind, edge.kind);
      known.count++;
    } else edges.set(key, { source, target, kind: edge.kind, count: 1 });
  }
  return { nodes, edges: [...edges.values()] };
}
