#!/usr/bin/env node
// Why `lockstep graph` lays out with dagre, in two levels: times three layouts of the benchmark
// workspace's project graph (scripts/lib/synthetic-workspace.mjs, its shape without writing it):
// dagre on the whole graph, elkjs (layered) on the whole graph, and the HTML renderer's own
// two-level layout (report/graph/graph-layout.ts: each group, then the groups). One run per
// layout and size; numbers go to docs/graph.md ("Layout").
//
//   npm run build && node scripts/measure-graph-layout.mjs [--libs 500,950] [--deployables 50] [--skip elk,dagre]
import dagre from '@dagrejs/dagre';
import ELK from 'elkjs/lib/elk.bundled.js';
import { parseArgs } from 'node:util';
import { createRequire } from 'node:module';
import { SyntheticWorkspace } from './lib/synthetic-workspace.mjs';

const require = createRequire(import.meta.url);
const { layoutGraph } = require('../packages/nx-lockstep/dist/report/graph/graph-layout.js');
const { deployablesView } = require('../packages/nx-lockstep/dist/report/graph/deployables-view.js');

const { values: args } = parseArgs({
  options: {
    libs: { type: 'string', default: '500,950' },
    deployables: { type: 'string', default: '50' },
    skip: { type: 'string', default: '' },
  },
});
const skip = new Set(args.skip.split(',').filter(Boolean));

/** The project graph the generator would write: a lib or app → the libs its symbols come from. */
function projectGraph(libs, deployables) {
  const ws = new SyntheticWorkspace('/nonexistent', {
    libs,
    deployables,
    filesPerLib: 2,
    hubs: 8,
    domainSize: 25,
    maxLibDeps: 4,
    maxAppLibs: 8,
  });
  ws.generate();
  const owner = (file) => file.lib ?? file.app;
  const edges = new Set();
  for (const file of ws.files.values())
    for (const decl of file.decls)
      for (const use of [...(decl.uses ?? []), ...(decl.paramType ? [{ name: decl.paramType }] : [])]) {
        const target = ws.symbols.get(use.name ?? use);
        if (target && owner(target.file) !== owner(file)) edges.add(`${owner(file)}>${owner(target.file)}`);
      }
  const nodes = [...new Set([...ws.files.values()].map(owner))];
  return { nodes, edges: [...edges].map((edge) => edge.split('>')) };
}

async function time(label, fn) {
  const started = performance.now();
  await fn();
  const ms = Math.round(performance.now() - started);
  console.log(`  ${label}: ${ms} ms`);
  return ms;
}

const rows = [];
for (const libs of args.libs.split(',').map(Number)) {
  const deployables = Number(args.deployables);
  const { nodes, edges } = projectGraph(libs, deployables);
  console.log(`${nodes.length} projects, ${edges.length} edges`);
  const row = { projects: nodes.length, edges: edges.length };
  if (!skip.has('dagre'))
    row.dagre = await time('dagre, whole graph', () => {
      const g = new dagre.graphlib.Graph();
      g.setGraph({ rankdir: 'TB' });
      g.setDefaultEdgeLabel(() => ({}));
      for (const id of nodes) g.setNode(id, { width: 120, height: 26 });
      for (const [a, b] of edges) g.setEdge(a, b);
      dagre.layout(g);
    });
  if (!skip.has('elk'))
    row.elk = await time('elkjs layered, whole graph', () =>
      new ELK().layout({
        id: 'root',
        layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'DOWN' },
        children: nodes.map((id) => ({ id, width: 120, height: 26 })),
        edges: edges.map(([a, b], i) => ({ id: `e${i}`, sources: [a], targets: [b] })),
      }),
    );
  // The renderer's layout, grouped as the benchmark workspace would be by domain tags (25 libs each).
  const group = (id) =>
    id.startsWith('app')
      ? 'apps'
      : Number(id.slice(3)) < 8
        ? 'hubs'
        : `domain-${Math.floor((Number(id.slice(3)) - 8) / 25)}`;
  const data = {
    version: 1,
    head: '0'.repeat(40),
    nodes: nodes.map((id) => ({
      id,
      kind: id.startsWith('app') ? 'deployable' : 'library',
      root: id,
      group: group(id),
    })),
    edges: edges.map(([source, target]) => ({ source, target, kind: 'runtime-import' })),
    groups: [...new Set(nodes.map(group))].map((id) => ({
      id,
      label: id,
      kind: 'domain',
      members: nodes.filter((n) => group(n) === id),
    })),
    notes: [],
  };
  row.twoLevel = await time('two-level (groups by domain), as lockstep graph does', () =>
    layoutGraph(data, deployablesView(data)),
  );
  rows.push(row);
}
console.log(JSON.stringify(rows));
