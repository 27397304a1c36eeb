/**
 * The graph renderers, beside the reporters registry (reporters.ts): pure functions from the
 * graph data (core/graph-view/graph-data.ts) to one file's text, keyed by format. A new format is
 * one module and one entry here.
 */
import type { GraphData } from '../core/graph-view/graph-data';
import { graphDot } from './graph/graph-dot';
import { graphHtml, type GraphHtmlAssets } from './graph/graph-html';
import { graphMermaid } from './graph/graph-mermaid';

export type GraphFormat = 'html' | 'mermaid' | 'dot';
export const GRAPH_FORMATS: readonly GraphFormat[] = ['html', 'mermaid', 'dot'];

export interface GraphRenderOptions {
  /** html: the viewer's script and style, inlined (the caller reads them from the package's assets/). */
  assets?: GraphHtmlAssets;
  /** mermaid: draw libraries too (default: deployables only). */
  libraries?: boolean;
}

export const GRAPH_RENDERERS: Record<GraphFormat, (data: GraphData, options: GraphRenderOptions) => string> = {
  html: (data, options) => {
    if (!options.assets) throw new Error('graph html: the viewer assets are missing (assets/graph-viewer.js, .css)');
    return graphHtml(data, options.assets);
  },
  mermaid: (data, options) => graphMermaid(data, { libraries: options.libraries }),
  dot: (data) => graphDot(data),
};

export function renderGraph(format: GraphFormat, data: GraphData, options: GraphRenderOptions = {}): string {
  return GRAPH_RENDERERS[format](data, options);
}
