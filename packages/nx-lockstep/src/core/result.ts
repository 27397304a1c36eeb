/**
 * The one result model every surface reads: the CLI (text and JSON), the affected-deploy
 * executor, the pipeline emitters and the reporters. Its JSON form is the public, versioned
 * contract described in DESIGN.md and shipped as schema/affected-result.schema.json.
 */

export const RESULT_VERSION = 1 as const;

export type Precision = 'project' | 'file' | 'symbol';
export const PRECISIONS: readonly Precision[] = ['project', 'file', 'symbol'];

export type Reason =
  /** A file that belongs to the deployable itself changed (at project precision: any file of its root). */
  | { kind: 'own-file-changed'; file: string; via?: string[]; declarations?: string[] }
  /**
   * A file reached by imports from an entry point changed; `via` is the chain entry → … → file.
   * For generated code (an import into a path git does not hold) the chain goes through the
   * generated path to the generator's changed input, and `input` names the generator.
   */
  | { kind: 'imported-file-changed'; file: string; via: string[]; declarations?: string[]; input?: string }
  /**
   * Project precision: a workspace project this deployable depends on changed. At file and
   * symbol precision: a non-source file of a dependency that the build inputs include, and
   * `input` names the input (e.g. `^production`).
   */
  | { kind: 'dependency-project-changed'; project: string; file: string; via: string[]; input?: string }
  /**
   * What is installed for an external package imported by a reached file (or for a package it
   * installs) changed: its locked version, its range in package.json when no lockfile is
   * committed, or a patch of it. `lockfile` is the file that says so; `from` and `to` are null
   * for a patch.
   */
  | {
      kind: 'external-package-changed';
      package: string;
      from: string | null;
      to: string | null;
      lockfile: string;
      importedBy?: string;
    }
  /** A global input (root tsconfig compilerOptions, a configured file) changed. */
  | { kind: 'global-input-changed'; file: string; detail?: string }
  /** No deploy marker exists for this deployable and environment. */
  | { kind: 'never-deployed'; env: string }
  /** The base commit is not in the local repository (a shallow clone, a pruned ref). */
  | { kind: 'base-unavailable'; base: string; hint: string }
  /** The analysis could not be sure; the deployable is deployed rather than risk a miss. */
  | { kind: 'analysis-uncertain'; file: string; detail: string; via?: string[] }
  /** Explicitly forced (`--force`). */
  | { kind: 'forced' };

export type ReasonKind = Reason['kind'];

export interface DeployableDecision {
  project: string;
  /** The base this deployable was compared from: its marker sha, an explicit base, or null. */
  base: string | null;
  affected: boolean;
  reasons: Reason[];
  /**
   * Symbol precision: changed files this deployable imports whose change it does not ship — why
   * a change Nx would deploy it for did not count. Absent when there are none.
   */
  changesNotShipped?: ChangeNotShipped[];
}

/** A changed file a deployable imports, and why the change does not reach what it ships. */
export interface ChangeNotShipped {
  file: string;
  /** Entry point → … → file, by imports. */
  via: string[];
  /** `no-runtime-change`: comments, types or layout only; `not-used`: the changed declarations are not ones it uses. */
  because: 'no-runtime-change' | 'not-used';
  /** For `not-used`: what changed (declaration ids, as in reasons). */
  declarations?: string[];
}

export interface AffectedResult {
  version: typeof RESULT_VERSION;
  head: string;
  precision: Precision;
  env?: string;
  deployables: DeployableDecision[];
  /** Non-fatal notes for a person (e.g. uncommitted changes ignored). */
  warnings?: string[];
}
