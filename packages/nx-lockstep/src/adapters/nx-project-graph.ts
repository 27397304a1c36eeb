/**
 * The Nx project graph as the engine reads it: computed by ./nx/graph-worker.ts in a child
 * process (the only module that knows Nx's layout), remembered per workspace for the projects
 * alone. Nx 22 or newer, the workspace's own (it knows the workspace's plugins).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { isSourceFile } from '../core/extract/file-kinds';
import type { GitTree } from './git-tree';
import {
  RESULT_MARKER,
  type GraphWorkerRanges,
  type GraphWorkerRequest,
  type GraphWorkerResult,
} from './nx/graph-worker';
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
  if (!key) return readNxProjects(workspaceRoot);
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
  const graph = await readNxProjects(workspaceRoot);
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

/** Source files that plugins read to infer projects: configs, and deploy markers written in TypeScript. */
const INFERENCE_SOURCES = /(^|\/)([^/]*\.config\.[^/]+|vercel\.ts|serverless\.ts)$/;

/**
 * What Nx's plugins read to infer projects: every file that is not plain source (project.json,
 * package.json, nx.json, marker files, configs) plus `*.config.*` sources, by blob id (`files`:
 * path → blob at the checked-out commit), and the nx version and environment. Editing ordinary
 * source files keeps the key, so warm runs skip Nx. `changed`: the working tree's content of
 * the files it holds instead (see workingTreeIds; null: deleted), new files included.
 */
export function projectsCacheKey(
  files: ReadonlyMap<string, string>,
  workspaceRoot: string,
  changed: ReadonlyMap<string, string | null> = new Map(),
): string {
  const hash = createHash('sha1');
  hash.update(`nx ${nxVersion(workspaceRoot)}\0${process.env.NX_ISOLATE_PLUGINS ?? ''}\0`);
  for (const [path, blob] of files) {
    if (!inferenceInput(path) || changed.has(path)) continue;
    hash.update(`${path}\0${blob}\0`);
  }
  // What the working tree holds instead, after the commit's files (another kind of id: never equal to a blob's).
  for (const path of [...changed.keys()].sort())
    hash.update(`working tree\0${path}\0${changed.get(path) ?? 'deleted'}\0`);
  return hash.digest('hex');
}

function inferenceInput(path: string): boolean {
  return !isSourceFile(path) || INFERENCE_SOURCES.test(path);
}

/**
 * The working tree's content ids of the files of `paths` that Nx's plugins may read (see
 * projectsCacheKey; null: deleted), for the projects cache key of a working tree that differs from
 * its commit; undefined when one is neither a file nor a symbolic link (a submodule's folder) or
 * cannot be read.
 */
export function workingTreeIds(
  workspaceRoot: string,
  paths: readonly string[],
): Map<string, string | null> | undefined {
  const ids = new Map<string, string | null>();
  try {
    for (const path of paths) {
      if (!inferenceInput(path)) continue;
      const file = join(workspaceRoot, path);
      const stat = lstatSync(file, { throwIfNoEntry: false });
      if (!stat) ids.set(path, null);
      else if (stat.isSymbolicLink()) ids.set(path, `link ${readlinkSync(file)}`);
      else if (stat.isFile()) ids.set(path, createHash('sha1').update(readFileSync(file)).digest('hex'));
      else return undefined;
    }
  } catch {
    return undefined; // a file that cannot be read: Nx computes the projects (and says so if it must)
  }
  return ids;
}

/**
 * The projects of the working tree (what `readNxProjects` computes), from the projects cache
 * under the checked-out commit's files and what the working tree changes of them: what names
 * the deployables for `lockstep status` and for reading deploy markers, without starting Nx on
 * every command.
 */
export async function readCurrentProjects(git: GitTree): Promise<WorkspaceProjectGraph> {
  const head = git.resolveCommit('HEAD');
  return readNxProjectsCached(
    git.workspaceRoot,
    head === undefined ? undefined : workingTreeProjectsKey(git, head, await git.workingTreeChanges()),
  );
}

/**
 * The projects cache key of the working tree Nx reads: the checked-out `commit`'s files (`files`
 * when the caller has them, else listed) with the working tree's content of `changes`
 * (GitTree.workingTreeChanges); undefined, and Nx computes the projects, when those are not known
 * file by file.
 */
export function workingTreeProjectsKey(
  git: GitTree,
  commit: string,
  changes: readonly string[] | undefined,
  files?: ReadonlyMap<string, string>,
): string | undefined {
  const changed = changes === undefined ? undefined : workingTreeIds(git.workspaceRoot, changes);
  return changed ? projectsCacheKey(files ?? git.listFiles(commit), git.workspaceRoot, changed) : undefined;
}

