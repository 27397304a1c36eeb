import type { GraphData, GraphEdge, GraphNode } from '../../../core/graph-view/graph-data';

/**
 * Graph data of a given size, shaped like the benchmark workspace: libraries in domain folders
 * of `domainSize`, each using a hub and libraries of lower index in its domain, and deployables
 * using a few libraries of one domain. Deterministic (no randomness): the same size, the same data.
 */
export function syntheticGraph(libraries: number, deployables: number, domainSize = 25): GraphData {
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const hubs = Math.min(8, libraries);
  const domainOf = (i: number) => (i < hubs ? 'hubs' : `d${Math.floor((i - hubs) / domainSize)}`);
  const lib = (i: number) => `lib${i}`;
  const users = new Map<string, Set<string>>();
  for (let i = 0; i < libraries; i++) {
    nodes.push({ id: lib(i), kind: 'library', root: `libs/${domainOf(i)}/${lib(i)}`, group: `libs/${domainOf(i)}` });
    if (i > 0) edges.push({ source: lib(i), target: lib(i % hubs === i ? i - 1 : i % hubs), kind: 'runtime-import' });
    if (i > hubs + 1 && domainOf(i - 1) === domainOf(i))
      edges.push({ source: lib(i), target: lib(i - 1), kind: i % 3 === 0 ? 'type-only' : 'runtime-import' });
  }
  for (let k = 0; k < deployables; k++) {
    const id = `app${k}`;
    nodes.push({ id, kind: 'deployable', root: `apps/${id}`, group: 'apps', affected: k % 7 === 0 });
    for (const offset of [0, 3, 11]) {
      const target = lib((hubs + k * 5 + offset) % libraries);
      edges.push({ source: id, target, kind: offset === 11 ? 'contract' : 'runtime-import' });
      users.set(target, (users.get(target) ?? new Set()).add(id));
    }
  }
  for (const node of nodes)
    if (node.kind === 'library') {
      const direct = [...(users.get(node.id) ?? [])].sort();
      node.blastRadius = { symbol: direct, project: direct };
    }
  const groups = new Map<string, string[]>();
  for (const node of nodes) groups.set(node.group, [...(groups.get(node.group) ?? []), node.id]);
  return {
    version: 1,
    head: 'h'.repeat(40),
    nodes,
    edges,
    groups: [...groups].map(([id, members]) => ({ id, label: `${id}/`, kind: 'folder', members })),
    notes: [],
  };
}
