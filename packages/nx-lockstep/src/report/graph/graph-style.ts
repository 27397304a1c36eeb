/**
 * Colours and words shared by the HTML, DOT and Mermaid renderings, so the three agree: edges by
 * kind, libraries by blast radius (the deployables that redeploy at symbol precision).
 */
import type { GraphEdgeKind, GraphNode } from '../../core/graph-view/graph-data';

export const EDGE_STYLE: Record<GraphEdgeKind, { colour: string; dashed: boolean; label: string }> = {
  'runtime-import': { colour: '#4b5563', dashed: false, label: 'runtime import' },
  'type-only': { colour: '#9ca3af', dashed: true, label: 'type-only import (erased at runtime)' },
  'deployable-import': { colour: '#dc2626', dashed: false, label: 'deployable → deployable import' },
  contract: { colour: '#7c3aed', dashed: false, label: 'uses a contract library' },
};

/** Blast radius buckets (deployables redeployed at symbol precision), lowest first. */
export const BLAST_BUCKETS: readonly { min: number; colour: string; label: string }[] = [
  { min: 0, colour: '#f3f4f6', label: 'no deployable' },
  { min: 1, colour: '#d1fae5', label: '1 deployable' },
  { min: 2, colour: '#fef3c7', label: '2–4 deployables' },
  { min: 5, colour: '#fed7aa', label: '5–9 deployables' },
  { min: 10, colour: '#fecaca', label: '10 or more deployables' },
];

export const DEPLOYABLE_COLOUR = '#dbeafe';
export const DEPLOYABLE_BORDER = '#2563eb';
export const AFFECTED_COLOUR = '#fca5a5';
export const AFFECTED_BORDER = '#b91c1c';
export const LIBRARY_BORDER = '#6b7280';

export function blastBucket(count: number): number {
  let bucket = 0;
  BLAST_BUCKETS.forEach((candidate, index) => {
    if (count >= candidate.min) bucket = index;
  });
  return bucket;
}

/** Fill and border of a node, as every rendering draws it. */
export function nodeColours(node: GraphNode): { fill: string; border: string } {
  if (node.kind === 'deployable')
    return node.affected
      ? { fill: AFFECTED_COLOUR, border: AFFECTED_BORDER }
      : { fill: DEPLOYABLE_COLOUR, border: DEPLOYABLE_BORDER };
  return { fill: BLAST_BUCKETS[blastBucket(node.blastRadius?.symbol.length ?? 0)].colour, border: LIBRARY_BORDER };
}

/** When edges of several kinds join two boxes, the one that says most about coupling wins. */
export const EDGE_KIND_STRENGTH: readonly GraphEdgeKind[] = [
  'deployable-import',
  'contract',
  'runtime-import',
  'type-only',
];

export function strongerKind(a: GraphEdgeKind | undefined, b: GraphEdgeKind): GraphEdgeKind {
  if (a === undefined) return b;
  return EDGE_KIND_STRENGTH.indexOf(a) <= EDGE_KIND_STRENGTH.indexOf(b) ? a : b;
}
