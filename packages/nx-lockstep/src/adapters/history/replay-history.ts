/**
 * Replays first-parent history with the engine for `lockstep history`: one range per commit
 * (parent..commit), decided at lockstep's precision and at Nx's project precision.
 *
 * What makes it cheap, compared with calling `analyzeAffected` twice per commit:
 * - the Nx project graph is computed once, in one child process that answers Nx's own affected
 *   projects for every range (`filterAffected` per range, as `nx show projects --affected` does);
 *   like that command, it is the working tree's graph, with each range's changed files;
 * - one parse cache for the whole replay, held in memory: a file version is parsed, resolved and
 *   emitted once, whatever commit first needs it, and saved once at the end;
 * - each commit's snapshot is the next commit's base (its file list is read once), and the
 *   parsing of the oldest commit overlaps Nx computing the graph.
 */
import { pathsChangedAtHead, type FileChange } from '../../core/affected/file-change';
import { decideAffected } from '../../core/affected/decide-affected';
import { selectDeployables } from '../../core/affected/select-deployables';
import { historyCommit, type CommitInfo } from '../../core/coupling/history-record';
import type { HistoryCommit, HistoryReplay } from '../../core/coupling/history-result';
import type { BaseComparison, WorkspaceModel, WorkspaceTree } from '../../core/model/workspace-model';
import type { Precision } from '../../core/result';
import type { ChangeSource } from '../../core/symbols';
import { AnalyzeUsageError } from '../analyze-request';
import { GitTree } from '../git-tree';
import { git } from '../markers/git';
import { startNxProjectGraph, type WorkspaceProjectGraph } from '../nx-project-graph';
import { PARSER_VERSION, ParseCache } from '../parse-cache';
import { EDGES_VERSION, foldersOf, LOCKSTEP_VERSION, readOptions, touchedBy, treeOf } from '../read-workspace-model';
import { runtimeChanges } from '../runtime-changes';
import { WorkspaceSnapshot } from '../workspace-snapshot';

export interface HistoryRequest {
  workspaceRoot: string;
  /** At most this many commits (default 200, or every commit since `since`). */
  commits?: number;
  /** Only commits after this date (anything `git log --since` takes, e.g. 2026-01-01). */
  since?: string;
  /** The newest commit replayed; default HEAD. */
  head?: string;
  /** Lockstep's precision; default the plugin option (symbol). */
  precision?: Precision;
  /** Called with Nx's project graph once it is read (`lockstep graph --history` reuses it). */
  onProjectGraph?: (graph: WorkspaceProjectGraph) => void;
  /** Called after each commit (and once with 0 before the first). */
  onProgress?: (done: number, total: number) => void;
}

export const DEFAULT_HISTORY_COMMITS = 200;

export async function replayHistory(request: HistoryRequest): Promise<HistoryReplay> {
  const { workspaceRoot } = request;
  const headRef = request.head ?? 'HEAD';
  const gitTree = GitTree.open(workspaceRoot, [headRef]);
  const head = gitTree.resolveCommit(headRef);
  if (!head) throw new AnalyzeUsageError(`--head ${headRef} is not a commit in this repository, e.g. --head HEAD`);
  const warnings: string[] = [];
  // Started first: node start-up, loading Nx and computing the graph overlap the git reads below.
  const nxGraph = startNxProjectGraph(workspaceRoot);
  const listed = listCommits(workspaceRoot, head, request);
  const infos = listed.filter((info): info is CommitInfo => info.parent !== '');
  if (infos.length < listed.length)
    warnings.push(
      `${listed.at(-1)!.sha.slice(0, 12)} has no parent in this clone (the first commit, or a shallow clone's boundary: fetch full history with git fetch --unshallow, or fetch-depth: 0 in CI): not replayed`,
    );
  const diffs = infos.map((info) => gitTree.diff(info.parent, info.sha));
  const ranges = infos.map((info, index) => ({
    base: info.parent,
    head: info.sha,
    touchedFiles: touchedBy(diffs[index]),
  }));
  const cache = ParseCache.load(workspaceRoot, 'parse-cache-git');
  request.onProgress?.(0, infos.length);
  const graphPending = nxGraph.affected(ranges);
  // Oldest first: each commit's snapshot is the next one's base.
  infos.reverse();
  diffs.reverse();
  // The oldest commit is parsed while Nx computes the graph, on the other CPU.
  const first = infos.length > 0 ? WorkspaceSnapshot.load(gitTree, infos[0].sha, cache, EDGES_VERSION) : undefined;
  await first?.parseWhile(graphPending);
  const graph = await graphPending;
  request.onProjectGraph?.(graph);
  const total = infos.length;
  const byCommit = new Map(ranges.map((range, index) => [range.head, new Set(graph.affectedByRange[index] ?? [])]));
  const replay = new Replay(gitTree, cache, graph, request.precision);
  const commits: HistoryCommit[] = [];
  for (const [index, info] of infos.entries()) {
    const snapshot = index === 0 && first ? first : replay.snapshotAfter(info, diffs[index]);
    commits.push(replay.decide(info, snapshot, diffs[index], byCommit.get(info.sha) ?? new Set()));
    request.onProgress?.(index + 1, total);
    // Let the progress bar draw (and a Ctrl-C land) between commits.
    await new Promise((resolve) => setImmediate(resolve));
  }
  cache.save();
  return {
    head,
    precision: replay.precision ?? 'symbol',
    commits,
    present: Object.fromEntries(replay.present),
    ...(request.since ? { since: request.since } : {}),
    ...(warnings.length || replay.warnings.size ? { warnings: [...warnings, ...replay.warnings] } : {}),
  };
}

