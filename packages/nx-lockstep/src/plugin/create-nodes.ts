/**
 * The `createNodesV2` plugin: every deployable project gets an inferred `deploy` and
 * `affected-deploy` target. One batch call sees every project.json/package.json in the
 * workspace; results are cached per project in the workspace data directory, keyed by a hash of
 * the options and of what the inference reads (config files, the root's file list).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join as joinNative } from 'node:path';
import { dirname, join } from 'node:path/posix';
import {
  createNodesFromFiles,
  hashArray,
  readJsonFile,
  writeJsonFile,
  type CreateNodesContext,
  type CreateNodesResult,
  type CreateNodesV2,
} from '@nx/devkit';
import * as cacheDirectory from 'nx/src/utils/cache-directory';
import { inferDeployable, type DeployableInference } from './infer-deployable';
import { effectiveMarkerGlobs } from './markers';
import { normalizeLockstepOptions, type LockstepOptions, type LockstepPluginOptions } from '../config/options';
import { readProjectFacts, type ProjectConfigFiles } from './project-facts';
import { packageJsonProjectMatcher } from './package-json-projects';

export const PROJECT_CONFIG_GLOB = '{project.json,package.json,**/project.json,**/package.json}';

type InferenceCache = Record<string, DeployableInference | null>;

// Part of the cache key: a new plugin version may infer different targets from the same files.
const PLUGIN_VERSION = readPluginVersion();

export const createNodesV2: CreateNodesV2<LockstepPluginOptions> = [
  PROJECT_CONFIG_GLOB,
  async (configFiles, rawOptions, context) => {
    const options = normalizeLockstepOptions(rawOptions);
    const optionsHash = hashArray([PLUGIN_VERSION, JSON.stringify(options)]);
    const cachePath = join(dataDirectory(context.workspaceRoot), `nx-lockstep-${optionsHash}.hash`);
    const useCache = process.env.NX_CACHE_PROJECT_GRAPH !== 'false';
    const cache: InferenceCache = useCache ? readCache(cachePath) : {};
    const fresh: InferenceCache = {};

    const projects = projectConfigFiles(configFiles, context.workspaceRoot);
    const byFile = new Map(projects.map((p) => [p.projectJson ?? p.packageJson!, p]));
    try {
      // createNodesFromFiles runs every project and throws one AggregateCreateNodesError with all
      // failures (and the partial results), instead of stopping at the first bad project.
      return await createNodesFromFiles(
        (file) => createNodesForProject(byFile.get(file)!, options, context, cache, fresh),
        [...byFile.keys()],
        options,
        context,
      );
    } finally {
      // Only this run's entries are written, so entries of deleted or changed projects drop out.
      if (useCache) writeCache(cachePath, fresh);
    }
  },
];

function createNodesForProject(
  config: ProjectConfigFiles,
  options: LockstepOptions,
  context: CreateNodesContext,
  cache: InferenceCache,
  fresh: InferenceCache,
): CreateNodesResult {
  const { facts, hashInputs } = readProjectFacts(context.workspaceRoot, config, effectiveMarkerGlobs(options));
  const hash = hashArray(hashInputs);
  const inference = hash in cache ? cache[hash] : (inferDeployable(facts, options) ?? null);
  fresh[hash] = inference;
  if (!inference) return {};
  return { projects: { [config.root]: { targets: inference.targets } } };
}

/**
 * Groups the matched config files by project root and keeps the roots Nx treats as projects:
 * a project.json root, or a package.json that package-manager workspaces list.
 */
export function projectConfigFiles(configFiles: readonly string[], workspaceRoot: string): ProjectConfigFiles[] {
  const roots = new Map<string, ProjectConfigFiles>();
  const rootOf = (file: string) => {
    const root = dirname(file.replace(/\\/g, '/'));
    if (!roots.has(root)) roots.set(root, { root });
    return roots.get(root)!;
  };
  let isWorkspacePackage: ((path: string) => boolean) | undefined;
  for (const file of configFiles) {
    if (file.endsWith('project.json')) rootOf(file).projectJson = file;
  }
  for (const file of configFiles) {
    if (!file.endsWith('package.json')) continue;
    const root = dirname(file);
    isWorkspacePackage ??= packageJsonProjectMatcher(workspaceRoot);
    if (roots.has(root) || isWorkspacePackage(file)) rootOf(file).packageJson = file;
  }
  return [...roots.values()].sort((a, b) => a.root.localeCompare(b.root));
}

function dataDirectory(workspaceRoot: string): string {
  // Older Nx versions only export the directory of the current workspace.
  const forWorkspace = (cacheDirectory as { workspaceDataDirectoryForWorkspace?: (root: string) => string })
    .workspaceDataDirectoryForWorkspace;
  return forWorkspace ? forWorkspace(workspaceRoot) : cacheDirectory.workspaceDataDirectory;
}

function readPluginVersion(): string {
  try {
    // src/plugin and dist/plugin both sit two levels below the package root.
    return String(JSON.parse(readFileSync(joinNative(__dirname, '..', '..', 'package.json'), 'utf-8')).version);
  } catch {
    return 'unknown';
  }
}

function readCache(path: string): InferenceCache {
  try {
    return existsSync(path) ? readJsonFile<InferenceCache>(path) : {};
  } catch {
    return {}; // a corrupt cache is just a miss
  }
}

function writeCache(path: string, cache: InferenceCache): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeJsonFile(path, cache);
  } catch {
    // Caching is an optimisation: a read-only data directory must not break the project graph.
  }
}
