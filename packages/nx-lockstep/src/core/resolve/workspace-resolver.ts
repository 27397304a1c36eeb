import { builtinModules } from 'node:module';
import type { ts } from 'ts-morph';
import { isDeclarationFile } from '../extract/file-kinds';
import { typescriptApi } from '../extract/typescript-api';
import { TsconfigIndex } from './governing-tsconfig';
import type { Resolution, ResolutionHost, Resolver, WorkspacePackage } from './resolution-context';
import type { Tsconfig } from './tsconfig';
import { workspacePackageEntry, type OutputFolder } from './workspace-package-entry';
import { unresolvedBare } from './unresolved-bare';
import { absolute, relative, VirtualWorkspace } from './virtual-workspace';
import { readWorkspacePackages } from './workspace-packages';
import { dirname, joinPath, normalize, packageNameOf, withoutScriptExtension } from './workspace-paths';

const BUILTINS = new Set(builtinModules);
const RUNTIME_OF_DECLARATION: Array<[RegExp, string[]]> = [
  [/\.d\.ts$/, ['.js', '.jsx']],
  [/\.d\.mts$/, ['.mjs']],
  [/\.d\.cts$/, ['.cjs']],
];

export interface WorkspaceResolver {
  resolve: Resolver;
  /** The tsconfig that governs a file (undefined when the workspace has none). */
  tsconfigOf(file: string): Tsconfig | undefined;
  /** One tsconfig of the workspace, read. */
  tsconfig(file: string): Tsconfig;
  /** The root tsconfig (tsconfig.base.json, else tsconfig.json), read. */
  rootTsconfig(): Tsconfig | undefined;
  /** Every tsconfig of the workspace, read (then `configReads` names all they read). */
  allTsconfigs(): Tsconfig[];
  /** Every path reading the tsconfigs asked for, found or not, workspace or installed (for cache keys). */
  configReads(): ReadonlyMap<string, 'workspace' | 'installed'>;
  packages: ReadonlyMap<string, WorkspacePackage>;
  /** Manifests that do not parse. */
  errors: string[];
}

// Long on purpose: a factory whose inner functions share the per-config caches and the host.
/**
 * Resolution as the compiler and bundlers do it: `ts.resolveModuleName` in bundler mode with the
 * options of the tsconfig that governs the importing file (its `paths`, `baseUrl`, `rootDirs`,
 * `customConditions`), over the commit being analysed (`host`), with workspace packages linked
 * in node_modules so their package.json `exports`/`imports` and conditions apply. What
 * TypeScript does not resolve is then classified (see unresolved-bare.ts): an external package,
 * a workspace import git holds no file for (`missingPath`), or a config that cannot be read.
 */
