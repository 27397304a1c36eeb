import { builtinModules } from 'node:module';
import type { Resolution, ResolutionContext, WorkspacePackage } from './resolution-context';

const BUILTINS = new Set(builtinModules);
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
const EXPORT_CONDITIONS = ['development', 'source', 'import', 'module', 'require', 'node', 'default', 'types'];

/**
 * Resolves an import specifier written in `fromFile` the way a bundler would in a TypeScript
 * monorepo: relative paths (extension and index probing), tsconfig `paths`/`baseUrl`, workspace
 * packages by name, else an external package. A specifier that points into the workspace but
 * matches no file is `unresolved`, which callers treat as a safety case.
 */
export function resolveSpecifier(fromFile: string, specifier: string, context: ResolutionContext): Resolution {
  // A bare specifier resolves the same from every file: answer repeats (hundreds of files import
  // the same alias) from a memo instead of scanning every tsconfig path again.
  if (specifier.startsWith('.') || specifier.startsWith('/')) return resolveUncached(fromFile, specifier, context);
  let memo = bareMemo.get(context);
  if (!memo) bareMemo.set(context, (memo = new Map()));
  let resolution = memo.get(specifier);
  if (!resolution) memo.set(specifier, (resolution = resolveUncached(fromFile, specifier, context)));
  return resolution;
}

const bareMemo = new WeakMap<ResolutionContext, Map<string, Resolution>>();

