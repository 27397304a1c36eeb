import type { ContractChange } from '../../core/coupling/contract-change';
import { apiPositions } from './api-positions';
import { planChangedExport, planRename, type ExportPlan, type LabelledCheck, type PlanContext } from './compare-export';
import { createContractProject, type ContractProject } from './contract-project';
import { exportedNames, type ExportedName } from './export-surface';
import { loadLibraryVersion, workspacePath, type FileReader, type LibraryVersion } from './library-files';
import { privateOnlyTest } from './private-members';
import { runProbe } from './probe';

export type { FileReader } from './library-files';

/** One library whose exported API is compared between base and head. */
export interface ContractLibrary {
  /** The Nx project name. */
  project: string;
  /** Workspace-relative root of the project. */
  root: string;
  /**
   * Workspace-relative files its consumers import: the `main`/`exports` of its package.json or its
   * tsconfig `paths` target, typically `<root>/src/index.ts`.
   */
  entryFiles: readonly string[];
  /** Reads a workspace-relative file at base / at head; undefined when it does not exist there. */
  readBase: FileReader;
  readHead: FileReader;
  /** The workspace's tsconfig `paths` (targets workspace-relative), so re-exported libraries resolve. */
  paths?: Readonly<Record<string, readonly string[]>>;
  /**
   * Reads installed packages (workspace-relative `node_modules/…` paths), usually from disk: the
   * types a contract takes from them (`Observable`, a Prisma model, `z.infer`) are then compared
   * too. Without it they count as `any` and a change in them is not seen.
   */
  readExternal?: FileReader;
}

export interface FindContractChangesInput {
  libraries: readonly ContractLibrary[];
  /** Called once per library compared, with what it cost (for benchmarks and `--verbose`). */
  onStats?: (stats: ContractStats) => void;
}

export interface ContractStats {
  project: string;
  /** Files loaded at base and at head. */
  files: number;
  /** Exported names at base and at head (namespace members included). */
  exports: number;
  /** Exports present at both whose files changed, so the checker compared them. */
  compared: number;
  /** Lines of the probe file the checker answered. */
  checks: number;
  milliseconds: number;
}

/**
 * The changes to what each library exports between base and head, each classified by the type
 * checker as breaking (code written against the old export no longer compiles, or gets what it did
 * not expect) or additive. Only exports whose declaration files, or the files those import, changed
 * are compared. See docs/contracts.md.
 */
export function findContractChanges(input: FindContractChangesInput): ContractChange[] {
  // Non-TypeScript contract files (OpenAPI, .proto …) are found by the coupling report itself
  // (core/coupling/contracts.ts), by content, with their consumers.
  return input.libraries.flatMap((library) => libraryChanges(library, input.onStats));
}

function libraryChanges(library: ContractLibrary, onStats?: (stats: ContractStats) => void): ContractChange[] {
  const started = performance.now();
  const stats: ContractStats = {
    project: library.project,
    files: 0,
    exports: 0,
    compared: 0,
    checks: 0,
    milliseconds: 0,
  };
  const changes = compareLibrary(library, stats);
  stats.milliseconds = Math.round(performance.now() - started);
  onStats?.(stats);
  return changes;
}

function compareLibrary(library: ContractLibrary, stats: ContractStats): ContractChange[] {
  if (library.entryFiles.length === 0) {
    throw new Error(
      `Project '${library.project}' has no entry file to compare: pass the files its consumers import (the main/exports of its package.json or its tsconfig paths target, e.g. ${library.root}/src/index.ts).`,
    );
  }
  const options = { paths: library.paths, readExternal: library.readExternal };
  const base = loadLibraryVersion('base', library.entryFiles, library.readBase, options);
  const head = loadLibraryVersion('head', library.entryFiles, library.readHead, options);
  // A library that is new at head has no consumers written against an older version.
  if (base.files.size === 0) return [];
  stats.files = base.files.size + head.files.size;
  if (sameFiles(base, head)) return [];
  const contract = createContractProject(base, head);
  const comparison: Comparison = {
    library,
    base,
    head,
    contract,
    stats,
    privateOnly: privateOnlyTest(contract.project),
  };
  return library.entryFiles
    .flatMap((entryFile, index) => compareEntry(comparison, entryFile, index))
    .sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.exportName.localeCompare(b.exportName));
}

