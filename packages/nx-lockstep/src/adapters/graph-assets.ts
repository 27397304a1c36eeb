import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { GraphHtmlAssets } from '../report/graph/graph-html';

/**
 * The HTML graph viewer's script and style, shipped in the package's assets/ folder (two levels
 * above both src/adapters and dist/adapters) and inlined into every HTML graph.
 */
export function readGraphAssets(): GraphHtmlAssets {
  const folder = join(__dirname, '..', '..', 'assets');
  return {
    script: readFileSync(join(folder, 'graph-viewer.js'), 'utf8'),
    style: readFileSync(join(folder, 'graph-viewer.css'), 'utf8'),
  };
}
