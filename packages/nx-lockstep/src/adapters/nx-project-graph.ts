import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { isSourceFile } from '../core/extract/file-kinds';
import type { GitTree } from './git-tree';
import { workspaceDataDirectory } from './parse-cache';

/** The part of a project-graph node the engine reads. */
export interface WorkspaceProject {
  name: string;
  /** Workspace-relative root ('' for a project at the workspace root). */
  root: string;
  tags: string[];
  targets: Record<string, WorkspaceTarget>;
  /** The project's own `namedInputs` (nx.json's are read from nx.json). */
  namedInputs?: Record<string, unknown[]>;
}

/** The part of a target the engine reads: `inputs`/`outputs` as Nx has them after targetDefaults. */
export interface WorkspaceTarget {
  executor?: string;
  options?: Record<string, unknown>;
  inputs?: unknown[];
  outputs?: string[];
}

export interface WorkspaceProjectGraph {
  projects: Record<string, WorkspaceProject>;
  /** project → the workspace projects it depends on (Nx edges, external nodes dropped). */
  dependencies: Record<string, string[]>;
  /** Set when `touchedFiles` were given: what `nx show projects --affected` would list. */
  affected?: string[];
}

/**
 * Computes the Nx project graph of `workspaceRoot` (and, given the touched files, Nx's own
 * affected projects) in a child process: Nx fixes its workspace root when first loaded, so a
 * fresh process is the only way to read any workspace from a long-lived process or a test.
 */
export function readNxProjectGraph(
  workspaceRoot: string,
  affectedBetween?: { base: string; head: string; touchedFiles: string[] },
): WorkspaceProjectGraph {
  return runWorker(workspaceRoot, { affectedBetween: affectedBetween ?? null, projectsOnly: false });
}

/**
 * The projects alone (names, roots, targets after inference), without dependencies: much
 * cheaper than the whole graph, and all file and symbol precision need.
 */
export function readNxProjects(workspaceRoot: string): WorkspaceProjectGraph {
  return runWorker(workspaceRoot, { affectedBetween: null, projectsOnly: true });
}

/**
 * `readNxProjects`, remembered in the workspace data directory under `key` — a hash of every
 * input Nx's plugins read to infer projects (see analyze.ts). A different key recomputes; an
 * unreadable or foreign file is ignored.
 */
export async function readNxProjectsCached(
  workspaceRoot: string,
  key: string | undefined,
): Promise<WorkspaceProjectGraph> {
  if (!key) return readNxProjectsAsync(workspaceRoot);
  const file = join(workspaceDataDirectory(workspaceRoot), 'nx-lockstep', 'projects.cache');
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as {
      format?: unknown;
      key?: unknown;
      graph?: WorkspaceProjectGraph;
    };
    if (
      stored.format === PROJECTS_CACHE_FORMAT &&
      stored.key === key &&
      stored.graph &&
      typeof stored.graph.projects === 'object'
    )
      return stored.graph;
  } catch {
    // No cache yet, or one we do not trust: compute.
  }
  const graph = await readNxProjectsAsync(workspaceRoot);
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify({ format: PROJECTS_CACHE_FORMAT, key, graph }));
    renameSync(`${file}.${process.pid}.tmp`, file);
  } catch {
    // A read-only workspace just recomputes next time.
  }
  return graph;
}

const PROJECTS_CACHE_FORMAT = 'nx-lockstep-projects-2';

/**
 * What Nx's plugins read to infer projects: every file that is not plain source (project.json,
 * package.json, nx.json, marker files, configs) plus `*.config.*` sources, by blob id (`files`:
 * path → blob at the checked-out commit), and the nx version and environment. Editing ordinary
 * source files keeps the key, so warm runs skip Nx.
 */
export function projectsCacheKey(files: ReadonlyMap<string, string>, workspaceRoot: string): string {
  const hash = createHash('sha1');
  hash.update(`nx ${nxVersion(workspaceRoot)}\0${process.env.NX_ISOLATE_PLUGINS ?? ''}\0`);
  for (const [path, blob] of files) {
    if (isSourceFile(path) && !/(^|\/)[^/]*\.config\.[^/]+$/.test(path)) continue;
    hash.update(`${path}\0${blob}\0`);
  }
  return hash.digest('hex');
}

/**
 * The projects of the working tree (what `readNxProjects` computes), from the projects cache
 * while the working tree is exactly the checked-out commit: what names the deployables for
 * `lockstep status` and for reading deploy markers, without starting Nx on every command.
 */
