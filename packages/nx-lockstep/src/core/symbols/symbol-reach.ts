import { isAssetFile, isDeclarationFile, isSourceFile, isTestFile } from '../extract/file-kinds';
import type { ImportBinding, ImportRecord, ModuleSummary } from '../module-summary';
import type { Resolution } from '../resolve/resolution-context';
import type { UncertainFile } from '../graph/reachability';
import { indexSummary, isDeferredLoad } from './summary-index';
import { isPackageManifest, PACKAGE_RESOLUTION } from './package-manifest';

export interface SymbolReachInput {
  /** Entry points: run top to bottom, so reached whole. */
  entries: readonly string[];
  summaries: (file: string) => ModuleSummary | undefined;
  resolve: (fromFile: string, specifier: string) => Resolution;
  /** With `verbatimModuleSyntax`, `import { type A } from './a'` still loads './a'. */
  verbatimModuleSyntax?: boolean;
}

/** What one file contributes to a deployable. */
export interface FileReach {
  /** Every declaration and export of the file is reached (entry, namespace/dynamic import, asset, safety). */
  whole: boolean;
  /** Declaration ids reached (runtime ones only; types are erased). */
  declarations: ReadonlySet<string>;
  /** Exported names some reached code asks this module for. */
  exports: ReadonlySet<string>;
}

export interface SymbolReach {
  files: ReadonlyMap<string, FileReach>;
  /** External package → the first reached file that loads it. */
  externals: ReadonlyMap<string, string>;
  /** What could not be followed safely: the deployable is affected because of it. */
  uncertain: UncertainFile[];
  /** Files entry → … → file (optionally to one declaration of it), for `via`. */
  chainTo(file: string, declaration?: string): string[];
  /** The same chain with declarations: `file#declaration`, `file>export` or `file` steps. */
  stepsTo(file: string, declaration?: string): string[];
  /**
   * Whether `file` starting or stopping to load `specifier` can change what runs (or in which
   * order): the target, or what it loads, has side effects; external packages always may.
   */
  loadChangeMatters(file: string, specifier: string): boolean;
}

type Step =
  /** The module is loaded: its side-effectful statements run. */
  | { kind: 'load'; file: string }
  /** Everything the module has is reached. */
  | { kind: 'whole'; file: string }
  /** Some reached code asks the module for an exported name (and, through a namespace, one member of it). */
  | { kind: 'export'; file: string; name: string; member?: string }
  | { kind: 'declaration'; file: string; id: string };

interface FileState {
  whole: boolean;
  declarations: Set<string>;
  exports: Set<string>;
}

/**
 * Tree-shaking reachability down to top-level declarations. Breadth-first over steps, so chains
 * are short: loading a module reaches its side-effectful statements and loads what it imports;
 * an export request is followed through re-exports and `export *` to the declaration; a reached
 * declaration reaches what it references. Whatever cannot be followed by name is taken whole.
 */
