import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CreateDependencies, RawProjectGraphDependency } from '@nx/devkit';
import { ownerRoot } from '../core/affected/decide-deployable';
import { isSourceFile } from '../core/extract/file-kinds';
import { EXTRACTOR_VERSION, summarizeModule } from '../core/extract/summarize-module';
import { createImportGraph, type ImportGraph } from '../core/graph/import-graph';
import type { ModuleSummary } from '../core/module-summary';
import { isWorkspaceManifest } from '../core/resolve/workspace-packages';
import { LOCKFILE_NAMES } from '../core/lockfile/lockfiles';
import { createWorkspaceResolver } from '../core/resolve/workspace-resolver';
import { setCompilerLoader } from '../core/extract/typescript-api';
import { BUILD_VERSION, cachedCompilerLoader, PARSER_VERSION, ParseCache } from '../engine-caches';
// Nx's own devkit module rather than `@nx/devkit`, as in create-nodes.ts.
import { DependencyType, validateDependency } from 'nx/src/devkit-exports';

/**
 * Adds the project edges that source imports create, so workspaces without `@nx/js` (Nx 24
 * analyses no source files by itself) still get a project graph that follows the code. Every
 * import counts, type-only included: that matches `@nx/js` and keeps build and typecheck order
 * right; deploy decisions at file and symbol precision ignore type-only edges on their own.
 * Summaries come from the parse cache keyed by Nx's file hashes, so a warm run parses nothing.
 *
 * Only `filesToProcess` are analysed, as Nx's own analysis does: Nx keeps the edges it recorded
 * for unchanged files (per file, in its file-map cache) and asks again only for changed ones, so
 * a graph computation after editing one file analyses one file.
 *
 * Where Nx asks about every file (its own caches are gone, as in a CI job that restores only
 * nx-lockstep's), each file's resolved imports are remembered too, under its hash and a key of
 * everything else resolution reads (see resolutionKey): a file found there needs no summary, no
 * tsconfig and no resolver, and a graph answered wholly from there never loads the compiler.
 */