interface Comparison {
  library: ContractLibrary;
  base: LibraryVersion;
  head: LibraryVersion;
  contract: ContractProject;
  stats: ContractStats;
  privateOnly: (message: string) => boolean;
}

type Scheduled<T> = { offset: number } & T;

/** Compares what one entry file exports at base and at head: one probe for all its questions. */
function compareEntry(comparison: Comparison, entryFile: string, index: number): ContractChange[] {
  const { library, base, head, contract, stats, privateOnly } = comparison;
  const baseFile = contract.project.getSourceFile(`/base/${entryFile}`);
  if (!baseFile) return [];
  const headFile = contract.project.getSourceFile(contract.headPath(`/head/${entryFile}`));
  const context: PlanContext = {
    positions: new Map(),
    baseAlias: `B${index}`,
    headAlias: `H${index}`,
    workspacePath,
    privateOnly,
    unresolvedImports: (file) => (file.startsWith('/base/') ? base : head).unresolved.get(file) ?? [],
  };
  const before = exportedNames(baseFile);
  const after = headFile ? exportedNames(headFile) : new Map<string, ExportedName>();
  const changed = changedFileTest(base, head);
  const reexportsChanged = reexportChanged(base, head);
  // Positions cost a walk of every signature: only worth it when some export is compared.
  let positionsFound = false;
  const needPositions = () => {
    if (!positionsFound) context.positions = apiPositions([...before.values(), ...after.values()]);
    positionsFound = true;
  };
  const plans: Array<Scheduled<{ plan: ExportPlan }>> = [];
  const checks: LabelledCheck[] = [];
  let placeholders = 0;
  const unchangedValues: Array<Scheduled<{ entry: ExportedName }>> = [];
  for (const [name, old] of before) {
    const next = after.get(name);
    if (!next) continue;
    if (changed(old) || changed(next)) {
      stats.compared++;
      needPositions();
      const plan = planChangedExport(old, next, context);
      plans.push({ plan, offset: checks.length });
      checks.push(...plan.checks);
      placeholders = Math.max(placeholders, plan.placeholders);
    } else if (old.valueKind && reexportsChanged) {
      // Its files did not change, but a barrel may now re-export it with `export type`.
      unchangedValues.push({ entry: next, offset: checks.length });
      checks.push({ check: { statement: `void ${context.headAlias}.${next.access};` }, consequence: '' });
    }
  }
  const removed = [...before.values()].filter((entry) => !after.has(entry.name));
  const added = [...after.values()].filter((entry) => !before.has(entry.name));
  const renames = renameCandidates(removed, added, context, checks);
  stats.exports += before.size + after.size;
  stats.checks += checks.length;
  const failures = runProbe(
    contract,
    [
      { alias: context.baseAlias, file: baseFile.getFilePath() },
      ...(headFile ? [{ alias: context.headAlias, file: headFile.getFilePath() }] : []),
    ],
    checks.map(({ check }) => check),
    placeholders,
  );
  const changes: ContractChange[] = [];
  for (const { plan, offset } of plans) {
    const change = plan.finish(failures.slice(offset, offset + plan.checks.length));
    if (change) changes.push({ project: library.project, ...change });
  }
  for (const { entry, offset } of unchangedValues) {
    if (failures[offset] === undefined) continue;
    changes.push({
      project: library.project,
      file: workspacePath(entry.file),
      line: entry.line,
      exportName: entry.name,
      kind: 'changed-export',
      breaking: true,
      detail: `\`${entry.name}\` is no longer exported as a value (now a type-only export): code that calls it, constructs it or reads it no longer compiles; checker: ${failures[offset]!.replace(/\.+$/, '')}.`,
    });
  }
  return [...changes, ...namesChanged(library.project, entryFile, removed, added, renames, failures)];
}

