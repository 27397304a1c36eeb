import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, type RunOptions, type RunResult } from './run';

/** The environment every nx invocation in e2e uses: no daemon, no plugin workers, no cloud, CI mode. */
export const NX_ENV = {
  NX_DAEMON: 'false',
  NX_ISOLATE_PLUGINS: 'false',
  NX_NO_CLOUD: 'true',
  CI: 'true',
  NX_TUI: 'false',
} as const;

export function nxEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...NX_ENV, ...extra };
}

/** Runs the workspace's own nx binary (`node node_modules/.bin/nx <args>`). */
export function nx(workspace: string, args: string[], options: RunOptions = {}): RunResult {
  return run([process.execPath, join(workspace, 'node_modules', '.bin', 'nx'), ...args], {
    ...options,
    cwd: workspace,
    env: nxEnv(options.env),
  });
}

/** Runs nx with `--json` output and parses it. */
export function nxJson<T = unknown>(workspace: string, args: string[], options: RunOptions = {}): T {
  const result = nx(workspace, [...args, '--json'], options);
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`nx ${args.join(' ')} --json printed no JSON:\n${result.output}`);
  }
}

export interface ShownTarget {
  executor?: string;
  command?: string;
  options?: Record<string, unknown>;
  metadata?: { description?: string; technologies?: string[]; help?: unknown };
  [key: string]: unknown;
}

export interface ShownProject {
  name: string;
  root: string;
  tags?: string[];
  targets: Record<string, ShownTarget>;
  [key: string]: unknown;
}

/** `nx show project <name> --json`. */
export function showProject(workspace: string, name: string): ShownProject {
  return nxJson<ShownProject>(workspace, ['show', 'project', name]);
}

/** `nx show projects [--with-target <target>] --json`, sorted. */
export function showProjects(workspace: string, withTarget?: string): string[] {
  const args = ['show', 'projects', ...(withTarget ? ['--with-target', withTarget] : [])];
  return nxJson<string[]>(workspace, args).sort();
}

export interface GraphNode {
  name: string;
  type: string;
  data: ShownProject;
}

export interface ProjectGraphFile {
  graph: {
    nodes: Record<string, GraphNode>;
    dependencies: Record<string, { source: string; target: string; type: string }[]>;
  };
}

/**
 * The whole project graph with every project's targets in one nx invocation
 * (`nx graph --file=<tmp>.json`): cheaper than one `nx show project` per project.
 */
export function projectGraph(workspace: string): ProjectGraphFile['graph'] {
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-graph-'));
  try {
    const file = join(dir, 'graph.json');
    nx(workspace, ['graph', `--file=${file}`]);
    return (JSON.parse(readFileSync(file, 'utf8')) as ProjectGraphFile).graph;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
