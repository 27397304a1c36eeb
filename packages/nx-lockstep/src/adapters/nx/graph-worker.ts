/**
 * The child process that reads a workspace's Nx project graph: `node graph-worker.js <request>`,
 * started by ../nx-project-graph.ts. Nx fixes its workspace root when first loaded, so a fresh
 * process is the only way to read any workspace from a long-lived process or a test.
 *
 * This is the one module that knows where Nx keeps what. Every entry point is required as
 * `nx/src/<path>`: early 22.x releases ship those files at that path, later ones map it to
 * `dist/src/<path>` through package.json `exports`, so one specifier works from 22 to 24 in npm,
 * pnpm (symlinked `.pnpm/nx@…`) and yarn layouts. The caller checks the version first.
 *
 * Self-contained on purpose (node built-ins and type-only imports): run from source, the caller
 * transpiles this one file.
 */
import { createRequire } from 'node:module';
import type { AffectedBetween, WorkspaceProject, WorkspaceProjectGraph } from '../nx-project-graph';

/** The argument: the work starts at once. */
export interface GraphWorkerRequest {
  /** The nx/package.json to read the graph with (resolved by the caller, version checked). */
  nxPackageJson: string;
  /** Project configurations only (no dependencies, no affected): much cheaper. */
  projectsOnly: boolean;
}

/** Written on stdin once known (ranges can be long); read after the graph is computed. */
export interface GraphWorkerRanges {
  ranges: AffectedBetween[];
}

/** With ranges: per range, in order, what `nx show projects --affected` lists. */
export type GraphWorkerResult = WorkspaceProjectGraph & { affectedByRange?: string[][] };

/** Precedes the JSON result on stdout: Nx plugins may print there too. */
export const RESULT_MARKER = '\n@@lockstep-graph@@';

// The parts of Nx's types this worker reads; Nx's own types differ between majors.
interface NxTarget {
  executor?: string;
  options?: Record<string, unknown>;
  inputs?: unknown[];
  outputs?: string[];
}
interface NxProjectConfiguration {
  name?: string;
  root?: string;
  tags?: string[];
  targets?: Record<string, NxTarget>;
  namedInputs?: Record<string, unknown[]>;
}
export interface NxProjectGraph {
  nodes: Record<string, { data: NxProjectConfiguration }>;
  dependencies: Record<string, Array<{ target: string }>>;
}
type NxJson = Record<string, unknown>;
interface NxPlugins {
  /** Nx 23+: the plugins nx.json names and Nx's defaults, apart. */
  getPluginsSeparated?: (nxJson: NxJson, root: string) => Promise<unknown>;
  /** Nx 22: one list. */
  getPlugins: (root: string) => Promise<unknown>;
  cleanupPlugins?: () => void;
}

/** Nx's entry points for what the engine reads, from the nx at `nxPackageJson`. */
function nxEntryPoints(nxPackageJson: string) {
  const nxRequire = createRequire(nxPackageJson);
  const load = <T>(path: string): T => nxRequire(`nx/src/${path}`) as T;
  return {
    /** Public (re-exported by @nx/devkit). */
    devkit: () =>
      load<{ createProjectGraphAsync(options: { exitOnError: boolean }): Promise<NxProjectGraph> }>('devkit-exports'),
    /** Nx's own export for its plugins (present in every supported major). */
    retrieveProjectConfigurations: () =>
      load<{
        retrieveProjectConfigurations(
          plugins: unknown,
          root: string,
          nxJson: NxJson,
        ): Promise<{ projects: Record<string, NxProjectConfiguration> }>;
      }>('devkit-internals').retrieveProjectConfigurations,
    readNxJson: () => load<{ readNxJson(root: string): NxJson }>('config/nx-json').readNxJson,
    plugins: () => load<NxPlugins>('project-graph/plugins/get-plugins'),
    /** What `nx show projects --affected` runs. */
    calculateFileChanges: () =>
      load<{ calculateFileChanges(files: string[], range: { base: string; head: string }): unknown[] }>(
        'project-graph/file-utils',
      ).calculateFileChanges,
    filterAffected: () =>
      load<{ filterAffected(graph: NxProjectGraph, changes: unknown[]): Promise<NxProjectGraph> }>(
        'project-graph/affected/affected-project-graph',
      ).filterAffected,
  };
}

