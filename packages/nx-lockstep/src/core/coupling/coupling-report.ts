/**
 * The coupling report (`lockstep report`): what still makes deployables deploy together, read
 * from the code at head, and for a range (base..head) the deploy decisions and the contract
 * changes. One result model for every format (text, JSON, Markdown, SARIF); its JSON form is the
 * versioned contract schema/coupling-report.schema.json.
 */
import type { FailOnRuleName } from '../../config/fail-on';
import type { GraphData } from '../graph-view/graph-data';
import type { AffectedResult } from '../result';
import type { ContractChange, ContractConsumer } from './contract-change';

export const COUPLING_REPORT_VERSION = 1 as const;

export interface CouplingReport {
  version: typeof COUPLING_REPORT_VERSION;
  head: string;
  /** The base commit of the range, when one was asked (`--base`). */
  base?: string;
  /** The deployables' deploy decisions between base and head (only with `--base`). */
  decisions?: AffectedResult;
  deployableImports: DeployableImport[];
  blastRadius: BlastRadius;
  contracts: ContractsSection;
  cycles: ProjectCycle[];
  /** Every finding of the sections above that the gate and SARIF read, with a stable fingerprint. */
  findings: CouplingFinding[];
  /** The `--fail-on` verdict, when rules were given. */
  gate?: GateOutcome;
  /**
   * The graph `lockstep graph` draws (its own `version`), built from the same model: the Markdown
   * report shows its deployables-only Mermaid view. Absent from reports of older versions.
   */
  graph?: GraphData;
  warnings?: string[];
}

/** Section 1: one deployable's code imported (at runtime) by another. */
export interface DeployableImport {
  /** The deployable that imports (and so redeploys when the other's file changes). */
  from: string;
  /** The deployable whose code it imports. */
  to: string;
  /** The imported file (owned by `to`). */
  file: string;
  /** The file whose import crosses into `to`, and the line of that import. */
  importer: string;
  line: number;
  specifier: string;
  /** Entry point of `from` → … → importer → file. */
  via: string[];
  /** The names imported (`*` for a namespace or a whole module, `default`). */
  symbols: string[];
  suggestion: { move: 'library' | 'contract'; text: string };
}

/** Section 2. */
export interface BlastRadius {
  /** Per library (a project that is not a deployable): who redeploys when it changes, most first. */
  libraries: BlastRadiusEntry[];
  /** The library files the most deployables ship (at most HOT_FILES of them). */
  hotFiles: BlastRadiusEntry[];
  /** Per barrel (a library file that re-exports), which deployables use each export. */
  barrels: BarrelUse[];
}

export interface BlastRadiusEntry {
  /** A library's name, or a file's path. */
  id: string;
  project: string;
  /** Where to point at it: the file itself, or a library's config file. */
  file: string;
  /** Nx's answer: every deployable whose project-dependency closure holds the library. */
  projectPrecision: string[];
  /** lockstep's answer: the deployables whose runtime code uses it (type-only imports do not count). */
  symbolPrecision: string[];
}

export interface BarrelUse {
  file: string;
  project: string;
  /** Deployables that use anything through this barrel. */
  usedBy: string[];
  exports: Array<{ name: string; usedBy: string[] }>;
}

/** Section 3. */
export interface ContractsSection {
  /** Libraries whose exports cross a deploy boundary: used by two or more deployables, or tagged `type:contract`. */
  libraries: ContractLibrary[];
  /** Whether a TypeScript classifier looked at the exports (`contractChanges` of kind *-export). */
  classified: boolean;
  /** Changes between base and head, each with the deployables that consume it. Empty without `--base`. */
  contractChanges: AttachedContractChange[];
}

export interface ContractLibrary {
  project: string;
  root: string;
  /** The deployables that depend on it (Nx dependency closure). */
  deployables: string[];
  tagged: boolean;
}

export interface AttachedContractChange extends ContractChange {
  consumers: ContractConsumer[];
}

/** Section 4: projects that depend on each other in a circle (Nx project graph). */
export interface ProjectCycle {
  /** The projects of the strongly connected component, sorted. */
  projects: string[];
  /** One cycle through them: a → b → … → a. */
  path: string[];
  /** Where the first edge of `path` comes from (an import), when a file shows it. */
  file: string;
  line: number;
}

export type FindingRule = 'deployable-import' | 'breaking-contract' | 'contract-change' | 'blast-radius' | 'cycle';

/** One thing the report points at a line for (SARIF result, gate input). */
export interface CouplingFinding {
  rule: FindingRule;
  level: 'error' | 'warning' | 'note';
  /** Stable across unrelated edits (no line numbers): the baseline and SARIF partialFingerprints use it. */
  fingerprint: string;
  message: string;
  file: string;
  /** 1-based. */
  line: number;
}

export interface GateOutcome {
  /** The rules checked, as given (`blast-radius>5`). */
  rules: string[];
  failed: boolean;
  /** Findings that break a rule and are not in the baseline. */
  failures: Array<{ rule: FailOnRuleName; fingerprint: string; message: string }>;
  /** Findings that break a rule but the baseline accepted. */
  accepted: number;
}
