/**
 * The result of `lockstep history`: what a replay of first-parent history says about coupled
 * deploys. Its JSON form is a public, versioned contract (schema/history-result.schema.json);
 * every reporter (text, json, markdown) reads this model alone.
 */
import type { Precision } from '../result';

export const HISTORY_RESULT_VERSION = 1 as const;

/**
 * Why a deployable deployed in one commit, reduced to what coupling needs: whose code changed.
 * - `own`: its own root changed (its own code, config or marker file);
 * - `shared-code`: code of another project it imports (a library, or another deployable's
 *   code) changed; `symbols` are the changed declarations it uses (symbol precision);
 * - `external-package`, `global-input`: a locked package version, a global input;
 * - `other`: never deployed, base unavailable, analysis uncertain — a safety rule.
 */
export type DeployCause =
  | { kind: 'own' }
  | { kind: 'shared-code'; project: string; file: string; symbols?: string[] }
  | { kind: 'external-package'; package: string }
  | { kind: 'global-input'; file: string }
  | { kind: 'other'; detail: string };

/** One replayed commit (parent..commit): who deploys at lockstep's precision and at Nx's. */
export interface HistoryCommit {
  sha: string;
  parent: string;
  /** Committer date, ISO 8601. */
  date: string;
  subject: string;
  /** Deployables that existed at this commit: what a lock-step setup deploys every time. */
  deployables: number;
  /** Deployables lockstep deploys (sorted). */
  lockstep: string[];
  /** Deployables Nx deploys (`nx show projects --affected`, sorted). */
  nx: string[];
  /** Per deployable lockstep deploys: why (the causes of its reasons, without repeats). */
  causes: Record<string, DeployCause[]>;
}

/** The records the analysis reads, from the adapter that replays history. */
export interface HistoryReplay {
  head: string;
  precision: Precision;
  /** Oldest first. */
  commits: HistoryCommit[];
  /** Per deployable: the replayed commits it existed in (what lock-step deployment deploys it). */
  present: Record<string, number>;
  /** `--since`, when the replay was limited by date. */
  since?: string;
  warnings?: string[];
}

export interface CouplingOptions {
  /** A deployable needs at least this many deploys to be coupled (code-maat's min-revs). */
  minDeploys: number;
  /** A pair needs at least this many commits deploying both (min-shared-revs). */
  minShared: number;
  /** Degree from 0 to 1 a pair needs: shared ÷ mean of the two deploy counts (min-coupling). */
  minDegree: number;
  /** Commits deploying more deployables than this are left out of coupling (max-changeset-size). */
  maxDeployables: number;
}

export interface HistoryOptions extends CouplingOptions {
  /** Commits per drift window. */
  window: number;
}

export const DEFAULT_HISTORY_OPTIONS: HistoryOptions = {
  minDeploys: 5,
  minShared: 5,
  minDegree: 0.3,
  maxDeployables: 30,
  window: 50,
};

/** Deploys of one deployable over the replay. */
export interface DeploysOfDeployable {
  project: string;
  lockstep: number;
  nx: number;
  /** Commits it existed in: what lock-step deployment deploys it. */
  lockStep: number;
}

export interface DeployTotals {
  commits: number;
  lockstep: number;
  nx: number;
  lockStep: number;
}

/** Two deployables that deploy together, with code-maat's coupling degree. */
export interface CoupledPair {
  a: string;
  b: string;
  /** Commits deploying both (commits over `maxDeployables` left out). */
  shared: number;
  aDeploys: number;
  bDeploys: number;
  /** shared ÷ mean(aDeploys, bDeploys), 0 to 1. */
  degree: number;
}

/** One ranked cause of a lock-step group. */
export type GroupCause =
  | {
      kind: 'shared-code';
      /** The project whose code made several members deploy (a library, or a deployable's code another imports). */
      project: string;
      /** Commits in which this project's change deployed two or more members. */
      commits: number;
      /** Members it deployed together. */
      deployables: string[];
      /** The changed files (and symbols used, at symbol precision), most frequent first. */
      files: Array<{ file: string; commits: number; symbols: string[] }>;
    }
  | {
      /** Commits that changed two or more members' own code at once: functionality scattered across services. */
      kind: 'scattered';
      commits: number;
      deployables: string[];
      /** Up to five of those commits, newest first. */
      examples: Array<{ sha: string; subject: string }>;
    }
  | { kind: 'external-package'; package: string; commits: number; deployables: string[] }
  | { kind: 'global-input'; file: string; commits: number; deployables: string[] };

/** Deployables that keep deploying together: a connected component of coupled pairs. */
export interface LockstepGroup {
  /** Sorted. */
  deployables: string[];
  /** The pairs above the thresholds that join it. */
  pairs: CoupledPair[];
  /** Commits deploying two or more members. */
  commits: number;
  /** Most commits first. */
  causes: GroupCause[];
}

/** One window of commits (oldest window first). */
export interface DriftWindow {
  /** First and last commit of the window. */
  from: string;
  to: string;
  commits: number;
  lockstepPerCommit: number;
  nxPerCommit: number;
  /** Size of the largest lock-step group within the window (0: none). */
  largestGroup: number;
  groups: number;
}

export interface GateFinding {
  rule: 'new-lockstep-group' | 'group-grew';
  group: string[];
  /** group-grew: the members the baseline group did not have. */
  added?: string[];
  /** group-grew: the baseline group it grew from. */
  baseline?: string[];
  message: string;
}

export interface HistoryGate {
  rules: Array<'new-lockstep-group' | 'group-grew'>;
  /** Whether a baseline was found (without one, every group is new). */
  baseline: boolean;
  findings: GateFinding[];
  passed: boolean;
}

export interface HistoryResult {
  version: typeof HISTORY_RESULT_VERSION;
  head: string;
  precision: Precision;
  /** The replayed range: oldest and newest commit, and how many commits. */
  range: { from: string | null; to: string | null; commits: number; since?: string };
  options: HistoryOptions;
  totals: DeployTotals;
  /** Sorted by deploys saved against Nx, then name. */
  deployables: DeploysOfDeployable[];
  /** Pairs above the thresholds, highest degree first. */
  pairs: CoupledPair[];
  /** Largest first. */
  groups: LockstepGroup[];
  /** The same coupling at Nx's precision: the groups Nx's deploys would form. */
  nxGroups: Array<{ deployables: string[] }>;
  drift: DriftWindow[];
  commits: HistoryCommit[];
  gate?: HistoryGate;
  warnings?: string[];
}