function resolveUncached(fromFile: string, specifier: string, context: ResolutionContext): Resolution {
  const cleaned = specifier.replace(/[?#].*$/, '');
  if (cleaned.startsWith('node:') || BUILTINS.has(cleaned) || BUILTINS.has(cleaned.split('/')[0]))
    return { kind: 'builtin' };

  if (cleaned.startsWith('.') || cleaned.startsWith('/')) {
    const target = cleaned.startsWith('/')
      ? normalize(cleaned.slice(1))
      : normalize(joinPath(dirname(fromFile), cleaned));
    if (target === undefined) return { kind: 'unresolved', detail: `"${specifier}" points outside the workspace` };
    const file = probe(target, context.files);
    return file
      ? { kind: 'file', file }
      : {
          kind: 'unresolved',
          detail: `no file matches "${specifier}" (looked for ${target} with extensions and index files)`,
        };
  }

  const alias = matchAlias(cleaned, context);
  if (alias) return alias;

  if (context.baseUrl !== undefined) {
    const target = normalize(joinPath(context.baseUrl, cleaned));
    const file = target !== undefined ? probe(target, context.files) : undefined;
    if (file) return { kind: 'file', file };
  }

  const packageName = packageNameOf(cleaned);
  const workspacePackage = context.packages.get(packageName);
  if (workspacePackage) return resolveWorkspacePackage(workspacePackage, cleaned.slice(packageName.length), context);
  // `@acme/db/internal` when only `@acme/db` is aliased: it names workspace code we cannot find.
  const aliasOfPackage = context.paths.find(
    ({ pattern }) => !pattern.startsWith('*') && packageNameOf(pattern.replace(/\*.*$/, '')) === packageName,
  );
  if (aliasOfPackage)
    return {
      kind: 'unresolved',
      detail: `"${specifier}" is under the workspace alias "${aliasOfPackage.pattern}" but no tsconfig path matches it`,
    };
  return { kind: 'external', packageName };
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function matchAlias(specifier: string, context: ResolutionContext): Resolution | undefined {
  let best: { targets: string[]; captured: string; prefixLength: number; pattern: string } | undefined;
  for (const { pattern, targets } of context.paths) {
    const star = pattern.indexOf('*');
    if (star < 0) {
      if (pattern === specifier) {
        best = { targets, captured: '', prefixLength: Number.MAX_SAFE_INTEGER, pattern };
        break;
      }
      continue;
    }
    const prefix = pattern.slice(0, star);
    const suffix = pattern.slice(star + 1);
    if (
      specifier.length >= prefix.length + suffix.length &&
      specifier.startsWith(prefix) &&
      specifier.endsWith(suffix)
    ) {
      // TypeScript picks the pattern with the longest prefix.
      if (!best || prefix.length > best.prefixLength) {
        best = {
          targets,
          captured: specifier.slice(prefix.length, specifier.length - suffix.length),
          prefixLength: prefix.length,
          pattern,
        };
      }
    }
  }
  if (!best) return undefined;
  for (const target of best.targets) {
    const path = normalize(target.replace('*', best.captured));
    const file = path !== undefined ? probe(path, context.files) : undefined;
    if (file) return { kind: 'file', file };
  }
  // An alias that matched but names no file: a workspace import we cannot follow, unless the
  // package is installed from the registry under the same name.
  const packageName = packageNameOf(specifier);
  const workspacePackage = context.packages.get(packageName);
  if (workspacePackage) return resolveWorkspacePackage(workspacePackage, specifier.slice(packageName.length), context);
  return {
    kind: 'unresolved',
    detail: `tsconfig path "${best.pattern}" matches "${specifier}" but none of ${best.targets.join(', ')} exists`,
  };
}

function resolveWorkspacePackage(pkg: WorkspacePackage, subpath: string, context: ResolutionContext): Resolution {
  const manifest = joinPath(pkg.root, 'package.json');
  const candidates: string[] = [];
  const exportTargets = pkg.exports !== undefined ? exportsTargets(pkg.exports, `.${subpath}`) : undefined;
  if (exportTargets) candidates.push(...exportTargets);
  else if (subpath) candidates.push(`.${subpath}`);
  else
    candidates.push(
      ...[pkg.main, pkg.module, pkg.types].filter((value): value is string => !!value),
      './index',
      './src/index',
      './src/main',
    );
  for (const candidate of candidates) {
    const path = normalize(joinPath(pkg.root, candidate));
    if (path === undefined) continue;
    const file = probe(path, context.files) ?? probeSource(path, pkg.root, context.files);
    if (file) return { kind: 'file', file, via: [manifest] };
  }
  return {
    kind: 'unresolved',
    detail: `workspace package ${pkg.name} (${manifest}) has no file for "${pkg.name}${subpath}" (tried ${candidates.join(', ')})`,
  };
}

/** Built outputs (`dist/index.js`) are not in git: map them back to their source (`src/index.ts`). */
function probeSource(path: string, root: string, files: ReadonlySet<string>): string | undefined {
  const inside = root ? path.slice(root.length + 1) : path;
  const match = /^(dist|build|lib|out)\/(.*)$/.exec(inside);
  if (!match) return undefined;
  const rest = match[2].replace(/\.(d\.ts|js|mjs|cjs|jsx)$/, '');
  return probe(joinPath(root, `src/${rest}`), files);
}

function exportsTargets(exportsField: unknown, subpath: string): string[] | undefined {
  if (typeof exportsField === 'string' || Array.isArray(exportsField))
    return subpath === '.' ? conditionTargets(exportsField) : undefined;
  if (!exportsField || typeof exportsField !== 'object') return undefined;
  const map = exportsField as Record<string, unknown>;
  const keys = Object.keys(map);
  if (!keys.some((key) => key.startsWith('.'))) return subpath === '.' ? conditionTargets(map) : undefined;
  if (subpath in map) return conditionTargets(map[subpath]);
  for (const key of keys) {
    const star = key.indexOf('*');
    if (star < 0) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix)) {
      const captured = subpath.slice(prefix.length, subpath.length - suffix.length);
      return conditionTargets(map[key]).map((target) => target.replace(/\*/g, captured));
    }
  }
  return undefined;
}

function conditionTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(conditionTargets);
  if (!value || typeof value !== 'object') return [];
  const map = value as Record<string, unknown>;
  const ordered = [
    ...EXPORT_CONDITIONS.filter((key) => key in map),
    ...Object.keys(map).filter((key) => !EXPORT_CONDITIONS.includes(key)),
  ];
  return ordered.flatMap((key) => conditionTargets(map[key]));
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
