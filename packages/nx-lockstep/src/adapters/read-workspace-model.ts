/**
 * Reads the world — git, the parse and result caches, the Nx projects (a child process) — into
 * the WorkspaceModel the pure decision works on. What is costly stays lazy or overlapped: a
 * remembered result answers before anything is parsed, parsing runs while Nx computes the
 * projects, a base commit is listed only when a decision asks for it, and runtime changes are
 * emitted only for files some deployable reaches.
 */
import { join } from 'node:path';
import { pathsChangedAtHead, type FileChange } from '../core/affected/file-change';
import { NotADeployableError, selectDeployables } from '../core/affected/select-deployables';
import { EXTRACTOR_VERSION } from '../core/extract/summarize-module';
import type {
  AffectedRequest,
  BaseComparison,
  BaseLookup,
  ModelDeployable,
  WorkspaceModel,
  WorkspaceTree,
} from '../core/model/workspace-model';
import type { AffectedResult, Precision } from '../core/result';
import type { ChangeSource } from '../core/symbols';
import { checkEntryPointProjects } from '../config/entry-point-projects';
import { readLockstepOptions, type LockstepOptions } from '../config/options';
import { BUILD_VERSION } from './build-version';
import { notACommitHint } from './markers/not-a-commit';
import { AnalyzeUsageError, type AnalyzeRequest } from './analyze-request';
import { GitTree } from './git-tree';
import {
  nxVersion,
  readNxProjectsCached,
  workingTreeProjectsKey,
  startNxProjectGraph,
  type AffectedBetween,
  type WorkspaceProject,
  type WorkspaceProjectGraph,
} from './nx-project-graph';
import { PARSER_VERSION, ParseCache, workspaceDataDirectory } from './parse-cache';
import { ResultCache } from './result-cache';
import { runtimeChanges } from './runtime-changes';
import { WorkspaceSnapshot } from './workspace-snapshot';

/** The model with what the decision is asked, or a result remembered for exactly this question. */
export type WorkspaceReading =
  | { kind: 'remembered'; result: AffectedResult }
  | {
      kind: 'model';
      model: WorkspaceModel;
      request: AffectedRequest;
      /** Saves the parse cache and remembers the result (when it is for every deployable of a clean head). */
      done(result: AffectedResult): void;
    };

/** Where the head commit stands against the working tree, and what is already known of it. */
interface HeadState {
  request: AnalyzeRequest;
  git: GitTree;
  head: string;
  headRef: string;
  warnings: string[];
  cleanHead: boolean;
  /**
   * The checked-out commit and the files the working tree changes of it (what Nx reads); undefined
   * when git names a folder among them (see GitTree.workingTreeChanges) or nothing is checked out.
   */
  checkout: { commit: string; changes: string[] } | undefined;
  results: ResultCache;
  resultKey: string | undefined;
  cache: ParseCache;
  headSnapshot: WorkspaceSnapshot;
  phase: (name: string) => void;
}

export async function readWorkspaceModel(request: AnalyzeRequest): Promise<WorkspaceReading> {
  const phase = phaseTimer();
  const opened = await openHead(request, phase);
  if (opened.kind === 'remembered') return opened;
  const state = opened.state;
  phase('git and result cache');
  const { git, head, headSnapshot, cache } = state;
  const options = readOptions(headSnapshot);
  const precision: Precision = request.precision ?? options.precision;
  const env = request.env ?? 'production';
  // One diff per base commit, shared by every deployable with that base.
  const diffs = new Map<string, FileChange[]>();
  const diffFrom = (base: string) => {
    let changes = diffs.get(base);
    if (!changes) diffs.set(base, (changes = git.diff(base, head)));
    return changes;
  };
  const { graph, nxAffectedByBase } = await readProjects(state, precision, diffFrom);
  phase(precision === 'project' ? 'nx project graph' : 'nx projects (parsing meanwhile)');
  const deployables = deployablesOf(state, graph, options);
  const model: WorkspaceModel = {
    head: treeOf(headSnapshot, { keepStepGraph: true }),
    projects: Object.values(graph.projects),
    dependencies: graph.dependencies,
    deployables,
    globalInputs: options.globalInputs,
    entryPoints: options.entryPoints,
    deployTargetName: options.deployTargetName,
    generated: options.generated,
    compare: comparisons(state, diffFrom, nxAffectedByBase),
    warnings: state.warnings,
    problems: () => headSnapshot.errors,
  };
  return {
    kind: 'model',
    model,
    request: { precision, env },
    done(result) {
      phase('decisions');
      headSnapshot.storeImportGraph();
      cache.save();
      phase('parse cache saved');
      if (process.env.LOCKSTEP_DEBUG)
        process.stderr.write(`lockstep: parse cache ${cache.hits} hits, ${cache.misses} misses\n`);
      // Only a result for every deployable is remembered; a `projects` request is answered from it.
      if (state.resultKey && !request.projects) state.results.set(state.resultKey, result);
    },
  };
}

