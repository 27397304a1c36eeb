import { isAssetFile, isDeclarationFile, isSourceFile } from '../extract/file-kinds';
import { summarizeModule } from '../extract/summarize-module';
import { changedManifestFields, isPackageManifest } from './package-manifest';
import { emitModule, emitOptions, type EmittedModule } from './emitted-module';
import type { ModuleSummary } from '../module-summary';
import { MODULE_LOAD } from './module-load';
import { sameTokens } from './same-tokens';

export { MODULE_LOAD };

/** What changed at runtime in one file between base and head. */
export type ChangedDeclarations =
  | { kind: 'none' }
  | {
      kind: 'declarations';
      /** Declaration ids (extractor ids, at head where they exist) whose emitted JavaScript differs; may hold MODULE_LOAD. */
      ids: string[];
      /** Exported names that now resolve to something else (or no longer exist). */
      exports?: string[];
      /** Import specifiers that the module loads at one side only: they count when their target has side effects. */
      loads?: string[];
    }
  | { kind: 'whole'; detail: string };

export interface SourceVersion {
  fileName: string;
  /** May be a getter: read only when no `ModuleSource` answer is remembered and no ids compare. */
  text: string;
  /** Content id (a git blob id): two versions with the same id have the same text, different ids different texts. */
  id?: string;
}

/**
 * Where `changedDeclarations` gets a version's emitted JavaScript and extractor summary. The
 * default computes both from the text; an adapter may answer from a cache keyed by content id,
 * so a file emitted once is never transpiled (nor its text read, nor the compiler loaded) again.
 */
export interface ModuleSource {
  emitted(version: SourceVersion, compilerOptions: Record<string, unknown>): EmittedModule | undefined;
  summary(version: SourceVersion): ModuleSummary;
  /** Whether the version's emit is remembered: when both are, comparing them reads no text. */
  remembered?(version: SourceVersion, compilerOptions: Record<string, unknown>): boolean;
}

export const COMPUTED_MODULE_SOURCE: ModuleSource = {
  emitted: (version, compilerOptions) => emitModule(version.fileName, version.text, emitOptions(compilerOptions)),
  summary: (version) => summarizeModule(version.fileName, version.text),
};

/**
 * Compares one file's runtime code between base and head (null = absent at that side). Both
 * sides go through `transpileModule` with the workspace's emit options, so comment-, layout- and
 * type-only edits yield `none`, and decorator metadata counts when `emitDecoratorMetadata` is on.
 * A new, deleted or unparsable file is `whole`.
 */
export function changedDeclarations(
  base: SourceVersion | null,
  head: SourceVersion | null,
  compilerOptions: Record<string, unknown> = {},
  source: ModuleSource = COMPUTED_MODULE_SOURCE,
): ChangedDeclarations {
  if (!base && !head) return { kind: 'none' };
  const fileName = (head ?? base)!.fileName;
  if (isDeclarationFile(fileName)) return { kind: 'none' };
  if (!base || !head) return { kind: 'whole', detail: base ? `${fileName} was deleted` : `${fileName} is new` };
  if (base.id !== undefined && head.id !== undefined ? base.id === head.id : base.text === head.text)
    return { kind: 'none' };
  if (isPackageManifest(fileName)) {
    const fields = changedManifestFields(base.text, head.text);
    if (!fields) return { kind: 'whole', detail: `${fileName} is not a JSON object` };
    return fields.length === 0 ? { kind: 'none' } : { kind: 'declarations', ids: fields };
  }
  if (!isSourceFile(fileName)) {
    return {
      kind: 'whole',
      detail: isAssetFile(fileName) ? `${fileName} changed (shipped as a whole)` : `${fileName} changed`,
    };
  }

  // Same tokens (a comment or layout edit): the same emit, unless neither parses (then `whole`).
  const bothRemembered = !!source.remembered?.(base, compilerOptions) && source.remembered(head, compilerOptions);
  if (!bothRemembered && sameTokens(fileName, base.text, head.text) && source.summary(head).parseErrors.length === 0)
    return { kind: 'none' };

  const before = source.emitted(base, compilerOptions);
  const after = source.emitted(head, compilerOptions);
  if (!before) return { kind: 'whole', detail: `${base.fileName} does not parse at base` };
  if (!after) return { kind: 'whole', detail: `${head.fileName} does not parse` };

  const ids = new Set<string>();
  compareNamed(before, after, ids);
  compareAnonymous(before, after, ids);
  const exports = new Set<string>();
  compareImports(before, after, ids, exports);
  compareExports(before, after, ids, exports);
  const loads = compareLoads(before, after, ids);
  compareOrder(before, after, ids);

  // A side-effectful statement that changed may have stopped being side-effectful, and then no
  // longer be reached at head although loading the module used to run it.
  const sideEffectsAt = (version: SourceVersion) =>
    new Set(
      source
        .summary(version)
        .declarations.filter((declaration) => declaration.sideEffect && !declaration.typeOnly)
        .map((declaration) => declaration.id),
    );
  if (ids.size > 0) {
    const atBase = sideEffectsAt(base);
    const atHead = sideEffectsAt(head);
    for (const id of [...ids]) if (atBase.has(id) && !atHead.has(id)) ids.add(MODULE_LOAD);
  }
  // A module that starts or stops importing anything is compiled differently by bundlers: esbuild
  // inlines a module's top-level constants only while it imports nothing (an import could run
  // first, in a cycle, and see them uninitialised), so every variable it keeps changes form.
  // Counted in the source: an import TypeScript would elide as unused still counts for esbuild.
  if (importsAnything(source.summary(base)) !== importsAnything(source.summary(head))) {
    for (const [id, declaration] of [...before.declarations, ...after.declarations])
      if (VARIABLE.test(declaration.text)) ids.add(id);
  }

  if (ids.size === 0 && exports.size === 0 && loads.length === 0) return { kind: 'none' };
  return {
    kind: 'declarations',
    ids: [...ids].sort(),
    ...(exports.size > 0 ? { exports: [...exports].sort() } : {}),
    ...(loads.length > 0 ? { loads } : {}),
  };
}

