import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CreateDependencies, RawProjectGraphDependency } from '@nx/devkit';
import { ownerRoot } from '../core/affected/decide-deployable';
import { isSourceFile } from '../core/extract/file-kinds';
import { summarizeModule } from '../core/extract/summarize-module';
import { createImportGraph } from '../core/graph/import-graph';
import type { ModuleSummary } from '../core/module-summary';
import { isWorkspaceManifest } from '../core/resolve/workspace-packages';
import { createWorkspaceResolver } from '../core/resolve/workspace-resolver';
import { setCompilerLoader } from '../core/extract/typescript-api';
import { cachedCompilerLoader, ParseCache } from '../engine-caches';
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
  const graph = createImportGraph((file): ModuleSummary | undefined => {
    const hash = hashes.get(file);
    if (!hash || !isSourceFile(file)) return undefined;
    return cache.summary(`nx:${hash}`, () => summarizeModule(file, readText(file) ?? ''));
  }, resolver.resolve);

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
      for (const edge of graph.edgesOf(file)) {
        let target: string | undefined;
        if (edge.resolution.kind === 'file') target = projectOf(edge.resolution.file);
        else if (edge.resolution.kind === 'external' && context.externalNodes?.[`npm:${edge.resolution.packageName}`])
          target = `npm:${edge.resolution.packageName}`;
        if (!target || target === source) continue;
        const type = edge.kind === 'dynamic' && !edge.typeOnly ? DependencyType.dynamic : DependencyType.static;
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
