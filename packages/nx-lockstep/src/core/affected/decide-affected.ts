/**
 * The deploy decision of every deployable of a workspace model, with reasons: pure (the model's
 * lazy views do the reading). Deployables are grouped by base; each group shares one comparison.
 */
import { isSourceFile } from '../extract/file-kinds';
import { filesReaching, reachFromEntryPoints, reachStep, type Reach, type UncertainFile } from '../graph/reachability';
import { IMPORT_UNRESOLVED, IMPORTS_EXTERNAL, STEP_UNCERTAIN } from '../graph/import-graph';
import type {
  AffectedRequest,
  BaseComparison,
  ModelDeployable,
  ModelProject,
  WorkspaceModel,
  WorkspaceTree,
} from '../model/workspace-model';
import { RESULT_VERSION, type AffectedResult, type ChangeNotShipped, type DeployableDecision } from '../result';
import * as symbols from '../symbols';
import type { ChangeSource } from '../symbols';
import {
  decideDeployable,
  shippedAtFilePrecision,
  type DeployableTarget,
  type ShippedChange,
} from './decide-deployable';
import { decideAtProjectPrecision } from './decide-project-precision';
import type { DeployableRules } from './deployable-rules';
import { rulesOfModel } from './model-rules';
import { pathsChangedAtBase, pathsChangedAtHead } from './file-change';
import { globalInputChanges, rootManifestChanges } from './global-input-changes';
import { packageVersionChanges, type PackageVersionChanges } from './lockfile-comparison';

export function decideAffected(model: WorkspaceModel, request: AffectedRequest): AffectedResult {
  try {
    return decideAll(model, request);
  } catch (error) {
    if (!(error instanceof symbols.DamagedStepGraph)) throw error;
    // A stored step graph is checked record by record as walks read it: one found damaged is
    // forgotten, and every decision is worked out again without it (the next save replaces it).
    model.head.stepGraphStore?.forget?.();
    return decideAll(model, request);
  }
}

function decideAll(model: WorkspaceModel, request: AffectedRequest): AffectedResult {
  const run = new DecisionRun(model, request);
  const byBase = new Map<string | null, ModelDeployable[]>();
  for (const deployable of model.deployables)
    byBase.set(deployable.base, [...(byBase.get(deployable.base) ?? []), deployable]);
  const decisions: DeployableDecision[] = [];
  for (const [baseRef, group] of byBase) decisions.push(...run.decideGroup(baseRef, group));
  run.storeStepGraph();
  decisions.sort((a, b) => a.project.localeCompare(b.project));
  const warnings = [...model.warnings, ...model.problems()];
  return {
    version: RESULT_VERSION,
    head: model.head.commit,
    precision: request.precision,
    env: request.env,
    deployables: decisions,
    ...(warnings.length > 0 ? { warnings } : {}),
  };
}

/** What the groups of one decision share: entry points at head, the head resolver, pruning sets. */
class DecisionRun {
  readonly projectRoots: string[];
  readonly entryPointsOf = new Map<string, string[]>();
  /** Per base and "a lockfile changed": the head files from which something that matters is reachable. */
  readonly headReaching = new Map<string, Set<string>>();
  /** One resolver for all deployables: it memoises each file's resolved imports. */
  private resolver?: ReturnType<typeof symbols.resolverFromGraph>;
  private shipRules?: DeployableRules;

  constructor(
    readonly model: WorkspaceModel,
    readonly request: AffectedRequest,
  ) {
    this.projectRoots = model.projects.map((project) => project.root);
    for (const { project } of request.precision === 'project' ? [] : model.deployables)
      this.entryPointsOf.set(
        project.name,
        this.rules.entryPoints(project, model.head.files, model.entryPoints[project.name]),
      );
  }

  /**
   * What a deployable ships (DESIGN.md): its build inputs, projects as scopes for uncertainty,
   * generators of missing paths, and its entry points (all its own non-test sources). Built on
   * first use: it reads the head import graph, which project precision never needs.
   */
  get rules(): DeployableRules {
    return (this.shipRules ??= rulesOfModel(this.model));
  }

  /** Keeps the head's declaration-level step graph for the next run (see SymbolReachInput.store). */
  storeStepGraph(): void {
    if (!this.resolver) return; // no declaration-level walk ran
    const store = this.model.head.stepGraphStore;
    if (store)
      symbols.storeStepGraph(this.resolver, this.model.head.compilerOptions.verbatimModuleSyntax === true, store);
  }

