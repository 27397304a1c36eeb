/**
 * The `createNodesV2` plugin: every deployable project gets an inferred `deploy` and
 * `affected-deploy` target. One batch call sees every project.json/package.json in the
 * workspace; results are cached per project in the workspace data directory, keyed by a hash of
 * the options and of what the inference reads (config files, the root's file list).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join as joinNative } from 'node:path';
import { basename, dirname, join } from 'node:path/posix';
import { markUsed, removeUnused } from '../engine-caches';
// Nx's own devkit module, which every Nx process has loaded: `@nx/devkit` re-exports it and adds
// its generator helpers, ~55–90 ms more for every Nx command that loads this plugin.
import {
  createNodesFromFiles,
  hashArray,
  readJsonFile,
  writeJsonFile,
  type CreateNodesResult,
  type CreateNodesV2,
} from 'nx/src/devkit-exports';
import * as cacheDirectory from 'nx/src/utils/cache-directory';
import { inferDeployable, type DeployableInference } from './infer-deployable';
import { effectiveMarkerGlobs, type MarkerFile } from './deploy-marker-files';
import { normalizeLockstepOptions, type LockstepOptions, type LockstepPluginOptions } from '../config/options';
import { assignOutsideMarkers, OUTSIDE_MARKER_GLOBS } from './outside-marker-files';
import { readProjectFacts, type ProjectConfigFiles, type ReadProjectFacts } from './project-facts';
import { packageJsonProjectMatcher } from './package-json-projects';
import { inferReportTarget, isRootProject, REPORT_TARGET_NAME } from './report-target';
import { GRAPH_TARGET_NAME, inferGraphTarget } from './graph-target';

/**
 * What the plugin asks Nx for: project config files, and container files anywhere (one that sits
 * outside every project and names one makes it deployable; see outside-marker-files.ts).
 */
export const PLUGIN_GLOB = `{project.json,package.json,**/project.json,**/package.json,${OUTSIDE_MARKER_GLOBS.join(',')}}`;

type InferenceCache = Record<string, DeployableInference | null>;

// Part of the cache key: a new plugin version may infer different targets from the same files.
const PLUGIN_VERSION = readPluginVersion();

export const createNodesV2: CreateNodesV2<LockstepPluginOptions> = [
  PLUGIN_GLOB,
  async (matchedFiles, rawOptions, context) => {
    const options = normalizeLockstepOptions(rawOptions);
    const optionsHash = hashArray([PLUGIN_VERSION, JSON.stringify(options)]);
    const dataFolder = dataDirectory(context.workspaceRoot);
    // Beside the analysis's caches (`<workspace data>/nx-lockstep/`), which the generated
    // pipelines restore: a CI job's first Nx command finds every project's inference there.
    const cachePath = join(dataFolder, 'nx-lockstep', `inference-${optionsHash}.json`);
    const useCache = process.env.NX_CACHE_PROJECT_GRAPH !== 'false';
    const cache: InferenceCache = useCache ? readCache(cachePath) : {};
    const fresh: InferenceCache = {};

    const isConfig = (file: string) => /(^|\/)(project|package)\.json$/.test(file);
    const configFiles = matchedFiles.filter(isConfig);
    const projects = projectConfigFiles(configFiles, context.workspaceRoot);
    const byFile = new Map(projects.map((p) => [p.projectJson ?? p.packageJson!, p]));
    const markerGlobs = effectiveMarkerGlobs(options);
    // Every project's facts first: a container file outside the projects belongs to the one it names.
    const read = new Map(
      projects.map((config) => [config, attempt(() => readProjectFacts(context.workspaceRoot, config, markerGlobs))]),
    );
    const facts = [...read.values()].flatMap((result) => (result.value ? [result.value.facts] : []));
    const outside = assignOutsideMarkers(
      matchedFiles.filter((file) => !isConfig(file)),
      facts.map(({ name, root }) => ({ name, root })),
      options,
    ).byProject;
    try {
      // createNodesFromFiles runs every project and throws one AggregateCreateNodesError with all
      // failures (and the partial results), instead of stopping at the first bad project.
      const results = await createNodesFromFiles(
        (file) => createNodesForProject(read.get(byFile.get(file)!)!, outside, options, cache, fresh),
        [...byFile.keys()],
        options,
        context,
      );
      return [...results, ...reportNode(context.workspaceRoot, matchedFiles)];
    } finally {
      // Only this run's entries are written, so entries of deleted or changed projects drop out.
      if (useCache && !sameEntries(cache, fresh)) {
        writeCache(cachePath, fresh);
        removeEarlierCaches(dataFolder);
        // Those of other plugin versions and options go once unused for 14 days.
        removeUnused(dirname(cachePath), /^inference-[0-9a-f]+\.json$/, basename(cachePath));
      }
    }
  },
];

function createNodesForProject(
  read: Attempt<ReadProjectFacts>,
  outside: ReadonlyMap<string, MarkerFile[]>,
  options: LockstepOptions,
  cache: InferenceCache,
  fresh: InferenceCache,
): CreateNodesResult {
  if (!read.value) throw read.error;
  const outsideMarkers = outside.get(read.value.facts.name) ?? [];
  const facts = { ...read.value.facts, outsideMarkers };
  const hash = hashArray([...read.value.hashInputs, ...outsideMarkers.map((marker) => marker.file)]);
  const inference = hash in cache ? cache[hash] : (inferDeployable(facts, options) ?? null);
  fresh[hash] = inference;
  if (!inference) return {};
  return { projects: { [facts.root]: { targets: inference.targets } } };
}

/** `lockstep-report` and `lockstep-graph` on the root project, when the workspace has one (see report-target.ts). */
function reportNode(workspaceRoot: string, matchedFiles: readonly string[]): Array<[string, CreateNodesResult]> {
  const read = (file: string) =>
    matchedFiles.includes(file) ? readFileSync(joinNative(workspaceRoot, file), 'utf-8') : undefined;
  let projectJson: string | undefined;
  let packageJson: string | undefined;
  try {
    projectJson = read('project.json');
    packageJson = read('package.json');
  } catch {
    return [];
  }
  if (!isRootProject(projectJson, packageJson)) return [];
  const file = projectJson !== undefined ? 'project.json' : 'package.json';
  const targets = { [REPORT_TARGET_NAME]: inferReportTarget(), [GRAPH_TARGET_NAME]: inferGraphTarget() };
  return [[file, { projects: { '.': { targets } } }]];
}

type Attempt<T> = { value: T; error?: undefined } | { value?: undefined; error: unknown };

function attempt<T>(read: () => T): Attempt<T> {
  try {
    return { value: read() };
  } catch (error) {
    return { error };
  }
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
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return {};
    markUsed(path, stat.mtimeMs);
    return readJsonFile<InferenceCache>(path);
  } catch {
    return {}; // a corrupt cache is just a miss
  }
}

/** The same projects' hashes: an Nx command whose projects did not change writes nothing. */
function sameEntries(read: InferenceCache, fresh: InferenceCache): boolean {
  const keys = Object.keys(fresh);
  return keys.length === Object.keys(read).length && keys.every((key) => key in read);
}

/**
 * Earlier versions kept the cache as `<workspace data>/nx-lockstep-<hash>.hash`, outside what the
 * pipelines restore; one file per plugin version and options, none read any more.
 */
function removeEarlierCaches(dataFolder: string): void {
  try {
    for (const name of readdirSync(dataFolder))
      if (/^nx-lockstep-[^/]*\.hash$/.test(name)) rmSync(join(dataFolder, name), { force: true });
  } catch {
    // a folder we cannot list or write: the files stay, unread
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