export function reachSymbols(input: SymbolReachInput): SymbolReach {
  const { summaries, resolve } = input;
  const states = new Map<string, FileState>();
  const parents = new Map<string, string | null>();
  const externals = new Map<string, string>();
  const uncertain: UncertainFile[] = [];
  const queue: Array<{ step: Step; parent: string | null }> = [];
  const exportNameCache = new Map<string, Set<string> | 'unknown'>();
  /** Targets of import(), require() and `import x = require()`: bundlers initialise them lazily. */
  const lazyRoots = new Set<string>();

  const state = (file: string): FileState => {
    let current = states.get(file);
    if (!current) {
      current = { whole: false, declarations: new Set(), exports: new Set() };
      states.set(file, current);
    }
    return current;
  };
  const push = (step: Step, parent: string | null) => {
    if (isTestFile(step.file)) return; // tests never ship
    queue.push({ step, parent });
  };
  const chainKeys = (key: string): string[] => {
    const path: string[] = [];
    const seen = new Set<string>();
    let current: string | null | undefined = key;
    while (current && !seen.has(current)) {
      seen.add(current);
      path.unshift(current);
      current = parents.get(current);
    }
    return path;
  };
  const steps = (file: string, declaration?: string) => {
    const candidates = [declaration !== undefined ? keyOf({ kind: 'declaration', file, id: declaration }) : undefined, keyOf({ kind: 'whole', file }), keyOf({ kind: 'load', file })];
    const key = candidates.find((candidate) => candidate !== undefined && parents.has(candidate));
    return key ? chainKeys(key).map(displayKey) : [];
  };
  const noted = new Set<string>();
  const note = (file: string, detail: string, parentKey: string | null) => {
    if (noted.has(detail)) return; // one import is met both on load and through its bindings
    noted.add(detail);
    uncertain.push({ file, detail, via: parentKey ? filesOf(chainKeys(parentKey)).concat(file).filter(dedupeConsecutive) : [file] });
  };

  /** Follows one import record's resolution; calls `onFile` for a workspace file. */
  const follow = (from: string, record: ImportRecord, parentKey: string, onFile: (target: string) => void) => {
    const resolution = resolve(from, record.specifier);
    if (resolution.kind === 'external') {
      if (!externals.has(resolution.packageName)) externals.set(resolution.packageName, from);
    } else if (resolution.kind === 'unresolved') {
      note(from, `${from}:${record.line} imports "${record.specifier}": ${resolution.detail}`, parentKey);
    } else if (resolution.kind === 'file') {
      // package.json files that chose the target ship with it (their fields decide what loads).
      for (const via of resolution.via ?? []) push({ kind: 'declaration', file: via, id: PACKAGE_RESOLUTION }, parentKey);
      onFile(resolution.file);
    }
  };
  /** `member`: only `ns.member` of what the binding brings is used. */
  const followBinding = (from: string, record: ImportRecord, binding: ImportBinding, parentKey: string, member?: string) => {
    if (record.typeOnly || binding.typeOnly) return;
    follow(from, record, parentKey, (target) => {
      if (binding.imported !== '*') push({ kind: 'export', file: target, name: binding.imported, member }, parentKey);
      else if (member !== undefined) push({ kind: 'export', file: target, name: member }, parentKey);
      else push({ kind: 'whole', file: target }, parentKey);
    });
  };

  /** Names a module exports, through `export *`; 'unknown' when some part cannot be listed. */
  const exportNames = (file: string, seen = new Set<string>()): Set<string> | 'unknown' => {
    const cached = exportNameCache.get(file);
    if (cached) return cached;
    if (seen.has(file)) return new Set();
    seen.add(file);
    const summary = summaries(file);
    if (!summary) return 'unknown';
    const names = new Set<string>(summary.exports.map((entry) => entry.name));
    let unknown = false;
    for (const record of summary.imports) {
      if (record.kind === 're-export') for (const binding of record.bindings) names.add(binding.exportedAs ?? binding.imported);
      if (record.kind !== 're-export-all') continue;
      const resolution = resolve(file, record.specifier);
      if (resolution.kind !== 'file') continue;
      const inner = exportNames(resolution.file, seen);
      if (inner === 'unknown') unknown = true;
      else for (const name of inner) if (name !== 'default') names.add(name);
    }
    const result = unknown ? 'unknown' : names;
    exportNameCache.set(file, result);
    return result;
  };

  const visitLoad = (file: string, key: string) => {
    state(file);
    if (!isSourceFile(file)) {
      // Loading a .d.ts or JSON runs nothing; JSON values used through an import ship it whole.
      if (isDeclarationFile(file) || /\.json$/i.test(file)) return;
      // Assets ship as they are; anything else is a file the analysis cannot read.
      state(file).whole = true;
      if (!isAssetFile(file)) note(file, `${file} is reached but is not a kind of file the analysis can read for imports`, key);
      return;
    }
    const summary = summaries(file);
    if (!summary) {
      state(file).whole = true;
      note(file, `${file} was not analysed`, key);
      return;
    }
    if (summary.parseErrors.length > 0) {
      note(file, `${file} does not parse: ${summary.parseErrors[0]}`, key);
      push({ kind: 'whole', file }, key);
    }
    if (summary.dynamicUnknown.length > 0) note(file, `${file} loads modules the analysis cannot follow: ${summary.dynamicUnknown[0]}`, key);
    for (const declaration of summary.declarations) {
      if (declaration.sideEffect && !declaration.typeOnly) push({ kind: 'declaration', file, id: declaration.id }, key);
    }
    for (const record of summary.imports) {
      if (record.typeOnly) continue;
      if (!input.verbatimModuleSyntax && record.bindings.length > 0 && record.bindings.every((binding) => binding.typeOnly)) continue;
      if (isDeferredLoad(record)) {
        // Runs with its declaration (see visitDeclaration), but a bundler that meets the import()
        // in any loaded file initialises its target lazily everywhere.
        const resolution = resolve(file, record.specifier);
        if (resolution.kind === 'file') lazyRoots.add(resolution.file);
        continue;
      }
      // Conservative: any runtime import loads its module; a dynamic import or require() may run.
      const wholeTarget = record.kind === 'dynamic' || record.kind === 'require';
      follow(file, record, key, (target) => {
        if (wholeTarget || record.kind === 'import-equals') lazyRoots.add(target);
        push({ kind: wholeTarget ? 'whole' : 'load', file: target }, key);
      });
    }
  };

  const visitWhole = (file: string, key: string) => {
    const fileState = state(file);
    fileState.whole = true;
    push({ kind: 'load', file }, key);
    const summary = summaries(file);
    if (!summary || !isSourceFile(file)) return;
    for (const declaration of summary.declarations) if (!declaration.typeOnly) push({ kind: 'declaration', file, id: declaration.id }, key);
    for (const entry of summary.exports) if (!entry.typeOnly) push({ kind: 'export', file, name: entry.name }, key);
    for (const record of summary.imports) {
      if (record.kind === 're-export') for (const binding of record.bindings) followBinding(file, record, binding, key);
      if (record.kind === 're-export-all' && !record.typeOnly) follow(file, record, key, (target) => push({ kind: 'whole', file: target }, key));
    }
  };

  const visitExport = (file: string, name: string, key: string, member?: string) => {
    state(file).exports.add(name);
    push({ kind: 'load', file }, key);
    const summary = isSourceFile(file) ? summaries(file) : undefined;
    if (!summary) {
      push({ kind: 'whole', file }, key); // JSON and other assets: the whole file
      return;
    }
    const index = indexSummary(summary);
    const local = index.exportByName.get(name);
    if (local) {
      if (local.typeOnly) return;
      if (index.declarationById.has(local.declaration)) {
        push({ kind: 'declaration', file, id: local.declaration }, key);
      } else {
        followLocal(file, summary, local.declaration, key, member); // `import { x } from …; export { x }`
      }
      return;
    }
    const named = index.reExportsByName.get(name);
    if (named) {
      for (const { record, binding } of named) followBinding(file, record, binding, key, member);
      return;
    }
    if (name !== 'default') {
      const stars = index.starReExports.filter((record) => !record.typeOnly);
      const candidates: string[] = [];
      let elsewhere = false; // an external or unlistable star may provide it
      for (const record of stars) {
        const resolution = resolve(file, record.specifier);
        if (resolution.kind !== 'file') {
          elsewhere = true;
          follow(file, record, key, () => undefined);
          continue;
        }
        const names = exportNames(resolution.file);
        if (names === 'unknown' || names.has(name)) candidates.push(resolution.file);
      }
      // Ambiguous → all candidates: safe.
      for (const target of candidates) push({ kind: 'export', file: target, name, member }, key);
      if (candidates.length > 0 || elsewhere) return;
    }
    // Not found by name (CommonJS `module.exports`, a removed export): take the module whole.
    push({ kind: 'whole', file }, key);
  };

  /** A reference to a top-level name: a declaration of this module, or an import binding. */
  const followLocal = (file: string, summary: ModuleSummary, name: string, key: string, member?: string) => {
    const index = indexSummary(summary);
    const declaration = index.declarationByName.get(name) ?? index.declarationById.get(name);
    if (declaration) {
      push({ kind: 'declaration', file, id: declaration.id }, key);
      return;
    }
    for (const { record, binding } of index.bindingsByLocal.get(name) ?? []) followBinding(file, record, binding, key, member);
  };

  const visitDeclaration = (file: string, id: string, key: string) => {
    push({ kind: 'load', file }, key);
    if (id === PACKAGE_RESOLUTION && isPackageManifest(file)) {
      state(file).declarations.add(id);
      return;
    }
    const summary = summaries(file);
    const declaration = summary && indexSummary(summary).declarationById.get(id);
    if (!summary || !declaration || declaration.typeOnly) return;
    state(file).declarations.add(id);
    for (const name of declaration.references) {
      const members = declaration.namespaceMembers?.[name];
      if (members) for (const member of members) followLocal(file, summary, name, key, member);
      else followLocal(file, summary, name, key);
    }
    for (const record of indexSummary(summary).loadsByDeclaration.get(id) ?? []) {
      if (record.typeOnly) continue;
      follow(file, record, key, (target) => {
        lazyRoots.add(target);
        push({ kind: 'whole', file: target }, key);
      });
    }
  };

  for (const entry of input.entries) push({ kind: 'whole', file: entry }, null);
  for (let index = 0; index < queue.length; index++) {
    const { step, parent } = queue[index];
    const key = keyOf(step);
    if (parents.has(key)) continue;
    parents.set(key, parent);
    if (step.kind === 'load') visitLoad(step.file, key);
    else if (step.kind === 'whole') visitWhole(step.file, key);
    else if (step.kind === 'export') visitExport(step.file, step.name, key, step.member);
    else visitDeclaration(step.file, step.id, key);
  }

  const sideEffectMemo = new Map<string, boolean>();
  /** Whether loading a file runs any runtime statement with effects, itself or through its loads. */
  const hasSideEffects = (start: string): boolean => {
    const known = sideEffectMemo.get(start);
    if (known !== undefined) return known;
    const lazyFiles = lazilyInitialised();
    // The whole load closure: when nothing in it runs code on load, nothing in it ever does.
    const visited = new Set<string>([start]);
    const queue = [start];
    for (let index = 0; index < queue.length; index++) {
      const file = queue[index];
      if (sideEffectMemo.get(file) === true || ownEffect(file, lazyFiles)) {
        sideEffectMemo.set(start, true);
        return true;
      }
      const summary = isSourceFile(file) ? summaries(file) : undefined;
      for (const record of summary?.imports ?? []) {
        if (record.typeOnly || isDeferredLoad(record)) continue;
        const resolution = resolve(file, record.specifier);
        if (resolution.kind === 'unresolved') {
          sideEffectMemo.set(start, true);
          return true;
        }
        if (resolution.kind === 'file' && !visited.has(resolution.file)) {
          visited.add(resolution.file);
          queue.push(resolution.file);
        }
      }
    }
    for (const file of visited) sideEffectMemo.set(file, false);
    return false;
  };
  /** Runs code when loaded, by itself: a side-effectful statement, CSS, an unknown file, a lazily initialised module. */
  const ownEffect = (file: string, lazyFiles: ReadonlySet<string>): boolean => {
    if (isTestFile(file) || isDeclarationFile(file)) return false;
    if (lazyFiles.has(file)) return true; // bundlers emit its initialiser call where it is imported
    const summary = isSourceFile(file) ? summaries(file) : undefined;
    if (!summary) return !isAssetFile(file) || !/\.(json|jsonc|json5)$/i.test(file); // CSS runs; unknown: assume so
    return summary.parseErrors.length > 0 || summary.declarations.some((declaration) => declaration.sideEffect && !declaration.typeOnly);
  };

  let lazy: Set<string> | undefined;
  /** Lazy roots and what they load: esbuild wraps all of them in on-demand initialisers. */
  const lazilyInitialised = (): Set<string> => {
    if (lazy) return lazy;
    lazy = new Set(lazyRoots);
    const queue = [...lazyRoots];
    for (let index = 0; index < queue.length; index++) {
      const summary = isSourceFile(queue[index]) ? summaries(queue[index]) : undefined;
      for (const record of summary?.imports ?? []) {
        if (record.typeOnly) continue;
        const resolution = resolve(queue[index], record.specifier);
        if (resolution.kind === 'file' && !lazy.has(resolution.file)) {
          lazy.add(resolution.file);
          queue.push(resolution.file);
        }
      }
    }
    return lazy;
  };

  const files = new Map<string, FileReach>();
  for (const [file, fileState] of states) files.set(file, fileState);
  return {
    files,
    externals,
    uncertain,
    stepsTo: steps,
    chainTo: (file, declaration) => filesOf(steps(file, declaration).map(parseDisplay)).filter(dedupeConsecutive),
    loadChangeMatters: (file, specifier) => {
      const resolution = resolve(file, specifier);
      if (resolution.kind === 'unresolved') return true;
      if (resolution.kind === 'builtin') return false;
      // A package may run code on import (a polyfill) and what it runs is not analysed here.
      if (resolution.kind === 'external') return true;
      // Even when another module loads the target too, a new or removed edge can move its side
      // effects in the evaluation order: only a target whose whole load closure runs nothing is
      // indifferent. A lazily initialised module (also loaded by import()/require()) counts as
      // running code: bundlers call its initialiser where it is first imported.
      return hasSideEffects(resolution.file);
    },
  };
}

function keyOf(step: Step): string {
  switch (step.kind) {
    case 'load':
      return `L\0${step.file}`;
    case 'whole':
      return `W\0${step.file}`;
    case 'export':
      return step.member === undefined ? `E\0${step.file}\0${step.name}` : `E\0${step.file}\0${step.name}.${step.member}`;
    default:
      return `D\0${step.file}\0${step.id}`;
  }
}

function displayKey(key: string): string {
  const [kind, file, name] = key.split('\0');
  if (kind === 'D') return `${file}#${name}`;
  if (kind === 'E') return `${file}>${name}`;
  return file;
}

function parseDisplay(step: string): string {
  return `X\0${step.replace(/[#>][^/]*$/, '')}`;
}

function filesOf(keys: string[]): string[] {
  return keys.map((key) => key.split('\0')[1]);
}

function dedupeConsecutive(file: string, index: number, all: string[]): boolean {
  return index === 0 || all[index - 1] !== file;
}
