/**
 * A change to what a library exports, between base and head, classified by the type checker:
 * breaking (code written against the old export no longer compiles, or no longer gets what it
 * relied on) or additive (safe). Found by the contracts classifier (adapters/contracts); the
 * coupling report attaches the consuming deployables and their use sites, which only the engine's
 * model knows.
 */
export type ContractChangeKind =
  /** The export is gone (breaking). */
  | 'removed-export'
  /** The export is gone and another with the same shape appeared (breaking, with the new name). */
  | 'renamed-export'
  /** The export's type changed so that old consumers break (breaking). */
  | 'changed-export'
  /** A new export, or a change old consumers still compile against (safe). */
  | 'added-export'
  | 'compatible-change'
  /** A non-TypeScript contract file (OpenAPI, JSON Schema, .proto …) changed: not classified, listed. */
  | 'contract-file-changed';

export interface ContractChange {
  /** The library (Nx project) whose export changed. */
  project: string;
  /** Workspace-relative file that declares the export (head; base for a removed export). */
  file: string;
  /** 1-based line of the export's declaration in that file. */
  line: number;
  /** The exported name as consumers import it (`default` for a default export); '' for a contract file. */
  exportName: string;
  kind: ContractChangeKind;
  breaking: boolean;
  /** What changed, in words a person can act on: "parameter `id` changed from string to number". */
  detail: string;
  /** For a rename: the new name. */
  renamedTo?: string;
}

/** A consumer of a changed export: a deployable and where its code uses the export. */
export interface ContractConsumer {
  deployable: string;
  file: string;
  line: number;
}

/** The advice the essay gives for a breaking change to a shared contract. */
export const ADDITIVE_CHANGE_ADVICE =
  'Change contracts additively: add the new member first, move every consumer to it (each deploys on its own), ' +
  'then remove the old one in a later change.';