type NxEntryPoints = ReturnType<typeof nxEntryPoints>;

function toWorkspaceProject(name: string, data: NxProjectConfiguration): WorkspaceProject {
  const targets: WorkspaceProject['targets'] = {};
  for (const [targetName, target] of Object.entries(data.targets ?? {})) {
    targets[targetName] = {
      executor: target.executor,
      options: target.options,
      inputs: target.inputs,
      outputs: target.outputs,
    };
  }
  const root = !data.root || data.root === '.' ? '' : data.root;
  return { name, root, tags: data.tags ?? [], targets, namedInputs: data.namedInputs };
}

/**
 * The part of Nx's project graph the engine reads: every project's configuration, and the
 * workspace projects each depends on (external nodes and self-edges dropped). Also for a graph
 * Nx hands an executor (ExecutorContext.projectGraph), which then needs no Nx of its own.
 */
export function workspaceGraphOf(graph: NxProjectGraph): WorkspaceProjectGraph {
  const projects: Record<string, WorkspaceProject> = {};
  const dependencies: Record<string, string[]> = {};
  for (const [name, node] of Object.entries(graph.nodes)) projects[name] = toWorkspaceProject(name, node.data);
  for (const [name, edges] of Object.entries(graph.dependencies)) {
    dependencies[name] = [
      ...new Set(edges.map((edge) => edge.target).filter((target) => graph.nodes[target] && target !== name)),
    ];
  }
  return { projects, dependencies };
}

/**
 * Project configurations alone (plugins' createNodes), without hashing every file or analysing
 * dependencies: all file and symbol precision need. Undefined when Nx's internals moved.
 */
async function readProjectsOnly(nx: NxEntryPoints, root: string): Promise<WorkspaceProjectGraph | undefined> {
  try {
    const nxJson = nx.readNxJson()(root);
    const plugins = nx.plugins();
    const loaded = plugins.getPluginsSeparated
      ? await plugins.getPluginsSeparated(nxJson, root)
      : await plugins.getPlugins(root);
    const result = await nx.retrieveProjectConfigurations()(loaded, root, nxJson);
    const projects: Record<string, WorkspaceProject> = {};
    for (const config of Object.values(result.projects)) {
      if (config.name) projects[config.name] = toWorkspaceProject(config.name, config);
    }
    try {
      plugins.cleanupPlugins?.();
    } catch {
      // Plugin workers exit with this process anyway.
    }
    return { projects, dependencies: {} };
  } catch (error) {
    if (process.env.LOCKSTEP_DEBUG) console.error(error);
    return undefined;
  }
}

/** The whole graph, then Nx's own affected projects for each range sent on stdin. */
async function readWholeGraph(nx: NxEntryPoints, rangesText: Promise<string>): Promise<GraphWorkerResult> {
  const graph = await nx.devkit().createProjectGraphAsync({ exitOnError: false });
  const { projects, dependencies } = workspaceGraphOf(graph);
  const { ranges = [] } = JSON.parse((await rangesText) || '{}') as Partial<GraphWorkerRanges>;
  if (ranges.length === 0) return { projects, dependencies };
  const calculateFileChanges = nx.calculateFileChanges();
  const filterAffected = nx.filterAffected();
  const affectedByRange: string[][] = [];
  for (const { base, head, touchedFiles } of ranges) {
    const changes = calculateFileChanges(touchedFiles, { base, head });
    affectedByRange.push(Object.keys((await filterAffected(graph, changes)).nodes));
  }
  return { projects, dependencies, affectedByRange };
}

async function main(): Promise<void> {
  const request = JSON.parse(process.argv[2]) as GraphWorkerRequest;
  const rangesText = new Promise<string>((resolve) => {
    const chunks: Buffer[] = [];
    process.stdin.on('data', (chunk: Buffer) => chunks.push(chunk));
    process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
  const nx = nxEntryPoints(request.nxPackageJson);
  const result =
    (request.projectsOnly ? await readProjectsOnly(nx, process.cwd()) : undefined) ??
    (await readWholeGraph(nx, rangesText));
  process.stdout.write(RESULT_MARKER + JSON.stringify(result), () => process.exit(0));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error && error.stack ? error.stack : String(error));
    process.exit(1);
  });
}
