import type { Resolution, WorkspacePackage } from './resolution-context';
import { joinPath, normalize, probe } from './workspace-paths';

/** Every condition a build of the workspace might pick, the source-like ones first. */
const EXPORT_CONDITIONS = ['development', 'source', 'import', 'module', 'require', 'node', 'default', 'types'];

/** Where a package's tsconfig puts what it compiles from `rootDir` (workspace-relative folders). */
export interface OutputFolder {
  outDir: string;
  rootDir: string;
}

/**
 * A workspace package's file for `name + subpath` when TypeScript found none: its `exports`
 * (any condition), `main`/`module`/`types` or an index, with built outputs that git does not
 * hold (`dist/esm/index.js`) mapped back to their source (`src/index.ts`): through the
 * package's own tsconfig `outDir`/`rootDir` (`outputs`) as project references map them, else by
 * convention. What a build of the package in the same commit would have compiled.
 */
export function workspacePackageEntry(
  pkg: WorkspacePackage,
  subpath: string,
  files: ReadonlySet<string>,
  outputs: readonly OutputFolder[] = [],
): Resolution {
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
    const file = probe(path, files) ?? sourceOfOutput(path, outputs, files) ?? probeSource(path, pkg.root, files);
    if (file) return { kind: 'file', file, via: [manifest] };
  }
  return {
    kind: 'unresolved',
    detail: `workspace package ${pkg.name} (${manifest}) has no file for "${pkg.name}${subpath}" (tried ${candidates.join(', ')})`,
  };
}

const OUTPUT_EXTENSION = /\.(d\.[cm]?ts|[cm]?js|jsx)$/;

/** `outDir/a/b.js` → `rootDir/a/b.ts`, as the compiler maps a referenced project's outputs. */
function sourceOfOutput(
  path: string,
  outputs: readonly OutputFolder[],
  files: ReadonlySet<string>,
): string | undefined {
  for (const { outDir, rootDir } of outputs) {
    if (!path.startsWith(`${outDir}/`)) continue;
    const file = probe(joinPath(rootDir, path.slice(outDir.length + 1).replace(OUTPUT_EXTENSION, '')), files);
    if (file) return file;
  }
  return undefined;
}

/**
 * Built outputs by convention: `dist/index.js` → `src/index.ts`, and one format folder deeper
 * (`dist/esm/index.js`, `dist/types/index.d.ts`) → `src/index.ts`.
 */
function probeSource(path: string, root: string, files: ReadonlySet<string>): string | undefined {
  const inside = root ? path.slice(root.length + 1) : path;
  const match = /^(dist|build|lib|out)\/(.*)$/.exec(inside);
  if (!match) return undefined;
  const rest = match[2].replace(OUTPUT_EXTENSION, '');
  const deeper = rest.includes('/') ? rest.slice(rest.indexOf('/') + 1) : undefined;
  return (
    probe(joinPath(root, `src/${rest}`), files) ??
    (deeper !== undefined ? probe(joinPath(root, `src/${deeper}`), files) : undefined)
  );
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
