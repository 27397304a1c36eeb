import parseDot from 'dotparser';
import { describe, expect, it } from 'vitest';
import { readGraphAssets } from '../../adapters/graph-assets';
import { renderGraph } from '../graph-renderers';
import { syntheticGraph } from './__fixtures__/synthetic-graph';
import { MERMAID_MAX_EDGES, MERMAID_MAX_TEXT } from './graph-mermaid';

describe('graph renderers', () => {
  it('mermaid: deployables only by default, libraries collapsed per group', () => {
    const text = renderGraph('mermaid', syntheticGraph(40, 3));
    expect(text).toMatch(
      /^---\ntitle: "lockstep graph: 3 deployables, 40 libraries — deployables with libraries collapsed per group"/,
    );
    expect(text).toMatch(/n\d+\(\["app0"\]\):::affected\n/);
    expect(text).toMatch(/n\d+\(\["app1"\]\):::deployable\n/);
    expect(text).toContain('[["libs/d0/ · 25 libraries"]]:::group');
    expect(text).not.toMatch(/"lib\d+"/);
    expect(renderGraph('mermaid', syntheticGraph(40, 3), { libraries: true })).toMatch(/\["lib39"\]:::blast/);
  });

  it('mermaid: a graph over 500 edges is collapsed a step further, and the title says so', () => {
    // 600 deployables in one folder, each using a library: 600 edges deployables-only.
    const text = renderGraph('mermaid', syntheticGraph(10, 600, 1000));
    expect(text).toContain('deployables and libraries collapsed per group because deployables with libraries');
    expect(text).toMatch(/would have \d{3,} edges/);
    expect(text).toContain(`at most ${MERMAID_MAX_EDGES} edges and ${MERMAID_MAX_TEXT} characters`);
    expect(text).toContain('apps/ · 600 deployables (86 affected)');
    expect((text.match(/-->|==>|-\.->/g) ?? []).length).toBeLessThanOrEqual(MERMAID_MAX_EDGES);
    expect(text.length).toBeLessThanOrEqual(MERMAID_MAX_TEXT);
  });

  it('dot: the full graph, one cluster per group, edges styled by kind, and it parses', () => {
    const data = syntheticGraph(40, 3);
    const text = renderGraph('dot', data);
    const [graph] = parseDot(text);
    expect(graph.type).toBe('digraph');
    const clusters = graph.children.filter((child) => child.type === 'subgraph');
    expect(clusters.map((cluster) => cluster.id)).toEqual(data.groups.map((_, index) => `cluster_${index}`));
    const nodes = clusters.flatMap((cluster) =>
      (cluster.type === 'subgraph' ? cluster.children : []).filter((child) => child.type === 'node_stmt'),
    );
    expect(nodes).toHaveLength(data.nodes.length);
    const edges = graph.children.filter((child) => child.type === 'edge_stmt');
    expect(edges).toHaveLength(data.edges.length);
    expect(text).toContain('"app0" -> "lib8" [color="#4b5563", tooltip="runtime-import"]');
    expect(text).toMatch(/-> "lib\d+" \[color="#9ca3af", tooltip="type-only", style=dashed\]/);
  });

  it('html: one file with everything inlined, nothing to fetch, under a few MB at 1,000 projects', () => {
    const html = renderGraph('html', syntheticGraph(950, 50), { assets: readGraphAssets() });
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|@import|url\(http/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('"id":"lib949"');
    expect(html.length).toBeLessThan(3 * 1024 * 1024);
  }, 120_000);

  it('html: 1,000 deployables lay out too (the deployables-only view in wrapped layers)', () => {
    const html = renderGraph('html', syntheticGraph(100, 1000), { assets: { script: '', style: '' } });
    const payload = JSON.parse(/<script type="application\/json" id="graph-data">(.*?)<\/script>/s.exec(html)![1]);
    const boxes: number[][] = payload.view.nodes.map((node: { b: number[] }) => node.b);
    // 1,000 deployables and five library boxes (hubs/, d0/ … d3/).
    expect(boxes).toHaveLength(1000 + 5);
    // No two boxes overlap.
    const key = (box: number[]) => `${box[0]},${box[1]}`;
    expect(new Set(boxes.map(key)).size).toBe(boxes.length);
  }, 120_000);

  it('lock-step groups (input from history): outlined in the HTML data, double-bordered in DOT', () => {
    const data = { ...syntheticGraph(10, 3), lockstepGroups: [{ label: 'app0+app1', members: ['app0', 'app1'] }] };
    const html = renderGraph('html', data, { assets: { script: '', style: '' } });
    const payload = JSON.parse(/<script type="application\/json" id="graph-data">(.*?)<\/script>/s.exec(html)![1]);
    const index = (id: string) => payload.nodes.findIndex((node: { id: string }) => node.id === id);
    expect(payload.lockstep).toEqual([{ label: 'app0+app1', m: [index('app0'), index('app1')] }]);
    const dot = renderGraph('dot', data);
    expect(dot).toMatch(/"app0" \[.*peripheries=2, xlabel="lock-step: app0\+app1"\]/);
    expect(dot).not.toMatch(/"app2" \[.*peripheries/);
  });

  it('html: a project name cannot end the inlined script', () => {
    const data = syntheticGraph(2, 1);
    data.nodes[0].id = '</script><script>alert(1)</script>';
    data.groups[0].members[0] = data.nodes[0].id;
    data.edges = [];
    const html = renderGraph('html', data, { assets: { script: '/*viewer*/', style: '' } });
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });
});
