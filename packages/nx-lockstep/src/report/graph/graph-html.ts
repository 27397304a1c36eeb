/**
 * `lockstep graph --format html`: one self-contained file. The layout is computed here (the
 * browser only draws), the data is inlined as JSON, and the viewer's script and style (read from
 * the package's assets/ by the caller) are inlined too: nothing is fetched, it opens from file://.
 */
import { GRAPH_EDGE_KINDS, type GraphData } from '../../core/graph-view/graph-data';
import { deployablesView } from './deployables-view';
import { layoutGraph } from './graph-layout';
import {
  AFFECTED_BORDER,
  AFFECTED_COLOUR,
  BLAST_BUCKETS,
  DEPLOYABLE_BORDER,
  DEPLOYABLE_COLOUR,
  EDGE_STYLE,
  blastBucket,
  nodeColours,
} from './graph-style';

export interface GraphHtmlAssets {
  script: string;
  style: string;
}

/** Up to this many projects every group starts expanded; above, groups start collapsed. */
const EXPAND_UP_TO = 200;

export function graphHtml(data: GraphData, assets: GraphHtmlAssets): string {
  const payload = htmlPayload(data);
  const title = `lockstep graph · ${data.nodes.length} projects`;
  const meta = data.affected
    ? `${data.nodes.filter((node) => node.affected).length} of ${data.nodes.filter((n) => n.kind === 'deployable').length} deployables affected · ${short(data.affected.base)}..${short(data.affected.head)} · ${data.affected.precision} precision`
    : `head ${short(data.head)} · pass --base <ref> to see what a change deploys`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<title>${escapeHtml(title)}</title>
<style>
${assets.style}
</style>
</head>
<body>
<header>
<h1>nx-lockstep graph</h1>
<span class="meta">${escapeHtml(meta)}</span>
<input id="search" type="search" placeholder="Search projects ( / )" aria-label="Search projects by name">
<span id="search-count" class="meta"></span>
<button id="view-full" type="button" aria-pressed="true">All projects</button>
<button id="view-deployables" type="button" aria-pressed="false">Deployables only</button>
<button id="expand-all" type="button">Expand groups</button>
<button id="collapse-all" type="button">Collapse groups</button>
</header>
<main id="canvas">
<svg id="graph" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${escapeHtml(title)}"><g id="viewport"></g></svg>
</main>
<aside>
<section id="details" aria-live="polite"></section>
<section id="legend"></section>
<section id="notes">${data.notes.map((note) => `<p class="muted">${escapeHtml(note)}</p>`).join('')}</section>
</aside>
<script type="application/json" id="graph-data">${scriptSafeJson(payload)}</script>
<script>
${assets.script}
</script>
</body>
</html>
`;
}

/** The data the viewer reads: positions and indexes instead of repeated names, to stay small. */
function htmlPayload(data: GraphData) {
  const view = deployablesView(data);
  const layout = layoutGraph(data, view);
  const index = new Map(data.nodes.map((node, position) => [node.id, position] as const));
  const groupIndex = new Map(data.groups.map((group, position) => [group.id, position] as const));
  const kindIndex = new Map(GRAPH_EDGE_KINDS.map((kind, position) => [kind, position] as const));
  const viewIndex = new Map(view.nodes.map((node, position) => [node.id, position] as const));
  const ids = (names: readonly string[]) => names.map((name) => index.get(name)!).filter((i) => i !== undefined);
  return {
    head: data.head,
    affected: data.affected ?? null,
    expandUpTo: EXPAND_UP_TO,
    size: [layout.width, layout.height],
    kinds: GRAPH_EDGE_KINDS,
    edgeStyle: EDGE_STYLE,
    buckets: BLAST_BUCKETS,
    colours: {
      deployable: DEPLOYABLE_COLOUR,
      deployableBorder: DEPLOYABLE_BORDER,
      affected: AFFECTED_COLOUR,
      affectedBorder: AFFECTED_BORDER,
    },
    nodes: data.nodes.map((node, position) => {
      const { fill, border } = nodeColours(node);
      return {
        id: node.id,
        k: node.kind === 'deployable' ? 'd' : 'l',
        root: node.root,
        g: groupIndex.get(node.group)!,
        b: layout.nodes[position],
        fill,
        stroke: border,
        ...(node.kind === 'library'
          ? {
              bk: blastBucket(node.blastRadius?.symbol.length ?? 0),
              s: ids(node.blastRadius?.symbol ?? []),
              p: ids(node.blastRadius?.project ?? []),
            }
          : {}),
        ...(node.affected === undefined ? {} : { a: node.affected ? 1 : 0, r: node.reason ?? '' }),
        ...(node.explanation === undefined ? {} : { x: node.explanation }),
      };
    }),
    edges: data.edges.map((edge) => [index.get(edge.source)!, index.get(edge.target)!, kindIndex.get(edge.kind)!]),
    groups: data.groups.map((group, position) => ({
      id: group.id,
      label: group.label,
      b: layout.groups[position],
      m: ids(group.members),
      // A small group with an affected deployable opens even in a big graph: the change is the news.
      open: group.members.length <= 60 && group.members.some((m) => data.nodes[index.get(m)!]?.affected) ? 1 : 0,
    })),
    view: {
      size: [layout.view.width, layout.view.height],
      nodes: view.nodes.map((node, position) => ({
        id: node.id,
        label: node.label,
        b: layout.view.nodes[position],
        ...(node.kind === 'deployable' ? { n: index.get(node.id)! } : { m: ids(node.members ?? []) }),
      })),
      edges: view.edges.map((edge) => [
        viewIndex.get(edge.source)!,
        viewIndex.get(edge.target)!,
        kindIndex.get(edge.kind)!,
        edge.count,
      ]),
    },
    ...(data.lockstepGroups
      ? { lockstep: data.lockstepGroups.map((g) => ({ label: g.label, m: ids(g.members) })) }
      : {}),
  };
}

const short = (sha: string) => (/^[0-9a-f]{40}$/.test(sha) ? sha.slice(0, 8) : sha);

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON inside <script>: `<` escaped so no `</script>` or `<!--` in a project name can end it. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}