export function createWorkspaceResolver(
  host: ResolutionHost,
  manifests: ReadonlyMap<string, string>,
): WorkspaceResolver {
  const { packages, errors } = readWorkspacePackages(manifests);
  const workspace = new VirtualWorkspace(host, packages);
  const tsconfigs = new TsconfigIndex(workspace);
  const moduleHost = workspace.moduleResolutionHost();
  const perConfig = new Map<Tsconfig | undefined, ConfigResolution>();
  const configResolution = (config: Tsconfig | undefined): ConfigResolution => {
    let found = perConfig.get(config);
    if (!found) perConfig.set(config, (found = new ConfigResolution(config, moduleHost)));
    return found;
  };

  const resolveUncached = (fromFile: string, specifier: string, config: Tsconfig | undefined): Resolution => {
    if (specifier.startsWith('.') || specifier.startsWith('/')) {
      const target = specifier.startsWith('/')
        ? normalize(specifier.slice(1))
        : normalize(joinPath(dirname(fromFile), specifier));
      if (target === undefined) return { kind: 'unresolved', detail: `"${specifier}" points outside the workspace` };
      // A path with its extension names that file, whatever TypeScript would prefer (bundlers do
      // the same); assets (`./logo.svg`) only resolve this way.
      if (host.files.has(target) && /\.[^./]+$/.test(target)) return { kind: 'file', file: target };
      const file =
        (config?.options.moduleSuffixes ? undefined : firstCandidate(target, host.files)) ??
        configResolution(config).resolve(fromFile, specifier);
      if (file) return { kind: 'file', file: runtimeFileOf(file, host.files) };
      return {
        kind: 'unresolved',
        detail: `no file matches "${specifier}" (looked for ${target} with extensions and index files)`,
        missingPath: withoutScriptExtension(target),
      };
    }
    // Its `paths` and `baseUrl` may map any bare name, and they are unknown.
    if (config?.problem) return { kind: 'unresolved', detail: `"${specifier}" cannot be resolved: ${config.problem}` };
    // Bare: the governing config, then the root configs (an alias a bundler plugin takes from there).
    const tried = [config, ...tsconfigs.roots.map((file) => tsconfigs.load(file))].filter(
      (candidate, index, all) => all.indexOf(candidate) === index,
    );
    for (const candidate of tried) {
      const resolved = configResolution(candidate).resolve(fromFile, specifier);
      if (resolved === undefined) continue;
      if (resolved.includes('node_modules/')) return { kind: 'external', packageName: installedPackage(resolved) };
      const file = runtimeFileOf(resolved, host.files);
      const pkg = packages.get(packageNameOf(specifier));
      // `"types": "./index.d.ts"` wins for TypeScript; what runs is `main`/`exports` (built from source).
      if (isDeclarationFile(file) && pkg) {
        const entry = workspacePackageEntry(pkg, specifier.slice(pkg.name.length), host.files, outputsOf(pkg));
        if (entry.kind === 'file' && !isDeclarationFile(entry.file)) return entry;
      }
      return { kind: 'file', file, ...viaManifest(fromFile, specifier, resolved) };
    }
    return unresolvedBare(specifier, tried, {
      files: host.files,
      packages,
      hasDirectory: (path) => workspace.hasDirectory(path),
      outputsOf,
    });
  };

  /** Where the package's own tsconfigs compile to, from where (`rootDir`, else its `src` folder). */
  const outputsOf = (pkg: WorkspacePackage): OutputFolder[] =>
    tsconfigs.inFolder(pkg.root).flatMap((file) => {
      const { options, problem } = tsconfigs.load(file);
      if (problem) return [];
      const rootDir =
        options.rootDir !== undefined
          ? relative(options.rootDir)
          : workspace.hasDirectory(joinPath(pkg.root, 'src'))
            ? joinPath(pkg.root, 'src')
            : pkg.root;
      return [options.outDir, options.declarationDir]
        .filter((folder): folder is string => folder !== undefined)
        .map((folder) => ({ outDir: relative(folder), rootDir }));
    });

  /** The package.json whose `exports`/`imports`/`main` chose the file: a change to it counts. */
  const viaManifest = (fromFile: string, specifier: string, file: string): { via?: string[] } => {
    if (specifier.startsWith('#')) {
      for (let folder = dirname(fromFile); ; folder = dirname(folder)) {
        const manifest = joinPath(folder, 'package.json');
        if (host.files.has(manifest)) return { via: [manifest] };
        if (folder === '') return {};
      }
    }
    const pkg = packages.get(packageNameOf(specifier));
    return pkg && (pkg.root === '' || file.startsWith(`${pkg.root}/`))
      ? { via: [joinPath(pkg.root, 'package.json')] }
      : {};
  };

  // A bare specifier resolves the same from every file its config governs (one node_modules, at
  // the root); a relative one the same from every file of a folder.
  const memo = new Map<Tsconfig | undefined, Map<string, Resolution>>();
  const resolve: Resolver = (fromFile, specifier) => {
    const cleaned = cleanSpecifier(specifier);
    if (cleaned.startsWith('node:') || BUILTINS.has(cleaned) || BUILTINS.has(cleaned.split('/')[0]))
      return { kind: 'builtin' };
    const config = tsconfigs.governingOf(fromFile);
    let known = memo.get(config);
    if (!known) memo.set(config, (known = new Map()));
    const bare = !cleaned.startsWith('.') && !cleaned.startsWith('/') && !cleaned.startsWith('#');
    const key = bare ? cleaned : `${dirname(fromFile)}\0${cleaned}`;
    let resolution = known.get(key);
    if (!resolution) known.set(key, (resolution = resolveUncached(fromFile, cleaned, config)));
    return resolution;
  };

  return {
    resolve,
    tsconfigOf: (file) => tsconfigs.governingOf(file),
    tsconfig: (file) => tsconfigs.load(file),
    rootTsconfig: () => (tsconfigs.roots.length > 0 ? tsconfigs.load(tsconfigs.roots[0]) : undefined),
    allTsconfigs: () => tsconfigs.all(),
    configReads: () => workspace.configReads(),
    packages,
    errors,
  };
}