  get headResolver() {
    return (this.resolver ??= symbols.resolverFromGraph(this.model.head.graph, this.model.head.resolve));
  }

  decideGroup(baseRef: string | null, group: readonly ModelDeployable[]): DeployableDecision[] {
    if (baseRef === null)
      return group.map(({ project }) => ({
        project: project.name,
        base: null,
        affected: true,
        reasons: [{ kind: 'never-deployed', env: this.request.env }],
      }));
    const lookup = this.model.compare(baseRef);
    if (lookup.kind === 'unavailable')
      return group.map(({ project }) => ({
        project: project.name,
        base: baseRef,
        affected: true,
        reasons: [{ kind: 'base-unavailable', base: baseRef, hint: lookup.hint }],
      }));
    const { comparison } = lookup;
    if (this.request.precision === 'project') {
      const nxAffected = comparison.nxAffected ?? new Set<string>();
      const roots = new Map(this.model.projects.map((project) => [project.name, project.root] as const));
      return group.map(({ project }) =>
        decideAtProjectPrecision({
          deployable: { project: project.name, root: project.root, base: comparison.base },
          changes: comparison.changes,
          projectRoots: roots,
          dependencies: this.model.dependencies,
          nxAffected,
        }),
      );
    }
    const atBase = new BaseGroup(this, comparison, group);
    return group.map(({ project }) => atBase.decide(project));
  }

  /** The reach from a deployable's entry points at head. */
  reachAtHead(project: ModelProject): Reach {
    // Each deployable has one base, so its reach is computed once and dropped after its decision:
    // at 50,000 files a reach is tens of thousands of entries, times every deployable.
    const head = this.model.head;
    const entryPoints = this.entryPointsOf.get(project.name) ?? [];
    // Entry points are all its own sources: a deployable without any ships its own files only.
    return reachFromEntryPoints(entryPoints, head.graph, head.files);
  }
}

/** The deployables compared from one base: what their decisions share (lockfiles, global inputs, base reach). */
class BaseGroup {
  private readonly head: WorkspaceTree;
  private readonly needsBaseReach: boolean;
  private readonly packageVersions: PackageVersionChanges;
  private readonly globalChanges: ReadonlyArray<{ file: string; detail?: string }>;
  private readonly changedAtHead: ReadonlySet<string>;
  private readonly changedAtBase: ReadonlySet<string>;
  private readonly baseEntryPointsOf = new Map<string, string[]>();
  private reachingAtBase?: Set<string>;
  private runtime?: ReadonlyMap<string, ChangeSource>;

  constructor(
    private readonly run: DecisionRun,
    private readonly comparison: BaseComparison,
    private readonly group: readonly ModelDeployable[],
  ) {
    const { changes } = comparison;
    this.head = run.model.head;
    this.needsBaseReach = changes.some((change) => change.status === 'D' || change.status === 'R');
    this.packageVersions = packageVersionChanges(changes, this.head, () => comparison.tree());
    this.changedAtHead = new Set(pathsChangedAtHead(changes));
    // At base only deleted or renamed-away files matter (a file reached at base that is gone).
    this.changedAtBase = new Set(pathsChangedAtBase(changes));
    this.globalChanges = [
      ...globalInputChanges(run.model.globalInputs, changes, this.head, () => comparison.tree()),
      // Declared whole as a global input, the manifest is already counted on any change.
      ...(run.model.globalInputs.includes('package.json')
        ? []
        : rootManifestChanges(changes, this.head, () => comparison.tree())),
    ];
  }

  /** What a package installs may have changed: a lockfile, a manifest without one, or a patch. */
  private get packagesChanged(): boolean {
    return this.packageVersions.sources.length > 0;
  }

  decide(project: ModelProject): DeployableDecision {
    const { changes } = this.comparison;
    let baseReach: Reach | undefined;
    if (this.needsBaseReach && this.reachesChangeAtBase(project)) {
      const tree = this.comparison.tree();
      baseReach = reachFromEntryPoints(this.baseEntryPoints(project), tree.graph, tree.files);
    }
    const headReach = this.mayBeAffectedAtHead(project) ? this.run.reachAtHead(project) : EMPTY_REACH;
    const fileDecision = this.decideShipped(
      project,
      shippedAtFilePrecision(changes, headReach, baseReach),
      headReach.externals,
      headReach.uncertain,
    );
    // Symbol reach is a subset of file reach: a deployable unaffected at file precision is
    // unaffected at symbol precision, and the costlier declaration-level pass is skipped.
    if (this.run.request.precision !== 'symbol' || !fileDecision.affected) return fileDecision;
    return this.decideBySymbols(project, headReach, baseReach);
  }