/**
 * Resolves head, and answers from the result cache when the same question was asked of the same
 * clean working tree. Otherwise the file list and the parse cache are read while git scans the
 * working tree.
 */
async function openHead(
  request: AnalyzeRequest,
  phase: (name: string) => void,
): Promise<{ kind: 'remembered'; result: AffectedResult } | { kind: 'state'; state: HeadState }> {
  const { workspaceRoot } = request;
  const headRef = request.head ?? 'HEAD';
  const knownBases = [
    ...(request.base ? [request.base] : []),
    ...Object.values(request.bases ?? {}).filter((ref): ref is string => ref !== null),
  ];
  const git = GitTree.open(workspaceRoot, [headRef, 'HEAD', ...knownBases]);
  const head = git.resolveCommit(headRef);
  if (!head)
    throw new AnalyzeUsageError(
      `--head ${headRef} is not a commit in this repository; pass a branch, tag or sha, e.g. --head HEAD`,
    );
  // Head's file list: the list an earlier run kept plus one tree diff (file-list-store.ts).
  git.keepFileList(join(workspaceDataDirectory(workspaceRoot), 'nx-lockstep', 'file-list'), head);
  const warnings: string[] = [];
  const changesPending = git.workingTreeChanges();
  changesPending.catch(() => undefined);
  const checkedOutCommit = git.resolveCommit('HEAD');
  const checkedOut = head === checkedOutCommit;
  // A remembered result needs a clean working tree: only then is it worth waiting for git status.
  const results = ResultCache.open(workspaceRoot);
  const candidateKey =
    checkedOut && !request.forCoupling ? resultCacheKey(request, git, head, workspaceRoot) : undefined;
  const candidate = candidateKey ? results.get(candidateKey) : undefined;
  let cache: ParseCache | undefined;
  let headSnapshot: WorkspaceSnapshot | undefined;
  if (!candidate) {
    // Head's file list and the diffs from the bases given are read by git while the parse cache loads.
    git.startReads(
      head,
      knownBases.flatMap((ref) => git.resolveCommit(ref) ?? []),
    );
    cache = ParseCache.load(workspaceRoot, 'parse-cache-git');
    await git.settle();
    headSnapshot = WorkspaceSnapshot.load(git, head, cache, EDGES_VERSION);
  }
  const changes = await changesPending;
  const uncommitted = changes === undefined || changes.length > 0;
  if (checkedOut && uncommitted) {
    warnings.push(
      'uncommitted changes are ignored: the analysis reads the head commit from git; commit them to include them',
    );
  } else if (!checkedOut) {
    warnings.push(
      `head ${headRef} is not the checked-out commit: project configuration (the Nx project graph) is read from the working tree, files from ${headRef}`,
    );
  }

  // The same inputs give the same result: answer a repeated question from the result cache.
  const cleanHead = checkedOut && !uncommitted;
  const checkout = checkedOutCommit && changes ? { commit: checkedOutCommit, changes } : undefined;
  const resultKey = cleanHead ? candidateKey : undefined;
  const remembered = resultKey ? candidate : undefined;
  if (remembered) {
    const only = request.projects;
    const known = new Set(remembered.deployables.map((decision) => decision.project));
    if (!only || only.every((name) => known.has(name))) {
      const result = only
        ? { ...remembered, deployables: remembered.deployables.filter((decision) => only.includes(decision.project)) }
        : remembered;
      return { kind: 'remembered', result };
    }
  }
  cache ??= ParseCache.load(workspaceRoot, 'parse-cache-git');
  headSnapshot ??= WorkspaceSnapshot.load(git, head, cache, EDGES_VERSION);
  const state = {
    request,
    git,
    head,
    headRef,
    warnings,
    cleanHead,
    checkout,
    results,
    resultKey,
    cache,
    headSnapshot,
    phase,
  };
  return { kind: 'state', state };
}

/**
 * The Nx projects. Project precision is Nx's own answer: the whole graph is started at once (it
 * overlaps the git reads) and computes every base's affected projects in one go. Otherwise the
 * projects alone, remembered while the working tree is exactly head, with parsing meanwhile.
 */