/** `ts.resolveModuleName` under one config's options, with its own module-resolution cache. */
class ConfigResolution {
  private readonly options: ts.CompilerOptions;
  private readonly cache: ts.ModuleResolutionCache;

  constructor(
    config: Tsconfig | undefined,
    private readonly host: ts.ModuleResolutionHost,
  ) {
    const t = typescriptApi();
    // Bundler resolution whatever the config says: `exports` and `imports` with conditions,
    // no extension needed, JavaScript and JSON resolved too (what a bundler ships).
    this.options = {
      ...config?.options,
      module: t.ModuleKind.ESNext,
      moduleResolution: t.ModuleResolutionKind.Bundler,
      allowJs: true,
      resolveJsonModule: true,
    };
    this.cache = t.createModuleResolutionCache('/', (file) => file, this.options);
  }

  /** The workspace-relative file TypeScript resolves `specifier` to, or undefined. */
  resolve(fromFile: string, specifier: string): string | undefined {
    const t = typescriptApi();
    const containing = absolute(fromFile);
    // A relative path is asked once per folder (memoised by the caller): the compiler's cache
    // would only cost (it doubles the time of a relative resolution).
    const cache = specifier.startsWith('.') || specifier.startsWith('/') ? undefined : this.cache;
    // `import` conditions first; a package that only answers `require` still resolves.
    for (const mode of [undefined, t.ModuleKind.CommonJS] as const) {
      const { resolvedModule } = t.resolveModuleName(
        specifier,
        containing,
        this.options,
        this.host,
        cache,
        undefined,
        mode,
      );
      if (resolvedModule) return relative(resolvedModule.resolvedFileName);
    }
    return undefined;
  }
}

/**
 * TypeScript's answer for a relative path when its first candidate exists: `./a` is `a.ts` (else
 * `a.tsx`), `./a.js` is `a.ts`. Asking the compiler costs ~30 µs a path, and most relative
 * imports are this case; any other goes to `ts.resolveModuleName`.
 */
function firstCandidate(target: string, files: ReadonlySet<string>): string | undefined {
  const extension = /\.[cm]?js$/.exec(target)?.[0];
  if (extension) {
    const source = `${target.slice(0, -extension.length)}${extension.replace('js', 'ts')}`;
    return files.has(source) ? source : undefined;
  }
  if (files.has(`${target}.ts`)) return `${target}.ts`;
  if (files.has(`${target}.tsx`)) return `${target}.tsx`;
  return undefined;
}

/** TypeScript prefers `a.d.ts` to `a.js`; what runs, and ships, is `a.js`. */
function runtimeFileOf(file: string, files: ReadonlySet<string>): string {
  for (const [pattern, extensions] of RUNTIME_OF_DECLARATION) {
    if (!pattern.test(file)) continue;
    const stem = file.replace(pattern, '');
    for (const extension of extensions) if (files.has(stem + extension)) return stem + extension;
  }
  return file;
}

/** `./view?raw` → `./view`; `#internal` stays (package imports). */
function cleanSpecifier(specifier: string): string {
  const query = specifier.search(/[?#]/);
  return query > 0 ? specifier.slice(0, query) : specifier;
}

function installedPackage(path: string): string {
  return packageNameOf(path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
}
