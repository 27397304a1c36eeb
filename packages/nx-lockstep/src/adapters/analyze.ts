import { statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { isSourceFile } from '../core/extract/file-kinds';
import {
  decideDeployable,
  shippedAtFilePrecision,
  type DeployableTarget,
  type ShippedChange,
} from '../core/affected/decide-deployable';
import { decideAtProjectPrecision } from '../core/affected/decide-project-precision';
import { pathsChangedAtBase, pathsChangedAtHead, type FileChange } from '../core/affected/file-change';
import { filesReaching, reachFromEntryPoints, type Reach } from '../core/graph/reachability';
import { LOCKFILE_NAMES, parseLockfile, type LockedPackages } from '../core/lockfile/locked-packages';
import { externalPackageChange, type ExternalPackageChange } from '../core/affected/external-package-change';
import { readTsconfigPaths } from '../core/resolve/tsconfig-paths';
import * as symbols from '../core/symbols';
import type { ChangeSource, ModuleSource, SourceVersion } from '../core/symbols';
import { EXTRACTOR_VERSION, summarizeModule } from '../core/extract/summarize-module';

import {
  RESULT_VERSION,
  type AffectedResult,
  type ChangeNotShipped,
  type DeployableDecision,
  type Precision,
} from '../core/result';
import { readLockstepOptions, type LockstepOptions } from '../plugin/options';
import { deployableRules } from './deployable-rules';
import { GitTree } from './git-tree';
import {
  nxVersion,
  projectsCacheKey,
  readNxProjectsCached,
  startNxProjectGraph,
  type AffectedBetween,
  type WorkspaceProject,
  type WorkspaceProjectGraph,
} from './nx-project-graph';
import { PARSER_VERSION, ParseCache } from './parse-cache';
import { ResultCache } from './result-cache';
import { summaryKey, WorkspaceSnapshot } from './workspace-snapshot';

// Symbol precision's module loads with the rest (~3 ms; a dynamic import() from CommonJS would
// go through Node's ESM loader, ~25 ms): TypeScript itself loads only when a file must be parsed
// or emitted.

export interface AnalyzeRequest {
  workspaceRoot: string;
  /** Commit to analyse; default HEAD. The workspace is read from this commit, not from disk. */
  head?: string;
  /** One base for every deployable (`--base`). */
  base?: string;
  /** Per-deployable bases (markers); null = never deployed. Takes precedence over `base`. */
  bases?: Record<string, string | null>;
  precision?: Precision;
  /** Limit the result to these deployables. */
  projects?: string[];
  env?: string;
}

/** A request the caller got wrong (CLI exit code 2), as opposed to a failure while analysing. */
export class AnalyzeUsageError extends Error {
  override name = 'AnalyzeUsageError';
}

/**
 * The deploy decision of every deployable between its base and head, with reasons. Reads the
 * world (git, the Nx project graph, the parse cache) and hands plain data to the pure core.
 */
export async function analyzeAffected(request: AnalyzeRequest): Promise<AffectedResult> {
  const { workspaceRoot } = request;
  const phase = phaseTimer();
  const env = request.env ?? 'production';
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
  const warnings: string[] = [];
  const uncommittedPending = git.hasUncommittedChanges();
  uncommittedPending.catch(() => undefined);
  const checkedOut = head === git.resolveCommit('HEAD');
  // A remembered result needs a clean working tree: only then is it worth waiting for git status.
  const results = ResultCache.open(workspaceRoot);
  const candidateKey = checkedOut ? resultCacheKey(request, git, head, workspaceRoot) : undefined;
  const candidate = candidateKey ? results.get(candidateKey) : undefined;
  let cache: ParseCache | undefined;
  let headSnapshot: WorkspaceSnapshot | undefined;
  if (!candidate) {
    // The file list and the parse cache are read while git scans the working tree.
    cache = ParseCache.load(workspaceRoot, 'parse-cache-git');
    headSnapshot = WorkspaceSnapshot.load(git, head, cache, EDGES_VERSION);
  }
  const uncommitted = await uncommittedPending;
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
  const resultKey = cleanHead ? candidateKey : undefined;
  const remembered = resultKey ? candidate : undefined;
  if (remembered) {
    const only = request.projects;
    const known = new Set(remembered.deployables.map((decision) => decision.project));
    if (!only || only.every((name) => known.has(name))) {
      return only
        ? { ...remembered, deployables: remembered.deployables.filter((decision) => only.includes(decision.project)) }
        : remembered;
    }
  }

  phase('git and result cache');
  cache ??= ParseCache.load(workspaceRoot, 'parse-cache-git');
  headSnapshot ??= WorkspaceSnapshot.load(git, head, cache, EDGES_VERSION);
  const options = readOptions(headSnapshot);
  const precision: Precision = request.precision ?? options.precision;
  // Project precision is Nx's own answer: start the whole graph now, it overlaps the git reads.
  const nxGraphPending = precision === 'project' ? startNxProjectGraph(workspaceRoot) : undefined;
  phase('parse cache and file list');

  const baseOf = (project: string): string | null => {
    if (request.bases && project in request.bases) return request.bases[project];
    if (request.base) return request.base;
    throw new AnalyzeUsageError(
      `no base for ${project}: pass --base <ref> (the last deployed commit), e.g. --base origin/main~1`,
    );
  };

  // One diff per base commit, shared by every deployable with that base.
  const diffs = new Map<string, FileChange[]>();
  const diffFrom = (base: string) => {
    let changes = diffs.get(base);
    if (!changes) diffs.set(base, (changes = git.diff(base, head)));
    return changes;
  };
  let projectsGraph: WorkspaceProjectGraph;
  const nxAffectedByBase = new Map<string, Set<string>>();
  if (nxGraphPending) {
    // Every base a deployable may use is known before the projects are: Nx computes the graph once.
    const bases = [
      ...new Set([...Object.values(request.bases ?? {}), ...(request.base ? [request.base] : [])]),
    ].flatMap((ref) => (ref === null ? [] : [git.resolveCommit(ref) ?? []].flat()));
    const ranges: AffectedBetween[] = bases.map((base) => ({ base, head, touchedFiles: touchedBy(diffFrom(base)) }));
    const graph = await nxGraphPending.affected(ranges);
    bases.forEach((base, index) => nxAffectedByBase.set(base, new Set(graph.affectedByRange[index] ?? [])));
    projectsGraph = graph;
  } else {
    // The projects can be remembered when the working tree is exactly head (Nx reads the working tree).
    const projectsPending = readNxProjectsCached(
      workspaceRoot,
      cleanHead ? projectsCacheKey(headSnapshot.files, workspaceRoot) : undefined,
    );
    await headSnapshot.parseWhile(projectsPending);
    projectsGraph = await projectsPending;
  }
  phase(nxGraphPending ? 'nx project graph' : 'nx projects (parsing meanwhile)');
  // Projects come from the working tree: one without any file at head did not exist there yet.
  let foldersAtHead: Set<string> | undefined;
  const presentAtHead = (project: WorkspaceProject) =>
    !project.root || (foldersAtHead ??= foldersOf(headSnapshot.fileSet)).has(project.root);
  const deployables = selectDeployables(projectsGraph, options, request.projects).filter((project) => {
    if (presentAtHead(project)) return true;
    warnings.push(`${project.name} has no files at ${headRef}: left out`);
    return false;
  });
  const projectRoots = Object.values(projectsGraph.projects).map((project) => project.root);
  // Rules wiring (issue 10: own root whole, build inputs, scoped uncertainty, generated code):
  // see deployable-rules.ts. Entry points are all own non-test sources of each deployable.
  const rules = deployableRules({
    graph: projectsGraph,
    nxJson: safeJson(headSnapshot.readText('nx.json')),
    files: headSnapshot.fileSet,
    importGraph: headSnapshot.graph,
    readPackageJson: (root) => headSnapshot.readText(root ? `${root}/package.json` : 'package.json'),
    deployTargetName: options.deployTargetName,
    generated: options.generated,
    isRootLockfile,
  });
  const entryPointsOf = new Map<string, string[]>();
  for (const project of precision === 'project' ? [] : deployables)
    entryPointsOf.set(
      project.name,
      rules.entryPoints(project, headSnapshot.fileSet, options.entryPoints[project.name]),
    );

  const decisions: DeployableDecision[] = [];
  const byBase = new Map<string | null, WorkspaceProject[]>();
  for (const project of deployables) {
    const base = baseOf(project.name);
    byBase.set(base, [...(byBase.get(base) ?? []), project]);
  }

  const snapshotsAtBase: WorkspaceSnapshot[] = [];
  // Per head graph and "what matters" (changed files, changed packages): the files leading to one.
  const headReaching = new Map<string, Set<string>>();
  let headResolver: ReturnType<typeof symbols.resolverFromGraph> | undefined;
  // Each deployable has one base, so its reach is computed once and dropped after its decision:
  // at 50,000 files a reach is tens of thousands of entries, times every deployable.
  const reachAtHead = (project: WorkspaceProject): Reach => {
    // Entry points are all its own sources: a deployable without any ships its own files only.
    return reachFromEntryPoints(entryPointsOf.get(project.name) ?? [], headSnapshot.graph, headSnapshot.fileSet);
  };

  for (const [baseRef, projects] of byBase) {
    if (baseRef === null) {
      for (const project of projects)
        decisions.push({
          project: project.name,
          base: null,
          affected: true,
          reasons: [{ kind: 'never-deployed', env }],
        });
      continue;
    }
    const base = git.resolveCommit(baseRef);
    if (!base) {
      const hint = git.isShallow()
        ? `the repository is a shallow clone without ${baseRef}: fetch full history (GitHub Actions: actions/checkout with fetch-depth: 0; elsewhere: git fetch --unshallow)`
        : `${baseRef} is not in the local repository: fetch it (git fetch origin ${baseRef}) or pass an existing commit`;
      for (const project of projects)
        decisions.push({
          project: project.name,
          base: baseRef,
          affected: true,
          reasons: [{ kind: 'base-unavailable', base: baseRef, hint }],
        });
      continue;
    }
    const changes = diffFrom(base);
    headSnapshot.expectParsing(pathsChangedAtHead(changes));
    const targets: DeployableTarget[] = projects.map((project) => ({
      project: project.name,
      root: project.root,
      base,
    }));

    if (precision === 'project') {
      const nxAffected = nxAffectedByBase.get(base) ?? new Set<string>();
      const roots = new Map(
        Object.values(projectsGraph.projects).map((project) => [project.name, project.root] as const),
      );
      for (const deployable of targets)
        decisions.push(
          decideAtProjectPrecision({
            deployable,
            changes,
            projectRoots: roots,
            dependencies: projectsGraph.dependencies,
            nxAffected,
          }),
        );
      continue;
    }

    const needsBaseReach = changes.some((change) => change.status === 'D' || change.status === 'R');
    let baseSnapshot: WorkspaceSnapshot | undefined;
    const baseSide = (): WorkspaceSnapshot => {
      if (!baseSnapshot) snapshotsAtBase.push((baseSnapshot = WorkspaceSnapshot.load(git, base, cache, EDGES_VERSION)));
      return baseSnapshot;
    };
    const externalChange = lockfileComparison(changes, headSnapshot, baseSide);
    const lockfileChanged = changes.some(
      (change) => isRootLockfile(change.path) || (change.oldPath !== undefined && isRootLockfile(change.oldPath)),
    );
    // One pass over the import graph finds the files from which a changed file, a file importing a
    // changed package or an uncertain file can be reached; only the deployables whose entry points
    // are among them need their own breadth-first reach (for the chains). The others reach nothing
    // that can make them affected, which is exactly an empty reach.
    const changedAtHead = new Set(pathsChangedAtHead(changes));
    const reachingKey = `${base}\0${lockfileChanged}`;
    let reachingAtHead = headReaching.get(reachingKey);
    const mayBeAffectedAtHead = (project: WorkspaceProject) => {
      const entryPoints = entryPointsOf.get(project.name) ?? [];
      if (entryPoints.length === 0 || entryPoints.some((entry) => !headSnapshot.fileSet.has(entry))) return true;
      reachingAtHead ??= filesReaching(
        deployables.flatMap((candidate) => entryPointsOf.get(candidate.name) ?? []),
        headSnapshot.graph,
        headSnapshot.fileSet,
        // Also every file the declaration-level pass could note something about (a non-source
        // file, any unresolved import, type-only ones included): that pass is limited to these
        // files below, so what it notes must lie among them.
        (file, step) =>
          changedAtHead.has(file) ||
          step.uncertain.length > 0 ||
          !isSourceFile(file) ||
          headSnapshot.graph.edgesOf(file).some((edge) => edge.resolution.kind === 'unresolved') ||
          (lockfileChanged && step.externals.some((name) => externalChange(name) !== undefined)),
      );
      headReaching.set(reachingKey, reachingAtHead);
      return entryPoints.some((entry) => reachingAtHead!.has(entry));
    };
    // At base only deleted or renamed-away files matter (a file reached at base that is gone).
    const changedAtBase = new Set(pathsChangedAtBase(changes));
    let reachingAtBase: Set<string> | undefined;
    const baseEntryPointsOf = new Map<string, string[]>();
    const baseEntryPoints = (project: WorkspaceProject) => {
      let entries = baseEntryPointsOf.get(project.name);
      if (!entries) {
        entries = rules.entryPoints(project, baseSide().fileSet, options.entryPoints[project.name]);
        baseEntryPointsOf.set(project.name, entries);
      }
      return entries;
    };
    const reachesChangeAtBase = (project: WorkspaceProject) => {
      const snapshot = baseSide();
      reachingAtBase ??= filesReaching(
        projects.flatMap((candidate) => baseEntryPoints(candidate)),
        snapshot.graph,
        snapshot.fileSet,
        (file) => changedAtBase.has(file),
      );
      return baseEntryPoints(project).some((entry) => reachingAtBase!.has(entry));
    };
    const globalChanges = globalInputChanges(options.globalInputs, changes, headSnapshot, baseSide);
    let runtime: Map<string, ChangeSource> | undefined;
    const changedCode =
      precision === 'symbol' ? () => (runtime ??= runtimeChanges(changes, git, headSnapshot, base, cache)) : undefined;
    for (const deployable of targets) {
      const project = projects.find((candidate) => candidate.name === deployable.project)!;
      let baseReach: Reach | undefined;
      if (needsBaseReach && reachesChangeAtBase(project)) {
        const snapshot = baseSide();
        baseReach = reachFromEntryPoints(baseEntryPoints(project), snapshot.graph, snapshot.fileSet);
      }
      const entryPoints = entryPointsOf.get(project.name) ?? [];
      const headReach = mayBeAffectedAtHead(project) ? reachAtHead(project) : EMPTY_REACH;
      // Own inputs, scoped uncertainty and dependencies' inputs (rules wiring, deployable-rules.ts).
      const ruled = rules.forDecision(project, changes, externalChange);
      const fileDecision = decideDeployable({
        ...ruled,
        deployable,
        changes,
        projectRoots,
        shipped: shippedAtFilePrecision(changes, headReach, baseReach),
        externals: headReach.externals,
        uncertain: headReach.uncertain,
        externalChange,
        globalChanges,
      });
      // Symbol reach is a subset of file reach: a deployable unaffected at file precision is
      // unaffected at symbol precision, and the costlier declaration-level pass is skipped.
      if (changedCode && fileDecision.affected) {
        const changed = changedCode();
        // Only a reached file whose emitted JavaScript changed (or packages, or uncertainty) can
        // make the declaration-level pass find something: otherwise skip it.
        const needsSymbolReach =
          lockfileChanged ||
          headReach.uncertain.length > 0 ||
          [...changed].some(
            ([file, change]) =>
              headReach.parents.has(file) && (typeof change === 'function' ? change() : change).kind !== 'none',
          );
        if (!needsSymbolReach) {
          const shipped = shippedAtFilePrecision(
            changes.filter((change) => change.status === 'D' || change.status === 'R'),
            EMPTY_REACH,
            baseReach,
          );
          decisions.push(
            withNotShipped(
              decideDeployable({
                ...ruled,
                deployable,
                changes,
                projectRoots,
                shipped,
                externals: new Map(),
                uncertain: [],
                externalChange,
                globalChanges,
              }),
              symbols.changesNotShipped(headReach.parents, changed, new Set()),
            ),
          );
          continue;
        }
        const { reachSymbols, affectedBySymbols } = symbols;
        // One resolver for all deployables: it memoises each file's resolved imports.
        headResolver ??= symbols.resolverFromGraph(headSnapshot.graph, headSnapshot.context);
        // The declaration-level walk can stay within the files from which something that matters
        // is reachable (reachingAtHead): every step it would take elsewhere leads to nothing that
        // matters, and the steps it does take come in the same order, so hits, chains, notes and
        // externals are the same. Not when a change adds or removes an import: whether that
        // matters depends on every module the deployable loads.
        const changesLoads = [...changed].some(([file, change]) => {
          if (!headReach.parents.has(file)) return false;
          const resolved = typeof change === 'function' ? change() : change;
          return resolved.kind === 'declarations' && (resolved.loads?.length ?? 0) > 0;
        });
        const reach = reachSymbols({
          entries: entryPoints.filter((entry) => headSnapshot.fileSet.has(entry)),
          summaries: (file) => headSnapshot.summaryOf(file),
          resolve: headResolver,
          verbatimModuleSyntax: headSnapshot.tsconfig.compilerOptions.verbatimModuleSyntax === true,
          within: changesLoads ? undefined : reachingAtHead,
        });
        const shipped: ShippedChange[] = affectedBySymbols(reach, changed).map((hit) => ({
          file: hit.file,
          via: hit.chain,
          declarations: hit.declarations,
        }));
        // Files deleted or renamed away ship no more: they count if they were reached at base.
        shipped.push(
          ...shippedAtFilePrecision(
            changes.filter((change) => change.status === 'D' || change.status === 'R'),
            EMPTY_REACH,
            baseReach,
          ),
        );
        const missingEntries = [
          ...headReach.uncertain.filter(
            (entry) => entryPoints.includes(entry.file) && !headSnapshot.fileSet.has(entry.file),
          ),
        ];
        const notShipped = symbols.changesNotShipped(
          headReach.parents,
          changed,
          new Set(shipped.map((change) => change.file)),
        );
        decisions.push(
          withNotShipped(
            decideDeployable({
              ...ruled,
              deployable,
              changes,
              projectRoots,
              shipped,
              externals: reach.externals,
              uncertain: [...missingEntries, ...reach.uncertain],
              externalChange,
              globalChanges,
            }),
            notShipped,
          ),
        );
      } else {
        decisions.push(fileDecision);
      }
    }
  }

  phase('decisions');
  cache.save();
  phase('parse cache saved');
  if (process.env.LOCKSTEP_DEBUG)
    process.stderr.write(`lockstep: parse cache ${cache.hits} hits, ${cache.misses} misses\n`);
  decisions.sort((a, b) => a.project.localeCompare(b.project));
  if (headSnapshot.errors.length > 0) warnings.push(...headSnapshot.errors);
  const result: AffectedResult = {
    version: RESULT_VERSION,
    head,
    precision,
    env,
    deployables: decisions,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
  // Only a result for every deployable is remembered; a `projects` request is answered from it.
  if (resultKey && !request.projects) results.set(resultKey, result);
  return result;
}

/** Every folder that holds a file, at any depth. */
function foldersOf(files: Iterable<string>): Set<string> {
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
function touchedBy(changes: readonly FileChange[]): string[] {
  return [...new Set(changes.flatMap((change) => [change.path, ...(change.oldPath ? [change.oldPath] : [])]))];
}

/** With LOCKSTEP_DEBUG_TIMING set, each call writes the wall time since the previous one to stderr. */
function phaseTimer(): (name: string) => void {
  if (!process.env.LOCKSTEP_DEBUG_TIMING) return () => undefined;
  let last = performance.now();
  return (name) => {
    const now = performance.now();
    process.stderr.write(`lockstep timing: ${name} ${Math.round(now - last)} ms\n`);
    last = now;
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
const LOCKSTEP_VERSION = `${(require('../../package.json') as { version: string }).version}+${buildStamp()}`;

/** Remembered import edges depend on the engine (resolver, extractor) and the parser. */
const EDGES_VERSION = `${LOCKSTEP_VERSION}\0${EXTRACTOR_VERSION}\0${PARSER_VERSION}`;

function buildStamp(): number {
  try {
    return statSync(__filename).mtimeMs;
  } catch {
    return 0;
  }
}

const EMPTY_REACH: Reach = { parents: new Map(), externals: new Map(), uncertain: [] };

/**
 * What changed at runtime in each changed file (symbol precision), comparing emitted JavaScript.
 * Each version's emit and summary are remembered in the parse cache by blob id: a file version
 * emitted once is never transpiled again, and a run whose emits are all remembered reads no
 * source text and never loads the TypeScript compiler.
 */
function runtimeChanges(
  changes: readonly FileChange[],
  git: GitTree,
  head: WorkspaceSnapshot,
  baseCommit: string,
  cache: ParseCache,
): Map<string, ChangeSource> {
  const changed = new Map<string, ChangeSource>();
  const compilerOptions = head.tsconfig.compilerOptions;
  // The engine build is part of the key (as for resolved imports): an emit is never reused by a
  // build whose emitter may cut or print differently, even if EMIT_VERSION was not bumped.
  const emitContext = createHash('sha1')
    .update(
      `${symbols.EMIT_VERSION}\0${LOCKSTEP_VERSION}\0${PARSER_VERSION}\0${symbols.emitOptionsKey(compilerOptions)}`,
    )
    .digest('hex')
    .slice(0, 16);
  const emitKey = (path: string, blob: string) => `emit:${blob}:${emitContext}:${path}`;
  const wantsText = (path: string) => isSourceFile(path) || path.endsWith('package.json');
  // Both sides by blob id, from the diff itself (`git diff --raw`): no file list of the base
  // commit is needed. A side without a blob is absent, which counts as a whole-file change.
  const sides = changes.map((change) => {
    const basePath =
      change.status === 'A' || change.status === 'C' || change.status === 'D'
        ? undefined
        : (change.oldPath ?? change.path);
    return {
      change,
      head: change.status === 'D' ? undefined : { path: change.path, blob: change.headBlob },
      base: basePath === undefined ? undefined : { path: basePath, blob: change.baseBlob },
    };
  });
  // The first text asked for reads every changed file still to emit, at both sides, at once
  // (from the working tree where it is the same blob, else one `git cat-file`).
  const texts = new Map<string, Buffer>();
  let prefetched = false;
  const prefetch = () => {
    if (prefetched) return;
    prefetched = true;
    const wanted: Array<[string, string]> = [];
    for (const side of sides.flatMap((entry) => [entry.head, entry.base])) {
      if (side?.blob && wantsText(side.path) && !cache.has(emitKey(side.path, side.blob)))
        wanted.push([side.path, side.blob]);
    }
    for (const [blob, bytes] of git.readFiles(wanted)) texts.set(blob, bytes);
  };
  const version = (
    side: { path: string; blob: string | undefined } | undefined,
    commit: string,
  ): SourceVersion | null => {
    if (!side?.blob) return null;
    const { path, blob } = side;
    return {
      fileName: path,
      id: blob,
      get text() {
        prefetch();
        const bytes = texts.get(blob) ?? git.readFiles([[path, blob]]).get(blob);
        // Never compare a version that could not be read (a partial clone without the blob):
        // the change then counts as a whole-file change (see below).
        if (bytes === undefined)
          throw new UnreadableVersion(`${path} could not be read from git at ${commit.slice(0, 12)}`);
        return bytes.toString('utf8');
      },
    };
  };
  const source: ModuleSource = {
    emitted: (file, options) =>
      symbols.emittedFromJson(
        cache.value(
          emitKey(file.fileName, file.id!),
          () => symbols.emittedToJson(symbols.emitModule(file.fileName, file.text, symbols.emitOptions(options))),
          symbols.isEmittedModuleJson,
        ),
      ),
    summary: (file) =>
      cache.summary(summaryKey(file.fileName, file.id!), () => summarizeModule(file.fileName, file.text)),
  };
  for (const { change, head: headSide, base: baseSide } of sides) {
    if (change.status === 'D') continue;
    // Transpiled (and the base read) only when some deployable reaches the file.
    changed.set(
      change.path,
      symbols.lazyChange(() => {
        try {
          return symbols.changedDeclarations(
            change.status === 'R' ? null : version(baseSide, baseCommit),
            version(headSide, head.commit),
            compilerOptions,
            source,
          );
        } catch (error) {
          if (error instanceof UnreadableVersion) return { kind: 'whole', detail: error.message };
          throw error;
        }
      }),
    );
  }
  return changed;
}

class UnreadableVersion extends Error {}

function withNotShipped(decision: DeployableDecision, notShipped: ChangeNotShipped[]): DeployableDecision {
  return notShipped.length > 0 ? { ...decision, changesNotShipped: notShipped } : decision;
}

function readOptions(snapshot: WorkspaceSnapshot): LockstepOptions {
  const text = snapshot.readText('nx.json');
  return readLockstepOptions(text === undefined ? {} : JSON.parse(text));
}

function selectDeployables(
  graph: WorkspaceProjectGraph,
  options: LockstepOptions,
  only: string[] | undefined,
): WorkspaceProject[] {
  const deployables = Object.values(graph.projects)
    .filter((project) => options.deployTargetName in project.targets)
    .sort((a, b) => a.name.localeCompare(b.name));
  if (!only || only.length === 0) return deployables;
  const names = new Set(deployables.map((project) => project.name));
  for (const name of only) {
    if (!names.has(name)) {
      const known = [...names].join(', ') || '(none)';
      throw new AnalyzeUsageError(
        `${name} is not a deployable (a project with a "${options.deployTargetName}" target); deployables: ${known}`,
      );
    }
  }
  return deployables.filter((project) => only.includes(project.name));
}

function safeJson(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function isRootLockfile(path: string): boolean {
  return (LOCKFILE_NAMES as readonly string[]).includes(path);
}

/** Compares the root lockfiles that changed, package by package, on demand. */
function lockfileComparison(
  changes: readonly FileChange[],
  head: WorkspaceSnapshot,
  base: () => WorkspaceSnapshot,
): (name: string) => ExternalPackageChange | undefined {
  const changed = changes.filter(
    (change) => isRootLockfile(change.path) || (change.oldPath !== undefined && isRootLockfile(change.oldPath)),
  );
  if (changed.length === 0) return () => undefined;
  const pairs: Array<{ lockfile: string; base: LockedPackages; head: LockedPackages }> = [];
  const baseSnapshot = base();
  const empty: LockedPackages = { versions: new Map() };
  for (const change of changed) {
    const lockfile = change.path;
    const parse = (snapshot: WorkspaceSnapshot, path: string) => {
      const text = snapshot.readText(path);
      return text === undefined ? empty : parseLockfile(path, text);
    };
    pairs.push({ lockfile, base: parse(baseSnapshot, change.oldPath ?? change.path), head: parse(head, change.path) });
  }
  const memo = new Map<string, ExternalPackageChange | undefined>();
  return (name) => {
    if (!memo.has(name))
      memo.set(
        name,
        pairs.map((pair) => externalPackageChange(pair.base, pair.head, name, pair.lockfile)).find(Boolean),
      );
    return memo.get(name);
  };
}

/** Global inputs that changed; a tsconfig counts only when its compilerOptions (after `extends`) changed. */
function globalInputChanges(
  globalInputs: readonly string[],
  changes: readonly FileChange[],
  head: WorkspaceSnapshot,
  base: () => WorkspaceSnapshot,
): Array<{ file: string; detail?: string }> {
  const changedPaths = new Set(changes.flatMap((change) => [change.path, ...(change.oldPath ? [change.oldPath] : [])]));
  const found: Array<{ file: string; detail?: string }> = [];
  for (const input of globalInputs) {
    if (!changedPaths.has(input)) continue;
    if (!/tsconfig[^/]*\.json$/.test(input)) {
      found.push({ file: input });
      continue;
    }
    const baseSnapshot = base();
    const before = readTsconfigPaths(input, (file) => baseSnapshot.readText(file)).compilerOptions;
    const after = readTsconfigPaths(input, (file) => head.readText(file)).compilerOptions;
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
      (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
    );
    if (keys.length > 0) found.push({ file: input, detail: `compilerOptions changed: ${keys.sort().join(', ')}` });
  }
  return found;
}
