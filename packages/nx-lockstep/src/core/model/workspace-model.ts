/**
 * The workspace as the decision sees it: plain data and lazy views, read by an adapter
 * (adapters/read-workspace-model.ts reads git, the caches and Nx) or built in memory by a test.
 * The decision (core/affected/decide-affected.ts) knows nothing of git, caches or processes: what
 * is costly to compute is a getter or a function here, computed only when a deployable needs it.
 */
import type { FileChange } from '../affected/file-change';
import type { GeneratedOption } from '../affected/generated-code';
import type { ImportGraph } from '../graph/import-graph';
import type { ModuleSummary } from '../module-summary';
import type { Precision } from '../result';
import type { Resolver } from '../resolve/resolution-context';
import type { ChangeSource, StepGraphStore } from '../symbols';

/** One target of a project, as Nx has it after inference and targetDefaults. */
export interface ModelTarget {
  executor?: string;
  options?: Record<string, unknown>;
  inputs?: unknown[];
  outputs?: string[];
}

/** One project of the workspace (the part of Nx's project configuration the engine reads). */
export interface ModelProject {
  name: string;
  /** Workspace-relative root ('' for a project at the workspace root). */
  root: string;
  targets: Record<string, ModelTarget>;
  /** The project's own `namedInputs` (nx.json's are read from nx.json). */
  namedInputs?: Record<string, unknown[]>;
  /** Nx tags: `type:contract` marks a contract library for the coupling report; `lockstep graph` groups by a `domain:`/`scope:` tag. */
  tags?: readonly string[];
}

/** A deployable to decide, and the commit (or ref) it is compared from: null = never deployed. */
export interface ModelDeployable {
  project: ModelProject;
  base: string | null;
}

/**
 * The files of one commit: their list, contents and import graph. `graph`, `context` and
 * `compilerOptions` are computed on first use (project precision never needs them).
 */
export interface WorkspaceTree {
  readonly commit: string;
  readonly files: ReadonlySet<string>;
  readonly graph: ImportGraph;
  /** How this commit resolves an import (the governing tsconfig of each file, packages). */
  readonly resolve: Resolver;
  /** The root tsconfig's compilerOptions, after `extends`. */
  readonly compilerOptions: Record<string, unknown>;
  summaryOf(file: string): ModuleSummary | undefined;
  readText(path: string): string | undefined;
  /** One tsconfig's compilerOptions after `extends`, or why it cannot be read. */
  readTsconfig(file: string): { compilerOptions: Record<string, unknown>; problem?: string };
  /** Where the declaration-level step graph is kept between runs (symbol precision), if anywhere. */
  readonly stepGraphStore?: StepGraphStore;
}

/** What changed between one base commit and head, and the lazy views the decision may need. */
export interface BaseComparison {
  /** The base commit (resolved). */
  readonly base: string;
  readonly changes: readonly FileChange[];
  /** The workspace at the base commit: read only when a deleted file, a lockfile or a tsconfig asks for it. */
  tree(): WorkspaceTree;
  /**
   * Symbol precision: what changed at runtime in each changed file (deleted files left out),
   * each value computed only when some deployable reaches the file.
   */
  runtimeChanges(): ReadonlyMap<string, ChangeSource>;
  /** Project precision: the projects Nx reports affected between base and head. */
  readonly nxAffected?: ReadonlySet<string>;
}

/** A base the decision can compare from, or why it cannot (the deployable then deploys). */
export type BaseLookup = { kind: 'available'; comparison: BaseComparison } | { kind: 'unavailable'; hint: string };

export interface WorkspaceModel {
  /** The workspace at head (the commit analysed). */
  readonly head: WorkspaceTree;
  /** Every project: roots tell whose a changed file is, dependencies give project precision's chains. */
  readonly projects: readonly ModelProject[];
  readonly dependencies: Readonly<Record<string, readonly string[]>>;
  /** The deployables to decide, sorted by name, each with its base. */
  readonly deployables: readonly ModelDeployable[];
  /** Files whose change affects every deployable (the `globalInputs` option). */
  readonly globalInputs: readonly string[];
  /** Entry points set in the plugin options, by project. */
  readonly entryPoints: Readonly<Record<string, readonly string[]>>;
  /** The deploy target's name (its inputs are a deployable's build inputs when it has no `build`). */
  readonly deployTargetName: string;
  /** Generated code Nx knows no target for (the `generated` plugin option). */
  readonly generated: readonly GeneratedOption[];
  /** The comparison from a base ref (one per distinct commit, shared by the deployables using it). */
  compare(baseRef: string): BaseLookup;
  /** Notes made while reading the world (uncommitted changes, projects left out). */
  readonly warnings: readonly string[];
  /** Problems found while the decision read head (tsconfig, manifests): read after deciding. */
  problems(): readonly string[];
}

/** What the caller asks of the decision: how finely a change must reach, for which environment. */
export interface AffectedRequest {
  precision: Precision;
  env: string;
}