export async function readCurrentProjects(git: GitTree): Promise<WorkspaceProjectGraph> {
  const head = git.resolveCommit('HEAD');
  const clean = head !== undefined && !(await git.hasUncommittedChanges());
  return readNxProjectsCached(
    git.workspaceRoot,
    clean ? projectsCacheKey(git.listFiles(head), git.workspaceRoot) : undefined,
  );
}

/** The nx version that computes the graph: part of the projects cache key. */
export function nxVersion(workspaceRoot: string): string {
  return (JSON.parse(readFileSync(resolveNx(workspaceRoot), 'utf8')) as { version: string }).version;
}

/** `readNxProjects` in a child process the caller does not wait for: it can parse meanwhile. */
export function readNxProjectsAsync(workspaceRoot: string): Promise<WorkspaceProjectGraph> {
  return runWorkerAsync(workspaceRoot, { affectedBetween: null, projectsOnly: true });
}

/** `readNxProjectGraph` without blocking the caller. */
export function readNxProjectGraphAsync(
  workspaceRoot: string,
  affectedBetween?: AffectedBetween,
): Promise<WorkspaceProjectGraph> {
  return runWorkerAsync(workspaceRoot, { affectedBetween: affectedBetween ?? null, projectsOnly: false });
}

export type AffectedBetween = { base: string; head: string; touchedFiles: string[] };
type WorkerRequest = { affectedBetween: AffectedBetween | null; projectsOnly: boolean };

/** The whole Nx project graph being computed, with Nx's affected projects per range asked later. */
export interface PendingNxProjectGraph {
  /**
   * Nx's affected projects for each range (in order), and the graph. Call once: the ranges go to
   * the child process, which has been computing the graph since it was started.
   */
  affected(ranges: AffectedBetween[]): Promise<WorkspaceProjectGraph & { affectedByRange: string[][] }>;
}

/**
 * Starts computing the whole project graph in a child process right away (node start-up, loading
 * Nx and the graph overlap with the caller's git reads); the ranges are sent when known, so Nx
 * computes the graph once for every base.
 */
export function startNxProjectGraph(workspaceRoot: string): PendingNxProjectGraph {
  const {
    input,
    ranges: _none,
    ...options
  } = workerOptions(workspaceRoot, { affectedBetween: null, projectsOnly: false });
  const child = spawn(process.execPath, ['-e', WORKER, input], { ...options, stdio: ['pipe', 'pipe', 'pipe'] });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  // The graph is asked for at most once; an unused one must not keep the caller alive.
  const done = new Promise<WorkspaceProjectGraph & { affectedByRange: string[][] }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      try {
        resolve(
          parseWorkerOutput(
            workspaceRoot,
            status,
            Buffer.concat(stdout).toString('utf8'),
            Buffer.concat(stderr).toString('utf8'),
          ) as WorkspaceProjectGraph & { affectedByRange: string[][] },
        );
      } catch (error) {
        reject(error);
      }
    });
  });
  done.catch(() => undefined);
  // Until the ranges are sent, a caller that fails (a usage error) must not wait for the child.
  const handles = [child, child.stdin, child.stdout, child.stderr] as Array<{ ref(): unknown; unref(): unknown }>;
  for (const handle of handles) handle.unref();
  return {
    affected(ranges) {
      for (const handle of handles) handle.ref();
      child.stdin.end(JSON.stringify({ ranges }));
      return done;
    },
  };
}

function workerOptions(workspaceRoot: string, request: WorkerRequest) {
  return {
    cwd: workspaceRoot,
    // The argument starts the work; ranges (which can be long) go to stdin.
    input: JSON.stringify({ nxDir: dirname(resolveNx(workspaceRoot)), projectsOnly: request.projectsOnly }),
    ranges: JSON.stringify({ ranges: request.affectedBetween ? [request.affectedBetween] : [] }),
    env: {
      ...process.env,
      NX_WORKSPACE_ROOT_PATH: workspaceRoot,
      NX_DAEMON: process.env.NX_DAEMON ?? 'false',
      NX_ISOLATE_PLUGINS: process.env.NX_ISOLATE_PLUGINS ?? 'false',
      NX_NO_CLOUD: 'true',
    },
  };
}

function parseWorkerOutput(
  workspaceRoot: string,
  status: number | null,
  stdout: string,
  stderr: string,
): WorkspaceProjectGraph {
  const marker = stdout.lastIndexOf('\n@@lockstep-graph@@');
  if (status !== 0 || marker < 0) {
    throw new Error(`Could not compute the Nx project graph of ${workspaceRoot}:\n${(stderr || stdout).trim()}`);
  }
  return JSON.parse(stdout.slice(marker + '\n@@lockstep-graph@@'.length)) as WorkspaceProjectGraph;
}