/** The nx version that computes the graph (part of the projects cache key); throws below the minimum. */
export function nxVersion(workspaceRoot: string): string {
  return findNx(workspaceRoot).version;
}

export type AffectedBetween = { base: string; head: string; touchedFiles: string[] };

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
  const worker = startGraphWorker(workspaceRoot, false);
  return {
    async affected(ranges) {
      const graph = await worker.send(ranges);
      return { ...graph, affectedByRange: graph.affectedByRange ?? [] };
    },
  };
}

/** The projects alone (names, roots, targets after inference): all file and symbol precision need. */
function readNxProjects(workspaceRoot: string): Promise<WorkspaceProjectGraph> {
  return startGraphWorker(workspaceRoot, true).send([]);
}

/** Nx 22 is the first whose project graph entry points the worker reads (peerDependencies say so too). */
export const MINIMUM_NX_MAJOR = 22;

/** The nx/package.json of the workspace's own nx, else the one this package runs with, and its version. */
function findNx(workspaceRoot: string): { packageJson: string; version: string } {
  let packageJson: string;
  try {
    packageJson = require.resolve('nx/package.json', { paths: [workspaceRoot] });
  } catch {
    packageJson = require.resolve('nx/package.json');
  }
  const version = String((JSON.parse(readFileSync(packageJson, 'utf8')) as { version?: unknown }).version);
  const major = Number(/^(\d+)\./.exec(version)?.[1]);
  if (!(major >= MINIMUM_NX_MAJOR)) {
    throw new Error(
      `nx-lockstep needs Nx ${MINIMUM_NX_MAJOR} or newer, found nx ${version} (${packageJson}): ` +
        `upgrade with "npx nx migrate latest" (or nx@${MINIMUM_NX_MAJOR})`,
    );
  }
  return { packageJson, version };
}

/**
 * Starts the graph worker at once. Until `send` is called the child does not keep the caller
 * alive (a caller that fails with a usage error must not wait for it); `send` gives the ranges
 * (none for the projects alone) and resolves with what the worker computed.
 */
function startGraphWorker(workspaceRoot: string, projectsOnly: boolean) {
  const request: GraphWorkerRequest = { nxPackageJson: findNx(workspaceRoot).packageJson, projectsOnly };
  const child = spawn(process.execPath, [graphWorkerEntry(), JSON.stringify(request)], {
    cwd: workspaceRoot,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NX_WORKSPACE_ROOT_PATH: workspaceRoot,
      NX_DAEMON: process.env.NX_DAEMON ?? 'false',
      NX_ISOLATE_PLUGINS: process.env.NX_ISOLATE_PLUGINS ?? 'false',
      NX_NO_CLOUD: 'true',
    },
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
  const done = new Promise<GraphWorkerResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => {
      const out = Buffer.concat(stdout).toString('utf8');
      const marker = out.lastIndexOf(RESULT_MARKER);
      if (status !== 0 || marker < 0) {
        const why = (Buffer.concat(stderr).toString('utf8') || out).trim();
        reject(new Error(`Could not compute the Nx project graph of ${workspaceRoot}:\n${why}`));
      } else resolve(JSON.parse(out.slice(marker + RESULT_MARKER.length)) as GraphWorkerResult);
    });
  });
  done.catch(() => undefined);
  const handles = [child, child.stdin, child.stdout, child.stderr] as Array<{ ref(): unknown; unref(): unknown }>;
  for (const handle of handles) handle.unref();
  return {
    send(ranges: AffectedBetween[]): Promise<GraphWorkerResult> {
      for (const handle of handles) handle.ref();
      child.stdin.end(JSON.stringify({ ranges } satisfies GraphWorkerRanges));
      return done;
    },
  };
}

/**
 * The worker's compiled file beside this one. Loaded from source (the unit tests run src/), Node
 * 20 cannot run TypeScript: the worker is one self-contained file, transpiled once to a temp file.
 */
function graphWorkerEntry(): string {
  // From dist/adapters (or src/adapters) and from the CLI bundle in dist/cli alike.
  const folder = join(__dirname, '..', 'adapters', 'nx');
  const compiled = join(folder, 'graph-worker.js');
  if (existsSync(compiled)) return compiled;
  const source = readFileSync(join(folder, 'graph-worker.ts'), 'utf8');
  const file = join(tmpdir(), `nx-lockstep-graph-worker-${createHash('sha1').update(source).digest('hex')}.js`);
  if (!existsSync(file)) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- typescript loads only on this path
    const ts = require('typescript') as typeof import('typescript');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(`${file}.${process.pid}.tmp`, outputText);
    renameSync(`${file}.${process.pid}.tmp`, file);
  }
  return file;
}