// Long on purpose: Nx's one entry, reading its context once and sharing it with the per-file steps.
export const createDependencies: CreateDependencies = (_options, context) => {
  const { workspaceRoot } = context;
  const toProcess = context.filesToProcess?.projectFileMap ?? context.fileMap.projectFileMap;
  // Nothing to analyse: answer before loading the parse cache or the resolver.
  if (!Object.values(toProcess).some((files) => files.some((file) => isSourceFile(file.file)))) return [];
  // The compiler through the workspace's code cache, as the affected-deploy executor loads it in
  // Nx's process: parsing one changed file cost every Nx command ~0.2 s of compiling it from source.
  setCompilerLoader(cachedCompilerLoader(workspaceRoot));
  const cache = ParseCache.load(workspaceRoot, 'parse-cache-nx');
  const hashes = new Map<string, string>();
  const fileProject = new Map<string, string>();
  for (const [project, files] of Object.entries(context.fileMap.projectFileMap)) {
    for (const file of files) {
      hashes.set(file.file, file.hash);
      fileProject.set(file.file, project);
    }
  }
  for (const file of context.fileMap.nonProjectFiles) hashes.set(file.file, file.hash);

  const readText = (file: string): string | undefined => {
    try {
      return readFileSync(join(workspaceRoot, file), 'utf8');
    } catch {
      return undefined;
    }
  };
  // The resolver and the import graph only when some file is not remembered.
  let graph: ImportGraph | undefined;
  const importGraph = (): ImportGraph => {
    if (graph) return graph;
    const manifests = new Map<string, string>();
    for (const file of hashes.keys()) {
      if (isWorkspaceManifest(file)) {
        const text = readText(file);
        if (text !== undefined) manifests.set(file, text);
      }
    }
    // Nx hands the workspace as it is on disk: resolve over its files, installed packages included.
    const resolver = createWorkspaceResolver(
      { files: new Set(hashes.keys()), readFile: readText, readInstalled: readText },
      manifests,
    );
    return (graph = createImportGraph((file): ModuleSummary | undefined => {
      const hash = hashes.get(file);
      if (!hash || !isSourceFile(file)) return undefined;
      return cache.summary(`nx:${hash}`, () => summarizeModule(file, readText(file) ?? ''));
    }, resolver.resolve));
  };
  // Worked out when a source file is first asked about: it sorts and hashes every path, which a
  // graph computation whose changed files are not sources (a README, a config) need not pay.
  let key: string | undefined | null = null;
  const resolvedImports = (file: string): ResolvedImport[] => {
    const compute = () => resolvedImportsOf(importGraph(), file);
    const hash = hashes.get(file);
    if (key === null) key = resolutionKey(hashes);
    return key && hash ? cache.value(`nxedges:${hash}:${key}:${file}`, compute, isResolvedImports) : compute();
  };

  const projectRoots = Object.entries(context.projects).map(
    ([name, project]) => [name, project.root === '.' ? '' : project.root] as const,
  );
  const projectByRoot = new Map(projectRoots.map(([name, root]) => [root, name]));
  const roots = projectRoots.map(([, root]) => root);
  const projectOf = (file: string) => fileProject.get(file) ?? projectByRoot.get(ownerRoot(file, roots) ?? '\0');

  const dependencies: RawProjectGraphDependency[] = [];
  const seen = new Set<string>();
  for (const [source, projectFiles] of Object.entries(toProcess)) {
    for (const { file } of projectFiles) {
      if (!isSourceFile(file)) continue;
      for (const [kind, to, dynamic] of resolvedImports(file)) {
        let target: string | undefined;
        if (kind === 'file') target = projectOf(to);
        else if (context.externalNodes?.[`npm:${to}`]) target = `npm:${to}`;
        if (!target || target === source) continue;
        const type = dynamic ? DependencyType.dynamic : DependencyType.static;
        const key = `${source}\0${target}\0${file}\0${type}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const dependency: RawProjectGraphDependency = {
          source,
          target,
          sourceFile: file,
          type,
        } as RawProjectGraphDependency;
        try {
          validateDependency(dependency, context);
          dependencies.push(dependency);
        } catch {
          // A dependency Nx rejects (e.g. onto a project it does not know) is left out, not fatal.
        }
      }
    }
  }
  cache.save();
  return dependencies;
};

/** One import of a file as the project graph needs it: a workspace file or a package, and whether it is a (value) dynamic import. */
type ResolvedImport = [kind: 'file' | 'package', target: string, dynamic: boolean];

function resolvedImportsOf(graph: ImportGraph, file: string): ResolvedImport[] {
  const imports: ResolvedImport[] = [];
  for (const edge of graph.edgesOf(file)) {
    const dynamic = edge.kind === 'dynamic' && !edge.typeOnly;
    if (edge.resolution.kind === 'file') imports.push(['file', edge.resolution.file, dynamic]);
    else if (edge.resolution.kind === 'external') imports.push(['package', edge.resolution.packageName, dynamic]);
  }
  return imports;
}

function isResolvedImports(value: unknown): value is ResolvedImport[] {
  return (
    Array.isArray(value) &&
    value.every(
      (entry) =>
        Array.isArray(entry) &&
        entry.length === 3 &&
        (entry[0] === 'file' || entry[0] === 'package') &&
        typeof entry[1] === 'string' &&
        typeof entry[2] === 'boolean',
    )
  );
}

/** Files whose content can decide how an import resolves: configs, manifests, lockfiles, workspace lists. */
const RESOLUTION_INPUT = /\.(json|jsonc|json5|ya?ml|lock|lockb)$/;

/**
 * A key of everything a file's resolution reads besides its own text: this build of the plugin,
 * every path of the workspace (what exists), and by Nx's hash every tsconfig, package.json,
 * workspace list and lockfile (the lockfile stands for the installed packages, whose manifests
 * and tsconfigs resolution may read). Undefined when the workspace has no lockfile Nx sees: the
 * installed packages are then unknown, and nothing is remembered.
 */
function resolutionKey(hashes: ReadonlyMap<string, string>): string | undefined {
  if (!LOCKFILE_NAMES.some((file) => hashes.has(file))) return undefined;
  const hash = createHash('sha1').update(`${BUILD_VERSION}\0${EXTRACTOR_VERSION}\0${PARSER_VERSION}\n`);
  for (const path of [...hashes.keys()].sort()) {
    hash.update(RESOLUTION_INPUT.test(path) ? `${path}\0${hashes.get(path)}\n` : `${path}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}