const VARIABLE = /^(export )?(const|let|var) /;
const STATIC_LOADS = new Set(['static', 'side-effect', 're-export', 're-export-all', 'import-equals']);

function importsAnything(summary: ModuleSummary): boolean {
  return summary.imports.some((record) => !record.typeOnly && STATIC_LOADS.has(record.kind));
}

function compareNamed(before: EmittedModule, after: EmittedModule, ids: Set<string>): void {
  for (const id of new Set([...before.declarations.keys(), ...after.declarations.keys()])) {
    if (id.startsWith('#')) continue;
    if (before.declarations.get(id)?.text !== after.declarations.get(id)?.text) ids.add(id);
  }
}

/**
 * Anonymous statements are named by their index, which shifts when a line is added above them
 * (even a type import): match them by their code instead, in order.
 */
function compareAnonymous(before: EmittedModule, after: EmittedModule, ids: Set<string>): void {
  const matched = longestCommonSubsequence(
    before.anonymous.map((entry) => entry.text),
    after.anonymous.map((entry) => entry.text),
  );
  after.anonymous.forEach((entry, index) => {
    if (!matched.right.has(index)) ids.add(entry.id);
  });
  // Unmatched statements on both sides are edits; more unmatched at base means one went away.
  if (before.anonymous.length - matched.left.size > after.anonymous.length - matched.right.size) ids.add(MODULE_LOAD);
}

/** A rebound import (other module or other name) changes every declaration that uses it. */
function compareImports(before: EmittedModule, after: EmittedModule, ids: Set<string>, exports: Set<string>): void {
  const rebound = new Set<string>();
  for (const local of new Set([...before.importBindings.keys(), ...after.importBindings.keys()])) {
    if (before.importBindings.get(local) !== after.importBindings.get(local)) rebound.add(local);
  }
  if (rebound.size === 0) return;
  for (const [id, declaration] of after.declarations) {
    if ([...rebound].some((local) => declaration.identifiers.has(local))) ids.add(id);
  }
  for (const [name, provider] of after.exports) {
    if (provider.startsWith('local:') && rebound.has(provider.slice('local:'.length))) exports.add(name);
  }
}

function compareExports(before: EmittedModule, after: EmittedModule, ids: Set<string>, exports: Set<string>): void {
  for (const name of new Set([...before.exports.keys(), ...after.exports.keys()])) {
    if (before.exports.get(name) !== after.exports.get(name)) exports.add(name);
  }
  // A dropped `export *` leaves names its importers ask for unprovided: count for every reacher.
  if (before.starExports.some((specifier) => !after.starExports.includes(specifier))) ids.add(MODULE_LOAD);
}

function compareLoads(before: EmittedModule, after: EmittedModule, ids: Set<string>): string[] {
  const beforeSet = new Set(before.loads);
  const afterSet = new Set(after.loads);
  const changed = [
    ...new Set([
      ...before.loads.filter((specifier) => !afterSet.has(specifier)),
      ...after.loads.filter((specifier) => !beforeSet.has(specifier)),
    ]),
  ];
  if (changed.length === 0 && before.loads.join('\0') !== after.loads.join('\0')) ids.add(MODULE_LOAD); // same modules, new order
  return changed;
}

/** Statements that run on load, moved relative to each other: the module runs differently (TDZ, effect order). */
function compareOrder(before: EmittedModule, after: EmittedModule, ids: Set<string>): void {
  const common = (order: string[], other: string[]) => {
    const present = new Set(other);
    return order.filter((key) => present.has(key));
  };
  if (common(before.order, after.order).join('\0') !== common(after.order, before.order).join('\0'))
    ids.add(MODULE_LOAD);
}

/** Indexes of both sequences that take part in one longest common subsequence. */
function longestCommonSubsequence(left: string[], right: string[]): { left: Set<number>; right: Set<number> } {
  const rows = left.length + 1;
  const columns = right.length + 1;
  const table = new Uint32Array(rows * columns);
  for (let i = left.length - 1; i >= 0; i--) {
    for (let j = right.length - 1; j >= 0; j--) {
      table[i * columns + j] =
        left[i] === right[j]
          ? table[(i + 1) * columns + j + 1] + 1
          : Math.max(table[(i + 1) * columns + j], table[i * columns + j + 1]);
    }
  }
  const matched = { left: new Set<number>(), right: new Set<number>() };
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    if (left[i] === right[j]) {
      matched.left.add(i++);
      matched.right.add(j++);
    } else if (table[(i + 1) * columns + j] >= table[i * columns + j + 1]) i++;
    else j++;
  }
  return matched;
}