async function readProjects(
  state: HeadState,
  precision: Precision,
  diffFrom: (base: string) => FileChange[],
): Promise<{ graph: WorkspaceProjectGraph; nxAffectedByBase: Map<string, Set<string>> }> {
  const { request, git, head, headSnapshot, checkout } = state;
  if (request.projectGraph && precision !== 'project')
    return { graph: request.projectGraph, nxAffectedByBase: new Map() };
  const nxGraphPending =
    precision === 'project' || request.forCoupling ? startNxProjectGraph(request.workspaceRoot) : undefined;
  state.phase('parse cache and file list');
  const nxAffectedByBase = new Map<string, Set<string>>();
  if (nxGraphPending) {
    // Every base a deployable may use is known before the projects are: Nx computes the graph once.
    const bases = [
      ...new Set([...Object.values(request.bases ?? {}), ...(request.base ? [request.base] : [])]),
    ].flatMap((ref) => (ref === null || precision !== 'project' ? [] : [git.resolveCommit(ref) ?? []].flat()));
    const ranges: AffectedBetween[] = bases.map((base) => ({ base, head, touchedFiles: touchedBy(diffFrom(base)) }));
    const graph = await nxGraphPending.affected(ranges);
    bases.forEach((base, index) => nxAffectedByBase.set(base, new Set(graph.affectedByRange[index] ?? [])));
    return { graph, nxAffectedByBase };
  }
  // Nx reads the working tree: the projects are remembered under the checked-out commit's files
  // (head's when head is checked out; else listed apart, far cheaper than Nx) and the working
  // tree's content of those it changes (see workingTreeProjectsKey).
  const projectsPending = readNxProjectsCached(
    request.workspaceRoot,
    checkout &&
      workingTreeProjectsKey(
        git,
        checkout.commit,
        checkout.changes,
        checkout.commit === head ? headSnapshot.files : undefined,
      ),
  );
  await headSnapshot.parseWhile(projectsPending);
  return { graph: await projectsPending, nxAffectedByBase };
}

/** The deployables asked for, each with its base; one without any file at head is left out (with a warning). */
function deployablesOf(state: HeadState, graph: WorkspaceProjectGraph, options: LockstepOptions): ModelDeployable[] {
  const { request, headSnapshot, warnings, headRef } = state;
  // Projects come from the working tree: one without any file at head did not exist there yet.
  let foldersAtHead: Set<string> | undefined;
  const presentAtHead = (project: WorkspaceProject) =>
    !project.root || (foldersAtHead ??= foldersOf(headSnapshot.fileSet)).has(project.root);
  let selected: WorkspaceProject[];
  try {
    selected = selectDeployables(Object.values(graph.projects), options.deployTargetName, request.projects);
  } catch (error) {
    if (error instanceof NotADeployableError) throw new AnalyzeUsageError(error.message);
    throw error;
  }
  checkEntryPointProjects(options, Object.values(graph.projects));
  const present = selected.filter((project) => {
    if (presentAtHead(project)) return true;
    warnings.push(`${project.name} has no files at ${headRef}: left out`);
    return false;
  });
  return present.map((project) => ({ project, base: baseOf(request, project.name) }));
}

function baseOf(request: AnalyzeRequest, project: string): string | null {
  if (request.bases && project in request.bases) return request.bases[project];
  if (request.base) return request.base;
  throw new AnalyzeUsageError(
    `no base for ${project}: pass --base <ref> (the last deployed commit), e.g. --base origin/main~1`,
  );
}

/** One comparison per base commit: its diff, its snapshot on demand, its runtime changes on demand. */
function comparisons(
  state: HeadState,
  diffFrom: (base: string) => FileChange[],
  nxAffectedByBase: ReadonlyMap<string, Set<string>>,
): (baseRef: string) => BaseLookup {
  const { git, headSnapshot, cache } = state;
  const byCommit = new Map<string, BaseComparison>();
  return (baseRef) => {
    const base = git.resolveCommit(baseRef);
    if (!base) {
      const hint =
        notACommitHint(state.request.workspaceRoot, baseRef) ??
        (git.isShallow()
          ? `the repository is a shallow clone without ${baseRef}: fetch full history (GitHub Actions: actions/checkout with fetch-depth: 0; elsewhere: git fetch --unshallow)`
          : `${baseRef} is not in the local repository: fetch it (git fetch origin ${baseRef}) or pass an existing commit`);
      return { kind: 'unavailable', hint };
    }
    const changes = diffFrom(base);
    headSnapshot.expectParsing(pathsChangedAtHead(changes));
    let comparison = byCommit.get(base);
    if (!comparison) {
      let tree: WorkspaceTree | undefined;
      let runtime: Map<string, ChangeSource> | undefined;
      comparison = {
        base,
        changes,
        tree: () => (tree ??= treeOf(WorkspaceSnapshot.load(git, base, cache, EDGES_VERSION))),
        runtimeChanges: () =>
          (runtime ??= runtimeChanges(
            changes,
            git,
            headSnapshot,
            base,
            cache,
            `${LOCKSTEP_VERSION}\0${PARSER_VERSION}`,
          )),
        nxAffected: nxAffectedByBase.get(base),
      };
      byCommit.set(base, comparison);
    }
    return { kind: 'available', comparison };
  };
}

