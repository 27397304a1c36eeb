import { posix } from 'node:path';
import type { FileReader } from './library-files';

const SOURCE = /\.(d\.)?[mc]?tsx?$/;

/**
 * The files a library's consumers import, when the caller does not know them from the import graph:
 * the targets of the workspace's tsconfig `paths` inside the library (without a `*`), else the
 * TypeScript source behind its package.json `types`/`main`, else `<root>/src/index.ts`. A `paths`
 * entry with a `*` (`@org/common/*`) exposes every file under it: pass the files consumers actually
 * import instead.
 */
export function entryFilesOf(
  root: string,
  read: FileReader,
  paths: Readonly<Record<string, readonly string[]>> = {},
): string[] {
  const inRoot = (path: string) => posix.normalize(path.replace(/^\.\//, '')).startsWith(`${root}/`);
  const mapped = Object.values(paths)
    .flat()
    .map((target) => posix.normalize(target.replace(/^\.\//, '')))
    .filter((target) => inRoot(target) && !target.includes('*') && read(target) !== undefined);
  if (mapped.length > 0) return [...new Set(mapped)].sort();
  const manifest = parseJson(read(`${root}/package.json`));
  for (const field of [manifest?.types, manifest?.typings, manifest?.main]) {
    if (typeof field !== 'string') continue;
    const path = posix.join(root, field);
    // A manifest names the built file (dist/index.js); its source sits in src/ with the same stem.
    const stem = path.replace(SOURCE, '').replace(/\.[mc]?js$/, '');
    const candidates = [path, `${stem}.ts`, `${stem}.tsx`, stem.replace(/(^|\/)dist\//, '$1src/') + '.ts'];
    const found = candidates.find((candidate) => SOURCE.test(candidate) && read(candidate) !== undefined);
    if (found) return [found];
  }
  return [`${root}/src/index.ts`].filter((path) => read(path) !== undefined);
}

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  try {
    return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    return undefined;
  }
}