/** What every commit of the replay shares: git, the parse cache, the projects, the previous snapshot. */
class Replay {
  readonly present = new Map<string, number>();
  /** What the decisions noted (an unreadable tsconfig …), once each however many commits repeat it. */
  readonly warnings = new Set<string>();
  precision: Precision | undefined;
  private previous?: WorkspaceSnapshot;
  private readonly projectRoots: Map<string, string>;

  constructor(
    private readonly gitTree: GitTree,
    private readonly cache: ParseCache,
    private readonly graph: WorkspaceProjectGraph,
    private readonly requested: Precision | undefined,
  ) {
    this.projectRoots = new Map(Object.values(graph.projects).map((project) => [project.name, project.root]));
  }

  snapshot(commit: string): WorkspaceSnapshot {
    return WorkspaceSnapshot.load(this.gitTree, commit, this.cache, EDGES_VERSION);
  }

  /** A commit's snapshot, its file list from the parent's and the diff when the parent was the last one read. */
  snapshotAfter(info: CommitInfo, changes: readonly FileChange[]): WorkspaceSnapshot {
    const files = this.previous?.commit === info.parent ? filesAfter(this.previous.files, changes) : undefined;
    return files
      ? new WorkspaceSnapshot(this.gitTree, info.sha, files, this.cache, EDGES_VERSION)
      : this.snapshot(info.sha);
  }

  /** parent..commit at lockstep's precision and at Nx's, reduced to a record. */
  decide(info: CommitInfo, head: WorkspaceSnapshot, changes: FileChange[], nxAffected: Set<string>): HistoryCommit {
    const options = readOptions(head);
    const precision = this.requested ?? options.precision;
    this.precision ??= precision;
    // Projects come from the working tree: one without any file at this commit did not exist yet.
    let folders: Set<string> | undefined;
    const deployables = selectDeployables(Object.values(this.graph.projects), options.deployTargetName)
      .filter((project) => !project.root || (folders ??= foldersOf(head.fileSet)).has(project.root))
      .map((project) => ({ project, base: info.parent }));
    for (const { project } of deployables) this.present.set(project.name, (this.present.get(project.name) ?? 0) + 1);
    head.expectParsing(pathsChangedAtHead(changes));
    const model: WorkspaceModel = {
      head: treeOf(head),
      projects: Object.values(this.graph.projects),
      dependencies: this.graph.dependencies,
      deployables,
      globalInputs: options.globalInputs,
      entryPoints: options.entryPoints,
      deployTargetName: options.deployTargetName,
      generated: options.generated,
      compare: () => ({ kind: 'available', comparison: this.comparison(info, head, changes, nxAffected) }),
      warnings: [],
      problems: () => head.errors,
    };
    const env = 'production';
    const lockstep = decideAffected(model, { precision, env });
    const nx = decideAffected(model, { precision: 'project', env });
    for (const warning of lockstep.warnings ?? []) this.warnings.add(warning);
    this.previous = head;
    return historyCommit(info, lockstep, nx, this.projectRoots);
  }

  private comparison(
    info: CommitInfo,
    head: WorkspaceSnapshot,
    changes: FileChange[],
    nxAffected: Set<string>,
  ): BaseComparison {
    const previous = this.previous?.commit === info.parent ? this.previous : undefined;
    let tree: WorkspaceTree | undefined;
    let runtime: Map<string, ChangeSource> | undefined;
    return {
      base: info.parent,
      changes,
      tree: () => (tree ??= treeOf(previous ?? this.snapshot(info.parent))),
      runtimeChanges: () =>
        (runtime ??= runtimeChanges(
          changes,
          this.gitTree,
          head,
          info.parent,
          this.cache,
          `${LOCKSTEP_VERSION}\0${PARSER_VERSION}`,
        )),
      nxAffected,
    };
  }
}

/**
 * The file list `git ls-tree -r` gives for a commit, from its parent's list and the diff between
 * them (one process less per commit), in the same order: git lists paths sorted by their bytes,
 * so a list that gained paths is sorted again. Undefined when the diff cannot say (a submodule,
 * a side without a blob id): the caller lists the commit.
 */
export function filesAfter(
  parent: ReadonlyMap<string, string>,
  changes: readonly FileChange[],
): Map<string, string> | undefined {
  const files = new Map(parent);
  let added = false;
  for (const change of changes) {
    if (change.gitlink) return undefined;
    if (change.status === 'D') {
      files.delete(change.path);
      continue;
    }
    if (!change.headBlob) return undefined;
    if (change.status === 'R' && change.oldPath) files.delete(change.oldPath);
    if (!files.has(change.path)) added = true;
    files.set(change.path, change.headBlob);
  }
  if (!added) return files;
  return new Map([...files].sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
}

/** First-parent commits from head, newest first, each with its first parent ('' for a root commit). */
function listCommits(workspaceRoot: string, head: string, request: HistoryRequest): CommitInfo[] {
  const limit = request.commits ?? (request.since ? undefined : DEFAULT_HISTORY_COMMITS);
  const args = [
    'log',
    '--first-parent',
    '--format=%H%x09%P%x09%cI%x09%s',
    ...(limit !== undefined ? [`--max-count=${limit}`] : []),
    ...(request.since ? [`--since=${request.since}`] : []),
    head,
  ];
  const out = git(workspaceRoot, args);
  if (out.code !== 0) throw new Error(`git ${args.join(' ')} failed: ${out.stderr.trim()}`);
  return out.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [sha, parents, date, ...subject] = line.split('\t');
      return { sha, parent: parents.split(' ')[0] ?? '', date, subject: subject.join('\t') };
    });
}