function runWorker(workspaceRoot: string, request: WorkerRequest): WorkspaceProjectGraph {
  const { input, ranges, ...options } = workerOptions(workspaceRoot, request);
  const result = spawnSync(process.execPath, ['-e', WORKER, input], {
    ...options,
    input: ranges,
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
  });
  return parseWorkerOutput(
    workspaceRoot,
    result.status,
    result.stdout ?? '',
    result.stderr || String(result.error ?? ''),
  );
}

function runWorkerAsync(workspaceRoot: string, request: WorkerRequest): Promise<WorkspaceProjectGraph> {
  const { input, ranges, ...options } = workerOptions(workspaceRoot, request);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', WORKER, input], { ...options, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      try {
        resolve(
          parseWorkerOutput(
            workspaceRoot,
            status,
            Buffer.concat(stdout).toString('utf8'),
            Buffer.concat(stderr).toString('utf8'),
          ),
        );
      } catch (error) {
        reject(error);
      }
    });
    child.stdin.end(ranges);
  });
}

/** The workspace's own nx (it knows the workspace's plugins), else the one this package runs with. */
function resolveNx(workspaceRoot: string): string {
  try {
    return require.resolve('nx/package.json', { paths: [workspaceRoot] });
  } catch {
    return require.resolve('nx/package.json');
  }
}

const WORKER = `
// The request comes as an argument so the work starts at once; ranges for Nx's affected
// computation may follow on stdin (a JSON { ranges }), read once the graph is there.
const { nxDir, projectsOnly } = JSON.parse(process.argv[1]);
const stdinText = new Promise((resolve) => {
  const chunks = [];
  process.stdin.on('data', (chunk) => chunks.push(chunk));
  process.stdin.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
});
(async () => {
  const internal = (path) => require(nxDir + '/dist/src/' + path);
  const projects = {};
  const addProject = (name, data) => {
    const targets = {};
    for (const [targetName, target] of Object.entries(data.targets || {})) {
      targets[targetName] = { executor: target.executor, options: target.options, inputs: target.inputs, outputs: target.outputs };
    }
    const root = !data.root || data.root === '.' ? '' : data.root;
    projects[name] = { name, root, tags: data.tags || [], targets, namedInputs: data.namedInputs };
  };
  let dependencies = {};
  let affected;
  let affectedByRange;
  let done = false;
  if (projectsOnly) {
    // Project configurations alone (plugins' createNodes), without hashing every file or
    // analysing dependencies: all file/symbol precision needs. Nx internals: fall back if moved.
    try {
      const nxJson = internal('config/nx-json.js').readNxJson();
      const plugins = internal('project-graph/plugins/get-plugins.js');
      const separated = await plugins.getPluginsSeparated(nxJson);
      const result = await internal('project-graph/utils/retrieve-workspace-files.js').retrieveProjectConfigurations(separated, process.cwd(), nxJson);
      for (const config of Object.values(result.projects)) addProject(config.name, config);
      try { plugins.cleanupPlugins(); } catch {}
      done = true;
    } catch (error) {
      if (process.env.LOCKSTEP_DEBUG) console.error(error);
    }
  }
  if (!done) {
    const devkit = internal('devkit-exports.js');
    const graph = await devkit.createProjectGraphAsync({ exitOnError: false });
    for (const [name, node] of Object.entries(graph.nodes)) addProject(name, node.data);
    for (const [name, deps] of Object.entries(graph.dependencies)) {
      dependencies[name] = [...new Set(deps.map((d) => d.target).filter((t) => graph.nodes[t] && t !== name))];
    }
    const later = JSON.parse((await stdinText) || '{}');
    const ranges = later.ranges || [];
    if (ranges.length > 0) {
      const { calculateFileChanges } = internal('project-graph/file-utils.js');
      const { filterAffected } = internal('project-graph/affected/affected-project-graph.js');
      affectedByRange = [];
      for (const { base, head, touchedFiles } of ranges) {
        const changes = calculateFileChanges(touchedFiles, { base, head });
        affectedByRange.push(Object.keys((await filterAffected(graph, changes)).nodes));
      }
      affected = affectedByRange[0];
    }
  }
  process.stdout.write('\\n@@lockstep-graph@@' + JSON.stringify({ projects, dependencies, affected, affectedByRange }), () => process.exit(0));
})().catch((error) => {
  console.error(error && error.stack ? error.stack : String(error));
  process.exit(1);
});
`;
