/**
 * `lockstep graph --format dot`: the full graph for Graphviz, with the HTML's clusters (one per
 * folder or domain group) and colours (libraries by blast radius, edges by kind, affected
 * deployables in red). Lock-step groups, when known, are drawn with a double border and named
 * in the tooltip.
 */
import type { GraphData } from '../../core/graph-view/graph-data';
import { EDGE_STYLE, nodeColours } from './graph-style';

export function graphDot(data: GraphData): string {
  const byId = new Map(data.nodes.map((node) => [node.id, node] as const));
  const lockstep = new Map<string, string>();
  for (const group of data.lockstepGroups ?? []) for (const member of group.members) lockstep.set(member, group.label);
  const deployables = data.nodes.filter((node) => node.kind === 'deployable').length;
  const label = `lockstep graph: ${deployables} deployables, ${data.nodes.length - deployables} libraries${
    data.affected ? `, ${data.nodes.filter((node) => node.affected).length} affected` : ''
  }`;
  const lines = [
    'digraph lockstep {',
    `  graph [rankdir=TB, compound=true, fontname="Helvetica", label=${quote(label)}, labelloc=t];`,
    '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
    '  edge [arrowsize=0.6];',
  ];
  data.groups.forEach((group, index) => {
    lines.push(`  subgraph cluster_${index} {`);
    lines.push(`    label=${quote(group.label)}; style="rounded"; color="#d1d5db"; fontname="Helvetica";`);
    for (const member of group.members) {
      const node = byId.get(member);
      if (!node) continue;
      const { fill, border } = nodeColours(node);
      const attrs = [`fillcolor=${quote(fill)}`, `color=${quote(border)}`];
      if (node.kind === 'deployable') attrs.push(`penwidth=${node.affected ? 3 : 2}`);
      else
        attrs.push(
          `tooltip=${quote(`redeploys ${node.blastRadius?.symbol.length ?? 0} deployables at symbol precision, ${node.blastRadius?.project.length ?? 0} at project precision`)}`,
        );
      if (node.affected && node.reason) attrs.push(`tooltip=${quote(`affected: ${node.reason}`)}`);
      const group = lockstep.get(node.id);
      if (group) attrs.push('peripheries=2', `xlabel=${quote(`lock-step: ${group}`)}`);
      lines.push(`    ${quote(node.id)} [${attrs.join(', ')}];`);
    }
    lines.push('  }');
  });
  for (const edge of data.edges) {
    const style = EDGE_STYLE[edge.kind];
    const attrs = [`color=${quote(style.colour)}`, `tooltip=${quote(edge.kind)}`];
    if (style.dashed) attrs.push('style=dashed');
    if (edge.kind === 'deployable-import') attrs.push('penwidth=2');
    lines.push(`  ${quote(edge.source)} -> ${quote(edge.target)} [${attrs.join(', ')}];`);
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** A DOT double-quoted ID: backslashes and quotes escaped, newlines as \n. */
function quote(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}