  /**
   * One pass over the import graph finds the files from which a changed file, a file importing a
   * changed package or an uncertain file can be reached; only the deployables whose entry points
   * are among them need their own breadth-first reach (for the chains). The others reach nothing
   * that can make them affected, which is exactly an empty reach.
   */
  private mayBeAffectedAtHead(project: ModelProject): boolean {
    const { entryPointsOf, headReaching, model } = this.run;
    const head = this.head;
    const entryPoints = entryPointsOf.get(project.name) ?? [];
    if (entryPoints.length === 0 || entryPoints.some((entry) => !head.files.has(entry))) return true;
    const key = `${this.comparison.base}\0${this.packagesChanged}`;
    let reaching = headReaching.get(key);
    if (!reaching) {
      reaching = filesReaching(
        model.deployables.flatMap((candidate) => entryPointsOf.get(candidate.project.name) ?? []),
        head.graph,
        head.files,
        // Also every file the declaration-level pass could note something about (a non-source
        // file, any unresolved import, type-only ones included): that pass is limited to these
        // files below, so what it notes must lie among them.
        (file, step) =>
          this.changedAtHead.has(file) ||
          step.uncertain.length > 0 ||
          !isSourceFile(file) ||
          head.graph.edgesOf(file).some((edge) => edge.resolution.kind === 'unresolved') ||
          (this.packagesChanged && step.externals.some((name) => this.packageVersions.change(name) !== undefined)),
        // The same for a source file whose step the stored graph holds, from its flags.
        (file, flags) =>
          this.changedAtHead.has(file) ||
          (flags & (STEP_UNCERTAIN | IMPORT_UNRESOLVED)) !== 0 ||
          (this.packagesChanged &&
            (flags & IMPORTS_EXTERNAL) !== 0 &&
            reachStep(file, head.graph).externals.some((name) => this.packageVersions.change(name) !== undefined)),
      );
      headReaching.set(key, reaching);
    }
    return entryPoints.some((entry) => reaching.has(entry));
  }

  private baseEntryPoints(project: ModelProject): string[] {
    let entries = this.baseEntryPointsOf.get(project.name);
    if (!entries) {
      entries = this.run.rules.entryPoints(
        project,
        this.comparison.tree().files,
        this.run.model.entryPoints[project.name],
      );
      this.baseEntryPointsOf.set(project.name, entries);
    }
    return entries;
  }

  private reachesChangeAtBase(project: ModelProject): boolean {
    const tree = this.comparison.tree();
    this.reachingAtBase ??= filesReaching(
      this.group.flatMap((candidate) => this.baseEntryPoints(candidate.project)),
      tree.graph,
      tree.files,
      (file) => this.changedAtBase.has(file),
      (file) => this.changedAtBase.has(file),
    );
    const reaching = this.reachingAtBase;
    return this.baseEntryPoints(project).some((entry) => reaching.has(entry));
  }

  /** Symbol precision, for a deployable that file precision finds affected. */
  private decideBySymbols(project: ModelProject, headReach: Reach, baseReach: Reach | undefined): DeployableDecision {
    const changed = (this.runtime ??= this.comparison.runtimeChanges());
    // Files deleted or renamed away ship no more: they count if they were reached at base.
    const removedShipped = () =>
      shippedAtFilePrecision(
        this.comparison.changes.filter((change) => change.status === 'D' || change.status === 'R'),
        EMPTY_REACH,
        baseReach,
      );
    // Only a reached file whose emitted JavaScript changed (or packages, or uncertainty) can
    // make the declaration-level pass find something: otherwise skip it.
    const needsSymbolReach =
      this.packagesChanged ||
      headReach.uncertain.length > 0 ||
      [...changed].some(([file, change]) => headReach.parents.has(file) && resolvedChange(change).kind !== 'none');
    if (!needsSymbolReach)
      return withNotShipped(
        this.decideShipped(project, removedShipped(), new Map(), []),
        symbols.changesNotShipped(headReach.parents, changed, new Set()),
      );
    const reach = this.reachSymbols(project, headReach, changed);
    const shipped: ShippedChange[] = symbols.affectedBySymbols(reach, changed).map((hit) => ({
      file: hit.file,
      via: hit.chain,
      declarations: hit.declarations,
    }));
    shipped.push(...removedShipped());
    const entryPoints = this.run.entryPointsOf.get(project.name) ?? [];
    const missingEntries = [
      ...headReach.uncertain.filter((entry) => entryPoints.includes(entry.file) && !this.head.files.has(entry.file)),
    ];
    const notShipped = symbols.changesNotShipped(
      headReach.parents,
      changed,
      new Set(shipped.map((change) => change.file)),
    );
    return withNotShipped(
      this.decideShipped(project, shipped, reach.externals, [...missingEntries, ...reach.uncertain]),
      notShipped,
    );
  }

