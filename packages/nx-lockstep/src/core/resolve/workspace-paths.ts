/**
 * Path helpers of resolution: workspace-relative, posix-style paths, and the extension and
 * index probing bundlers do for a path without a file extension.
 */
const PROBE_EXTENSIONS = [
  '.ts',
  '.tsx',
  '.mts',
  '.cts',
  '.js',
  '.jsx',
  '.mjs',
  '.cjs',
  '.json',
  '.d.ts',
  '.d.mts',
  '.d.cts',
];
/** `./a.js` may name `a.ts` (TypeScript's ESM convention). */
const JS_TO_TS: Record<string, string[]> = {
  '.js': ['.ts', '.tsx', '.d.ts'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts', '.d.mts'],
  '.cjs': ['.cts', '.d.cts'],
};

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Finds the file a module path names: exact, with an extension, `.js`→`.ts`, or a directory index. */
export function probe(path: string, files: ReadonlySet<string>): string | undefined {
  if (files.has(path)) return path;
  for (const extension of PROBE_EXTENSIONS) if (files.has(path + extension)) return path + extension;
  const jsExtension = /\.(js|jsx|mjs|cjs)$/.exec(path)?.[0];
  if (jsExtension) {
    const stem = path.slice(0, -jsExtension.length);
    for (const extension of JS_TO_TS[jsExtension]) if (files.has(stem + extension)) return stem + extension;
  }
  const indexBase = path ? `${path}/index` : 'index';
  for (const extension of PROBE_EXTENSIONS) if (files.has(indexBase + extension)) return indexBase + extension;
  return undefined;
}

export function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

export function joinPath(base: string, relative: string): string {
  return base ? `${base}/${relative}` : relative;
}

/** Collapses `.`/`..` segments; undefined when the path climbs out of the workspace. */
export function normalize(path: string): string | undefined {
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else {
      out.push(segment);
    }
  }
  return out.join('/');
}

/** `libs/a/src/types.js` → `libs/a/src/types`: the module a missing path names, whatever it compiles from. */
export function withoutScriptExtension(path: string): string {
  return path.replace(/\.(d\.)?([cm]?[jt]sx?)$/, '');
}