/**
 * A snapshot as the decision sees it: the import graph and tsconfig stay lazy. `keepStepGraph`:
 * head's declaration-level step graph is kept between runs (step-graph-file.ts).
 */
export function treeOf(snapshot: WorkspaceSnapshot, options: { keepStepGraph?: boolean } = {}): WorkspaceTree {
  let store: WorkspaceTree['stepGraphStore'];
  return {
    get stepGraphStore() {
      return options.keepStepGraph ? (store ??= snapshot.stepGraphStore()) : undefined;
    },
    commit: snapshot.commit,
    files: snapshot.fileSet,
    get graph() {
      return snapshot.graph;
    },
    get resolve() {
      return snapshot.context;
    },
    get compilerOptions() {
      return snapshot.tsconfig.compilerOptions;
    },
    summaryOf: (file) => snapshot.summaryOf(file),
    readText: (path) => snapshot.readText(path),
    readTsconfig: (file) => snapshot.readTsconfig(file),
  };
}

/** Every folder that holds a file, at any depth. */
export function foldersOf(files: Iterable<string>): Set<string> {
  const folders = new Set<string>();
  for (const file of files) {
    for (let slash = file.lastIndexOf('/'); slash > 0; slash = file.lastIndexOf('/', slash - 1)) {
      const folder = file.slice(0, slash);
      if (folders.has(folder)) break;
      folders.add(folder);
    }
  }
  return folders;
}

/** Files a diff touches, old paths of renames included: what Nx's affected computation is given. */
export function touchedBy(changes: readonly FileChange[]): string[] {
  return [...new Set(changes.flatMap((change) => [change.path, ...(change.oldPath ? [change.oldPath] : [])]))];
}

/** With LOCKSTEP_DEBUG_TIMING set, each call writes the wall time since the previous one to stderr. */
function phaseTimer(): (name: string) => void {
  if (!process.env.LOCKSTEP_DEBUG_TIMING) return () => undefined;
  let last = performance.now();
  let faults = process.resourceUsage().minorPageFault;
  process.stderr.write(`lockstep timing: process start ${Math.round(last)} ms, ${faults} page faults\n`);
  return (name) => {
    const now = performance.now();
    const faulted = process.resourceUsage().minorPageFault;
    // Memory touched for the first time is most of some runs' time on VMs where a fault is slow.
    process.stderr.write(`lockstep timing: ${name} ${Math.round(now - last)} ms, ${faulted - faults} page faults\n`);
    last = now;
    faults = faulted;
  };
}

/** Everything a result depends on when the working tree is the head commit. */
function resultCacheKey(request: AnalyzeRequest, git: GitTree, head: string, workspaceRoot: string): string {
  const resolve = (ref: string | null) => (ref === null ? null : (git.resolveCommit(ref) ?? `unresolved:${ref}`));
  const bases = request.bases
    ? Object.entries(request.bases)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([project, ref]) => [project, resolve(ref)])
    : null;
  return ResultCache.key({
    head,
    base: request.base ? resolve(request.base) : null,
    bases,
    precision: request.precision ?? null,
    env: request.env ?? 'production',
    nx: nxVersion(workspaceRoot),
    lockstep: LOCKSTEP_VERSION,
    extractor: EXTRACTOR_VERSION,
    isolate: process.env.NX_ISOLATE_PLUGINS ?? '',
  });
}

/** The package version plus when this build was made, so a rebuilt engine never reuses results. */
export const LOCKSTEP_VERSION = BUILD_VERSION;

/** Remembered import edges depend on the engine (resolver, extractor) and the parser. */
export const EDGES_VERSION = `${LOCKSTEP_VERSION}\0${EXTRACTOR_VERSION}\0${PARSER_VERSION}`;

export function readOptions(snapshot: WorkspaceSnapshot): LockstepOptions {
  const text = snapshot.readText('nx.json');
  return readLockstepOptions(text === undefined ? {} : JSON.parse(text));
}