  private reachSymbols(project: ModelProject, headReach: Reach, changed: ReadonlyMap<string, ChangeSource>) {
    const head = this.head;
    const entryPoints = this.run.entryPointsOf.get(project.name) ?? [];
    // The declaration-level walk can stay within the files from which something that matters
    // is reachable (headReaching): every step it would take elsewhere leads to nothing that
    // matters, and the steps it does take come in the same order, so hits, chains, notes and
    // externals are the same. Not when a change adds or removes an import: whether that
    // matters depends on every module the deployable loads.
    const changesLoads = [...changed].some(([file, change]) => {
      if (!headReach.parents.has(file)) return false;
      const resolved = resolvedChange(change);
      return resolved.kind === 'declarations' && (resolved.loads?.length ?? 0) > 0;
    });
    // Narrower still: only steps that can reach a changed declaration or an uncertain spot, when
    // nothing else of the walk is read (no package changes, no module-level change whose mere
    // load would count).
    const moduleLevel = [...changed].some(([file, change]) => {
      if (!headReach.parents.has(file)) return false;
      const resolved = resolvedChange(change);
      return resolved.kind === 'declarations' && resolved.ids.includes(symbols.MODULE_LOAD);
    });
    const within = changesLoads
      ? undefined
      : this.run.headReaching.get(`${this.comparison.base}\0${this.packagesChanged}`);
    const restrict = within !== undefined && !moduleLevel && !this.packagesChanged;
    return symbols.reachSymbols({
      entries: entryPoints.filter((entry) => head.files.has(entry)),
      summaries: (file) => head.summaryOf(file),
      resolve: this.run.headResolver,
      verbatimModuleSyntax: head.compilerOptions.verbatimModuleSyntax === true,
      within,
      matters: restrict ? this.mattersFor(changed) : undefined,
      store: head.stepGraphStore,
    });
  }

  private matters?: symbols.SymbolsThatMatter;

  /**
   * What of each changed file can make a hit (affected-by-symbols.ts): the changed declarations
   * and export names, anything of a file changed whole, nothing of one without a runtime change;
   * with the entries of every deployable of the group, so one relevance pass serves them all.
   */
  private mattersFor(changed: ReadonlyMap<string, ChangeSource>): symbols.SymbolsThatMatter {
    return (this.matters ??= {
      of: (file) => {
        const source = changed.get(file);
        if (!source) return undefined;
        const change = resolvedChange(source);
        if (change.kind === 'none') return undefined;
        if (change.kind === 'whole' || change.ids.includes(symbols.MODULE_LOAD)) return 'all';
        return { declarations: new Set(change.ids), exports: new Set(change.exports ?? []) };
      },
      entries: this.group.flatMap(({ project }) => this.run.entryPointsOf.get(project.name) ?? []),
    });
  }

  /** The one call of the per-deployable rules (decideDeployable), at file and at symbol precision. */
  private decideShipped(
    project: ModelProject,
    shipped: readonly ShippedChange[],
    externals: ReadonlyMap<string, string>,
    uncertain: readonly UncertainFile[],
  ): DeployableDecision {
    const deployable: DeployableTarget = { project: project.name, root: project.root, base: this.comparison.base };
    return decideDeployable({
      // Own inputs, scoped uncertainty and dependencies' inputs (deployable-rules.ts).
      ...this.run.rules.forDecision(project, this.comparison.changes, this.packageVersions),
      deployable,
      changes: this.comparison.changes,
      projectRoots: this.run.projectRoots,
      shipped,
      externals,
      uncertain,
      externalChange: this.packageVersions.change,
      globalChanges: this.globalChanges,
    });
  }
}

const EMPTY_REACH: Reach = { parents: new Map(), externals: new Map(), uncertain: [] };

function resolvedChange(change: ChangeSource) {
  return typeof change === 'function' ? change() : change;
}

function withNotShipped(decision: DeployableDecision, notShipped: ChangeNotShipped[]): DeployableDecision {
  return notShipped.length > 0 ? { ...decision, changesNotShipped: notShipped } : decision;
}
