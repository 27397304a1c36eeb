import type { Resolution, WorkspacePackage } from './resolution-context';
import type { Tsconfig } from './tsconfig';
import { relative } from './virtual-workspace';
import { workspacePackageEntry, type OutputFolder } from './workspace-package-entry';
import { joinPath, normalize, packageNameOf, probe, withoutScriptExtension } from './workspace-paths';

export interface BareContext {
  files: ReadonlySet<string>;
  packages: ReadonlyMap<string, WorkspacePackage>;
  hasDirectory(path: string): boolean;
  /** The output folders of a workspace package's own tsconfigs. */
  outputsOf(pkg: WorkspacePackage): OutputFolder[];
}

/**
 * What a bare specifier TypeScript did not resolve stands for, from the configs tried (the
 * governing one first). Only a name that points nowhere into the workspace is an external
 * package; a workspace import without a file is `unresolved` (with the path it names, which
 * may be generated code), and so is any import under a config that cannot be read.
 */
export function unresolvedBare(
  specifier: string,
  configs: ReadonlyArray<Tsconfig | undefined>,
  context: BareContext,
): Resolution {
  const packageName = packageNameOf(specifier);
  const workspacePackage = context.packages.get(packageName);
  for (const config of configs) {
    const match = config && matchPaths(specifier, config);
    if (!match) continue;
    // `"@primer/react/deprecated": ["node_modules/@primer/react/lib/deprecated"]`: an installed package.
    const installed = match.targets.find((target) => /(^|\/)node_modules\//.test(target));
    if (installed) {
      const name = packageNameOf(installed.slice(installed.lastIndexOf('node_modules/') + 'node_modules/'.length));
      if (!context.packages.has(name)) return { kind: 'external', packageName: name };
    }
    const existing = match.targets.find((target) => context.files.has(target));
    if (existing) return { kind: 'file', file: existing };
    if (workspacePackage)
      return workspacePackageEntry(
        workspacePackage,
        specifier.slice(packageName.length),
        context.files,
        context.outputsOf(workspacePackage),
      );
    return {
      kind: 'unresolved',
      detail: `tsconfig path "${match.pattern}" (${config.file}) matches "${specifier}" but none of ${match.targets.join(', ')} exists`,
      ...(match.targets[0] !== undefined ? { missingPath: withoutScriptExtension(match.targets[0]) } : {}),
    };
  }
  if (workspacePackage)
    return workspacePackageEntry(
      workspacePackage,
      specifier.slice(packageName.length),
      context.files,
      context.outputsOf(workspacePackage),
    );
  // `@acme/db/internal` when only `@acme/db` is aliased: it names workspace code we cannot find.
  for (const config of configs) {
    const alias = Object.keys(config?.options.paths ?? {}).find(
      (pattern) => !pattern.startsWith('*') && packageNameOf(pattern.replace(/\*.*$/, '')) === packageName,
    );
    if (alias)
      return {
        kind: 'unresolved',
        detail: `"${specifier}" is under the workspace alias "${alias}" (${config!.file}) but no tsconfig path matches it`,
      };
  }
  // `utils/gen/types` under `"baseUrl": "src"` where src/utils exists: workspace code, not a package.
  for (const config of configs) {
    const baseUrl = config?.options.baseUrl;
    if (typeof baseUrl !== 'string') continue;
    const base = relative(baseUrl);
    const first = joinPath(base, specifier.split('/')[0]);
    if (!context.hasDirectory(first) && !probe(first, context.files)) continue;
    const target = normalize(joinPath(base, specifier));
    return {
      kind: 'unresolved',
      detail: `"${specifier}" is under the baseUrl of ${config!.file} (${base || '.'}/), where ${first} exists, but no file matches it`,
      ...(target !== undefined ? { missingPath: withoutScriptExtension(target) } : {}),
    };
  }
  if (specifier.startsWith('#'))
    return {
      kind: 'unresolved',
      detail: `no package.json "imports" entry of the importing package matches "${specifier}"`,
    };
  return { kind: 'external', packageName };
}

/** The `paths` entry TypeScript would pick (exact, else the longest prefix), targets made workspace-relative. */
function matchPaths(specifier: string, config: Tsconfig): { pattern: string; targets: string[] } | undefined {
  const paths = config.options.paths;
  if (!paths) return undefined;
  let best: { pattern: string; captured: string; prefixLength: number } | undefined;
  for (const pattern of Object.keys(paths)) {
    const star = pattern.indexOf('*');
    if (star < 0) {
      if (pattern === specifier) {
        best = { pattern, captured: '', prefixLength: Number.MAX_SAFE_INTEGER };
        break;
      }
      continue;
    }
    const prefix = pattern.slice(0, star);
    const suffix = pattern.slice(star + 1);
    if (
      specifier.length >= prefix.length + suffix.length &&
      specifier.startsWith(prefix) &&
      specifier.endsWith(suffix) &&
      (!best || prefix.length > best.prefixLength)
    )
      best = {
        pattern,
        captured: specifier.slice(prefix.length, specifier.length - suffix.length),
        prefixLength: prefix.length,
      };
  }
  if (!best) return undefined;
  const options = config.options as { baseUrl?: string; pathsBasePath?: string };
  const base = relative(options.baseUrl ?? options.pathsBasePath ?? '/');
  const targets = (paths[best.pattern] ?? []).flatMap((target) => {
    const path = normalize(joinPath(base, target.replace('*', best.captured)));
    return path === undefined ? [] : [path];
  });
  return { pattern: best.pattern, targets };
}
