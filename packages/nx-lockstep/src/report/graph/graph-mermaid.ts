/**
 * `lockstep graph --format mermaid`: for a pull-request comment. Deployables only by default
 * (each group's libraries collapsed into one box); `libraries: true` draws every project. Mermaid
 * refuses a diagram over 500 edges or 50,000 characters, so a graph that would exceed them is
 * collapsed a step further (libraries per group, then deployables per group too), and the title
 * says what was collapsed and why.
 */
import type { GraphData, GraphEdgeKind } from '../../core/graph-view/graph-data';
import { deployablesView, type DeployablesView } from './deployables-view';
import { BLAST_BUCKETS, EDGE_STYLE, blastBucket, strongerKind } from './graph-style';

export const MERMAID_MAX_EDGES = 500;
export const MERMAID_MAX_TEXT = 50_000;

export interface MermaidOptions {
  /** Draw libraries too (default: deployables only, libraries collapsed per group). */
  libraries?: boolean;
  /**
   * A tighter cap on the text than Mermaid's own, and what sets it, e.g. the room a pull-request
   * comment leaves (`{ length: 12000, why: 'the room the comment leaves' }`).
   */
  maxText?: { length: number; why: string };
}

type Level = 'all' | 'deployables' | 'groups';

/** The diagram at the first level of collapsing that fits, or why none fits. */
export type MermaidFit = { text: string; tooBig: string[] } | { text?: undefined; tooBig: string[] };

export function graphMermaid(data: GraphData, options: MermaidOptions = {}): string {
  const fit = fitMermaid(data, options);
  if (fit.text !== undefined) return fit.text;
  // Even one box per group is too big: say so instead of writing a diagram Mermaid rejects.
  return `---\ntitle: "lockstep graph: too big for Mermaid (${fit.tooBig.length} attempts); use --format html or dot"\n---\nflowchart LR\n  note["${escape(fit.tooBig.join('; '))}"]\n`;
}

/**
 * Tries each level of collapsing in turn and keeps the first within Mermaid's limits (and
 * `maxText`); the title of the kept diagram says what was collapsed and why.
 */
export function fitMermaid(data: GraphData, options: MermaidOptions = {}): MermaidFit {
  const levels: Level[] = options.libraries ? ['all', 'deployables', 'groups'] : ['deployables', 'groups'];
  const maxText = Math.min(MERMAID_MAX_TEXT, options.maxText?.length ?? MERMAID_MAX_TEXT);
  const limits =
    maxText < MERMAID_MAX_TEXT
      ? `Mermaid accepts at most ${MERMAID_MAX_EDGES} edges, and ${options.maxText!.why} is ${maxText} characters`
      : `Mermaid accepts at most ${MERMAID_MAX_EDGES} edges and ${MERMAID_MAX_TEXT} characters`;
  const tooBig: string[] = [];
  for (const level of levels) {
    const view = viewAt(level, data);
    const text = render(view, data, level, tooBig);
    const edges = view.edges.length;
    if (edges <= MERMAID_MAX_EDGES && text.length <= maxText) return { text, tooBig };
    tooBig.push(`${LEVEL_WORDS[level]} would have ${edges} edges and ${text.length} characters (${limits})`);
  }
  return { tooBig };
}

const LEVEL_WORDS: Record<Level, string> = {
  all: 'every project',
  deployables: 'deployables with libraries collapsed per group',
  groups: 'deployables and libraries collapsed per group',
};