/** Removed, renamed and added exports, once the probe said which removed/added pairs have the same shape. */
function namesChanged(
  project: string,
  entryFile: string,
  removed: ExportedName[],
  added: ExportedName[],
  renames: ReturnType<typeof renameCandidates>,
  failures: Array<string | undefined>,
): ContractChange[] {
  const changes: ContractChange[] = [];
  const renamedTo = new Map<string, string>();
  for (const { removed: old, added: next, offset, length } of renames) {
    if (renamedTo.has(old.name) || [...renamedTo.values()].includes(next.name)) continue;
    if (failures.slice(offset, offset + length).every((failure) => failure === undefined)) {
      renamedTo.set(old.name, next.name);
    }
  }
  for (const entry of removed) {
    const to = renamedTo.get(entry.name);
    changes.push({
      project,
      file: workspacePath(entry.file),
      line: entry.line,
      exportName: entry.name,
      kind: to ? 'renamed-export' : 'removed-export',
      breaking: true,
      detail: to
        ? `\`${entry.name}\` was renamed to \`${to}\` (same shape): code that imports \`${entry.name}\` no longer compiles; export both names until every consumer has moved.`
        : `\`${entry.name}\` is no longer exported by ${entryFile}: code that imports it no longer compiles.`,
      ...(to ? { renamedTo: to } : {}),
    });
  }
  for (const entry of added) {
    if ([...renamedTo.values()].includes(entry.name)) continue;
    changes.push({
      project,
      file: workspacePath(entry.file),
      line: entry.line,
      exportName: entry.name,
      kind: 'added-export',
      breaking: false,
      detail: `New export \`${entry.name}\`: nothing written against the old version uses it.`,
    });
  }
  return changes;
}

const MAX_RENAME_PAIRS = 400;

function renameCandidates(
  removed: ExportedName[],
  added: ExportedName[],
  context: PlanContext,
  checks: LabelledCheck[],
) {
  const renames: Array<{ removed: ExportedName; added: ExportedName; offset: number; length: number }> = [];
  for (const old of removed) {
    for (const next of added) {
      if (renames.length >= MAX_RENAME_PAIRS) return renames;
      const pairChecks = planRename(old, next, context);
      if (!pairChecks) continue;
      renames.push({ removed: old, added: next, offset: checks.length, length: pairChecks.length });
      checks.push(...pairChecks);
    }
  }
  return renames;
}

/** Did a file with an export list or a re-export change (so a name may now be exported with `export type`)? */
function reexportChanged(base: LibraryVersion, head: LibraryVersion): boolean {
  const reexport = /\bexport\s+(type\s+)?(\*|\{)/;
  return [...head.files].some(([path, text]) => {
    const before = base.files.get(path.replace(/^\/head\//, '/base/'));
    return before !== text && reexport.test(text) && !path.startsWith('/external/');
  });
}

function sameFiles(base: LibraryVersion, head: LibraryVersion): boolean {
  if (base.files.size !== head.files.size) return false;
  for (const [path, text] of base.files) {
    if (head.files.get(path.replace(/^\/base\//, '/head/')) !== text) return false;
  }
  return true;
}

/**
 * "Did anything this export's declaration sees change?": its declaration files and every file they
 * import (transitively) within what was loaded, compared by text between base and head.
 */
function changedFileTest(base: LibraryVersion, head: LibraryVersion): (entry: ExportedName) => boolean {
  const memo = new Map<string, boolean>();
  const textAt = (path: string) => (path.startsWith('/base/') ? base : head).files.get(path);
  const other = (path: string) =>
    path.startsWith('/base/') ? path.replace(/^\/base\//, '/head/') : path.replace(/^\/head\//, '/base/');
  const fileChanged = (path: string) =>
    textAt(path) !== (path.startsWith('/base/') ? head : base).files.get(other(path));
  const closureChanged = (start: string): boolean => {
    const cached = memo.get(start);
    if (cached !== undefined) return cached;
    const seen = new Set<string>([start]);
    const queue = [start];
    let result = false;
    while (queue.length > 0 && !result) {
      const path = queue.shift()!;
      if (fileChanged(path)) result = true;
      for (const next of (path.startsWith('/base/') ? base : head).imports.get(path) ?? []) {
        // Installed packages are read once, the same for base and head: nothing to compare there.
        if (seen.has(next) || next.startsWith('/external/')) continue;
        seen.add(next);
        queue.push(next);
      }
    }
    memo.set(start, result);
    return result;
  };
  return (entry) => entry.declarations.some((node) => closureChanged(node.getSourceFile().getFilePath()));
}