/** The boxes and edges drawn at one level of collapsing. */
function viewAt(level: Level, data: GraphData): DeployablesView {
  if (level === 'all')
    return {
      nodes: data.nodes.map((node) => ({ id: node.id, label: node.id, kind: 'deployable', node })),
      edges: data.edges.map((edge) => ({ ...edge, count: 1 })),
    };
  const view = deployablesView(data);
  if (level === 'deployables') return view;
  // Deployables collapsed per group too: "apps/ · 40 deployables (3 affected)".
  const labels = new Map(data.groups.map((group) => [group.id, group.label] as const));
  const boxOf = new Map<string, string>();
  const nodes = new Map<string, DeployablesView['nodes'][number]>();
  for (const node of view.nodes) {
    if (node.kind !== 'deployable') {
      nodes.set(node.id, node);
      boxOf.set(node.id, node.id);
      continue;
    }
    const id = `deployables:${node.node!.group}`;
    let box = nodes.get(id);
    if (!box)
      nodes.set(id, (box = { id, label: labels.get(node.node!.group) ?? id, kind: 'library-group', members: [] }));
    box.members!.push(node.id);
    boxOf.set(node.id, id);
  }
  for (const box of nodes.values())
    if (box.id.startsWith('deployables:')) {
      const affected = box.members!.filter((name) => data.nodes.find((node) => node.id === name)?.affected).length;
      box.label = `${box.label} · ${box.members!.length} deployables${affected ? ` (${affected} affected)` : ''}`;
    }
  const edges = new Map<string, DeployablesView['edges'][number]>();
  for (const edge of view.edges) {
    const source = boxOf.get(edge.source)!;
    const target = boxOf.get(edge.target)!;
    if (source === target) continue;
    const key = `${source}\0${target}`;
    const known = edges.get(key);
    if (known) {
      known.kind = strongerKind(known.kind, edge.kind);
      known.count += edge.count;
    } else edges.set(key, { ...edge, source, target });
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

function render(view: DeployablesView, data: GraphData, level: Level, tooBig: readonly string[]): string {
  const deployables = data.nodes.filter((node) => node.kind === 'deployable').length;
  const affected = data.nodes.filter((node) => node.affected).length;
  const title = [
    `lockstep graph: ${deployables} deployables, ${data.nodes.length - deployables} libraries`,
    data.affected ? `, ${affected} affected (${data.affected.precision} precision)` : '',
    level === 'all' ? '' : ` — ${LEVEL_WORDS[level]}`,
    tooBig.length ? ` because ${tooBig.join('; ')}` : '',
  ].join('');
  const lines = ['---', `title: "${escape(title)}"`, '---', 'flowchart LR'];
  lines.push('  classDef deployable fill:#dbeafe,stroke:#2563eb,stroke-width:2px');
  lines.push('  classDef affected fill:#fca5a5,stroke:#b91c1c,stroke-width:3px');
  lines.push('  classDef group fill:#eef2ff,stroke:#6366f1');
  BLAST_BUCKETS.forEach((bucket, index) => lines.push(`  classDef blast${index} fill:${bucket.colour},stroke:#6b7280`));
  const ids = new Map(view.nodes.map((node, index) => [node.id, `n${index}`] as const));
  const nodeLine = (node: DeployablesView['nodes'][number]) => {
    const id = ids.get(node.id)!;
    if (node.kind === 'library-group') return `${id}[["${escape(node.label)}"]]:::group`;
    const real = node.node!;
    const cls =
      real.kind === 'deployable'
        ? real.affected
          ? 'affected'
          : 'deployable'
        : `blast${blastBucket(real.blastRadius?.symbol.length ?? 0)}`;
    const shape = real.kind === 'deployable' ? ['(["', '"])'] : ['["', '"]'];
    return `${id}${shape[0]}${escape(node.label)}${shape[1]}:::${cls}`;
  };
  if (level === 'all') {
    const byId = new Map(view.nodes.map((node) => [node.id, node] as const));
    data.groups.forEach((group, index) => {
      lines.push(`  subgraph g${index}["${escape(group.label)}"]`);
      for (const member of group.members) {
        const node = byId.get(member);
        if (node) lines.push(`    ${nodeLine(node)}`);
      }
      lines.push('  end');
    });
  } else for (const node of view.nodes) lines.push(`  ${nodeLine(node)}`);
  const byKind = new Map<GraphEdgeKind, number[]>();
  view.edges.forEach((edge, index) => {
    const arrow = edge.kind === 'type-only' ? '-.->' : edge.kind === 'deployable-import' ? '==>' : '-->';
    const label = edge.count > 1 ? `|${edge.count}|` : '';
    lines.push(`  ${ids.get(edge.source)} ${arrow}${label} ${ids.get(edge.target)}`);
    byKind.set(edge.kind, [...(byKind.get(edge.kind) ?? []), index]);
  });
  for (const [kind, indexes] of byKind)
    lines.push(`  linkStyle ${indexes.join(',')} stroke:${EDGE_STYLE[kind].colour}`);
  return `${lines.join('\n')}\n`;
}

/** Mermaid labels are quoted: a quote becomes its entity, and nothing else can break out. */
function escape(text: string): string {
  return text.replace(/"/g, '#quot;');
}
