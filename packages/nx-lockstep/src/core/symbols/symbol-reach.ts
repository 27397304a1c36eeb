import { isAssetFile, isDeclarationFile, isSourceFile, isStoryFile, isTestFile } from '../extract/file-kinds';
import type { ImportBinding, ImportRecord, ModuleSummary } from '../module-summary';
import type { Resolution } from '../resolve/resolution-context';
import { uncertainAt, type UncertainFile, type UncertainNote, type UncertainSpot } from '../graph/reachability';
import { missingPathOf } from '../affected/generated-code';
import { indexSummary, isDeferredLoad } from './summary-index';
import { isPackageManifest, PACKAGE_RESOLUTION } from './package-manifest';
import { Int32Chunks } from '../int32-chunks';
import { GrowingInts } from '../growing-ints';

export interface SymbolReachInput {
  /** Entry points: run top to bottom, so reached whole. */
  entries: readonly string[];
  summaries: (file: string) => ModuleSummary | undefined;
  /**
   * Also the key of the memoised step graph: reaches that pass the same resolver (the deployables
   * of one snapshot) share it, so they must pass the same summaries.
   */
  resolve: (fromFile: string, specifier: string) => Resolution;
  /** With `verbatimModuleSyntax`, `import { type A } from './a'` still loads './a'. */
  verbatimModuleSyntax?: boolean;
  /**
   * Walk only steps in these files. Sound when the set holds every file from which (by file-level
   * imports) a file that matters to the caller can be reached: a step elsewhere leads only to
   * files outside it, and the walk meets the steps inside it in the same order as a whole walk,
   * so `files` of those files, chains, `uncertain` and `externals` found there are unchanged.
   * `loadChangeMatters` and `loadedBefore` need the whole walk: leave it out when using them.
   */
  within?: ReadonlySet<string>;
  /**
   * Walk only steps from which a step that matters can be reached: one that notes something
   * uncertain, or one that adds to the reach of a file what `of(file)` asks about (anything:
   * 'all'; or the named declarations and export requests, and the whole file). The walk meets
   * those steps in the same order as a whole walk, so what the reach holds of the files `of`
   * answers for (`files` holds no other file), their chains and `uncertain` are unchanged;
   * `externals`, `loadChangeMatters` and `loadedBefore` are not (leave this out when using
   * them). Requires `within`. `entries` lists every entry of the deployables that will ask
   * with the same `matters` object (one pass over their union finds the steps that matter; an
   * entry outside it costs another pass).
   */
  matters?: SymbolsThatMatter;
  /**
   * Where the step graph of an earlier run over the same resolution context is kept: read when
   * the graph for this resolver is made (the steps of files that changed since are worked out
   * again), written back by `storeStepGraph`. Callers that pass the same resolver pass the same store.
   */
  store?: StepGraphStore;
}

/**
 * The step graph an earlier run worked out, for a later run. A step's effects are decided by its
 * own file's summary and how that file's imports resolve and, for an export found through
 * `export *`, by the same of the files those stars lead to (`deps`): a step is taken over only
 * when none of those files changed (the store's `changed` says so: by content, and by resolution
 * when the graph was stored under another resolution context).
 */
export interface StoredStepGraph extends Omit<StoredStepTables, 'names'> {
  /** Declaration ids, export names, members and package names (read as they are asked for). */
  names: { readonly length: number; at(index: number): string | undefined };
  /**
   * The steps' records one after another, then where each record starts, then each step's file
   * (see SymbolGraph.seed).
   */
  data: Int32Array;
  /**
   * When `data` is read on demand: makes data[from … to) readable, false when it cannot be read
   * (the graph is then damaged). Absent when `data` is all there.
   */
  load?(from: number, to: number): boolean;
}

/** The tables a stored graph's records index into. */
export interface StoredStepTables {
  files: string[];
  /** Declaration ids, export names, members and package names. */
  names: string[];
  /** Uncertain notes, as JSON. */
  notes: string[];
  /** How many steps (records) it holds. */
  steps: number;
}

/**
 * Thrown when a stored step graph turns out damaged as a walk reads it (a record is only checked
 * when first read): nothing taken from it is used, the caller works its answer out again without
 * it (see `StepGraphStore.forget`).
 */
export class DamagedStepGraph extends Error {
  constructor(detail: string) {
    super(`the stored step graph is damaged (${detail})`);
    this.name = 'DamagedStepGraph';
  }
}

/** See `SymbolReachInput.store`. */
export interface StepGraphStore {
  /**
   * The graph stored for this resolution context, and whether a file changed since it was stored
   * (its content, or how its imports resolve; asked with the file's index in `graph.files`);
   * `rekey`: it was stored under another context, so it is written again under this one.
   */
  load(): { graph: StoredStepGraph; changed(file: string, index: number): boolean; rekey?: boolean } | undefined;
  /**
   * Stores a graph: `write` hands the records out a chunk at a time (each chunk is reused once
   * `emit` returns) and then returns the tables.
   */
  save(write: (emit: (chunk: Int32Array) => void) => StoredStepTables): void;
  /** The graph `load` gave is damaged (DamagedStepGraph): `load` gives nothing from now on. */
  forget?(): void;
}

/** See `SymbolReachInput.matters`. */
export interface SymbolsThatMatter {
  /** Asked at most once per file. */
  of(file: string): 'all' | { declarations: ReadonlySet<string>; exports: ReadonlySet<string> } | undefined;
  entries: readonly string[];
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
  /**
   * Whether the target of `file`'s import `specifier` is always loaded before `file` itself, so
   * that the edge cannot move anything in the evaluation order: `file` is not an entry and is
   * loaded by exactly one module, which loads the target first (by a re-export or a bare import,
   * which bundlers never drop). Holds only while that importer's imports are as at head: the
   * caller checks that no other loaded module's imports changed.
   */
  loadedBefore(file: string, specifier: string): boolean;
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
 * One step of the shared step graph, made when first needed. Walks and relevance passes know a
 * step by its number (`id`) and keep their marks in `StepMarks`: a step of the stored graph whose
 * effects still hold is walked from the stored records without an object (see `SymbolGraph.read`).
 */
interface StepNode {
  /** keyOf(step), made on demand (chains only): building strings for every step costs. */
  key?: string;
  step: Step;
  /** Worked out by this process, or taken over from the stored graph to be written again. */
  effects?: StepEffects;
  /** Its record number in the stored graph, or a number after them (a step the stored graph lacks). */
  id: number;
  /** Its file's number (see `SymbolGraph.fileNames`). */
  file: number;
  /** Its place in a stored graph being written. */
  ordinal: number;
}

/** Marks per step id: typed arrays, grown as steps are made (no field per step object). */
interface StepMarks {
  /** The last walk that visited it, and where in that walk's visit order. */
  walk: Int32Array;
  slot: Int32Array;
  /** Stamps of `Relevance` (see `matters`): explored by its pass, and able to reach a step that matters. */
  explored: Int32Array;
  relevant: Int32Array;
  /** Its place in the explored list of the current relevance (for the reverse adjacency). */
  index: Int32Array;
  /** The `relevant` stamp under which its file's reach is recorded (`matters` asks about the file). */
  kept: Int32Array;
}

/**
 * What one step does, as `SymbolGraph.read` fills it in: from the stored records, or from
 * effects worked out by this process. Its next steps are `next[nextFrom]` … `next[nextTo − 1]`.
 */
interface StepView {
  touches: boolean;
  whole: boolean;
  declaration?: string;
  exportName?: string;
  /** The stored records, or a worked-out step's own list. */
  next: Int32Array | number[];
  nextFrom: number;
  nextTo: number;
  noteCount: number;
  /** Whether it has externals or lazy roots (filled in always; the lists themselves only on request). */
  hasExternals: boolean;
  hasLazyRoots: boolean;
  /** Filled in only when `read` is asked for the lists. */
  externals: StepEffects['externals'];
  notes: StepEffects['notes'];
  lazyRoots: string[];
}

/** What visiting a step does, whoever reaches it: deployable-independent, so memoised. */
interface StepEffects {
  /** The file gets an entry in the reach (loaded, or some of it used). */
  touches: boolean;
  whole: boolean;
  declaration?: string;
  exportName?: string;
  /**
   * Ids of the steps it leads to, in order (breadth-first order, hence chains, stays as it was).
   * A plain array: a typed array per step costs ~120 bytes more (277 against 159 bytes of RSS per
   * three-id list, 450,000 of them; a cold 50,150-file run has about that many steps).
   */
  next: number[];
  externals: Array<[packageName: string, from: string]>;
  notes: Array<{ file: string } & UncertainNote>;
  lazyRoots: string[];
  /** Other files whose summaries decided it (an export looked for through `export *`). */
  deps?: string[];
}

/**
 * The step graph of one workspace snapshot, shared by every deployable reached in it: what each
 * step leads to is worked out once (summaries, indexes, resolution, export lists), and each
 * deployable's reach is a plain breadth-first walk over it. Cached per `resolve` callback (and
 * `verbatimModuleSyntax`): callers that pass the same resolver must pass the same summaries.
 */
class SymbolGraph {
  /** Nodes by file, then by kind and name: no string key per step. */
  private readonly nodes = new Map<
    string,
    { load?: StepNode; whole?: StepNode; exports?: Map<string, StepNode>; declarations?: Map<string, StepNode> }
  >();
  private readonly exportNameCache = new Map<string, Set<string> | 'unknown'>();
  /** The effects being recorded (visits run one at a time). */
  private current!: StepEffects;
  private building: number[] = [];
  /** Steps made by this process that the stored graph lacks: step id `storedCount + i` is `fresh[i]`. */
  private readonly fresh: StepNode[] = [];
  /** Files by number: the stored graph's files first, then the files it lacks as steps meet them. */
  private fileNames: string[] = [];
  private readonly fileNumbers = new Map<string, number>();
  readonly marks: StepMarks = {
    walk: new Int32Array(0),
    slot: new Int32Array(0),
    explored: new Int32Array(0),
    relevant: new Int32Array(0),
    index: new Int32Array(0),
    kept: new Int32Array(0),
  };
  /** How many steps the stored graph it was seeded with holds (its ids come first). */
  storedCount = 0;
  /** The view `explore` and `markRelevant` read steps into. */
  private readonly view = newStepView();

  constructor(readonly input: Omit<SymbolReachInput, 'entries'>) {}

  /** The id of a step, made if need be. */
  node(step: Step): number {
    return this.find(step, true)!.id;
  }

  /** The id of a step, when some deployable got that far. */
  existing(step: Step): number | undefined {
    return this.find(step, false)?.id;
  }

  /** The step of an id (a stored one is made with the rest of its file). */
  nodeOf(id: number): StepNode {
    if (id >= this.storedCount) return this.fresh[id - this.storedCount];
    const stored = this.stored!;
    let node = stored.nodes.get(id);
    if (!node) {
      this.materialize(stored.graph.files[stored.recordFile[id]]);
      node = stored.nodes.get(id)!;
    }
    return node;
  }

  /** The number of a step's file. */
  fileNumberOf(id: number): number {
    if (id >= this.storedCount) return this.fresh[id - this.storedCount].file;
    return this.stored!.recordFile[id];
  }

  fileOf(id: number): string {
    return this.fileNames[this.fileNumberOf(id)];
  }

  private fileNumber(file: string): number {
    let number = this.fileNumbers.get(file);
    if (number === undefined) this.fileNumbers.set(file, (number = this.fileNames.push(file) - 1));
    return number;
  }

  private readonly insideByWithin = new WeakMap<ReadonlySet<string>, Uint8Array>();

  /** Whether a step's file is in `within` (asked once per file and set). */
  inside(id: number, within: ReadonlySet<string>): boolean {
    const file = this.fileNumberOf(id);
    let known = this.insideByWithin.get(within);
    if (!known || file >= known.length) {
      const grown = new Uint8Array(Math.max(this.fileNames.length, file + 1));
      if (known) grown.set(known);
      this.insideByWithin.set(within, (known = grown));
    }
    if (known[file] === 0) known[file] = within.has(this.fileNames[file]) ? 1 : 2;
    return known[file] === 1;
  }

  private find(step: Step, create: boolean): StepNode | undefined {
    let byFile = this.nodes.get(step.file);
    if (!byFile && this.stored) {
      this.materialize(step.file);
      byFile = this.nodes.get(step.file);
    }
    if (!byFile) {
      if (!create) return undefined;
      this.nodes.set(step.file, (byFile = {}));
    }
    const made = () => this.made(step);
    if (step.kind === 'load') return byFile.load ?? (create ? (byFile.load = made()) : undefined);
    if (step.kind === 'whole') return byFile.whole ?? (create ? (byFile.whole = made()) : undefined);
    const [table, name] =
      step.kind === 'export'
        ? [(byFile.exports ??= new Map()), step.member === undefined ? step.name : `${step.name}.${step.member}`]
        : [(byFile.declarations ??= new Map()), step.id];
    let node = table.get(name);
    if (!node && create) table.set(name, (node = made()));
    return node;
  }

  /** A step the stored graph lacks. */
  private made(step: Step): StepNode {
    const node: StepNode = {
      step,
      id: this.storedCount + this.fresh.length,
      file: this.fileNumber(step.file),
      ordinal: 0,
    };
    this.fresh.push(node);
    if (node.id >= this.marks.walk.length) this.growMarks(node.id + 1);
    return node;
  }

  private growMarks(size: number): void {
    const capacity = Math.max(size, Math.ceil(this.marks.walk.length * 1.5), 1024);
    for (const key of Object.keys(this.marks) as Array<keyof StepMarks>) {
      const grown = new Int32Array(capacity);
      grown.set(this.marks[key]);
      this.marks[key] = grown;
    }
  }

  /**
   * Fills `view` with what step `id` does: read from the stored graph when its effects still hold
   * there (no object made), else from the effects worked out now. `lists`: its externals, notes and
   * lazy roots too (otherwise only their count of notes).
   */
  read(id: number, view: StepView, lists: boolean): void {
    const at = id < this.storedCount ? this.cleanAt(id) : -1;
    if (at < 0) {
      const effects = this.effectsOf(this.nodeOf(id));
      view.touches = effects.touches;
      view.whole = effects.whole;
      view.declaration = effects.declaration;
      view.exportName = effects.exportName;
      view.next = effects.next;
      view.nextFrom = 0;
      view.nextTo = effects.next.length;
      view.noteCount = effects.notes.length;
      view.hasExternals = effects.externals.length > 0;
      view.hasLazyRoots = effects.lazyRoots.length > 0;
      view.externals = effects.externals;
      view.notes = effects.notes;
      view.lazyRoots = effects.lazyRoots;
      return;
    }
    const { files, names, notes, data } = this.stored!.graph;
    const flags = data[at + 5];
    view.touches = (flags & 1) !== 0;
    view.whole = (flags & 2) !== 0;
    view.declaration = data[at + 6] >= 0 ? names.at(data[at + 6])! : undefined;
    view.exportName = data[at + 7] >= 0 ? names.at(data[at + 7])! : undefined;
    // The record's counted lists, by where each starts (see `seed`).
    const nextAt = at + 8;
    view.next = data;
    view.nextFrom = nextAt + 1;
    view.nextTo = nextAt + 1 + data[nextAt];
    const externalsAt = view.nextTo;
    const notesAt = externalsAt + 1 + data[externalsAt] * 2;
    const lazyAt = notesAt + 1 + data[notesAt];
    view.noteCount = data[notesAt];
    view.hasExternals = data[externalsAt] > 0;
    view.hasLazyRoots = data[lazyAt] > 0;
    if (!lists) return;
    view.externals = NONE;
    view.notes = NONE;
    view.lazyRoots = NONE;
    for (let item = externalsAt + 1; item <= externalsAt + data[externalsAt] * 2; item += 2)
      (view.externals === NONE ? (view.externals = []) : view.externals).push([
        names.at(data[item])!,
        files[data[item + 1]],
      ]);
    for (let item = notesAt + 1; item <= notesAt + data[notesAt]; item++)
      (view.notes === NONE ? (view.notes = []) : view.notes).push(
        JSON.parse(notes[data[item]]) as StepEffects['notes'][number],
      );
    for (let item = lazyAt + 1; item <= lazyAt + data[lazyAt]; item++)
      (view.lazyRoots === NONE ? (view.lazyRoots = []) : view.lazyRoots).push(files[data[item]]);
  }

  /** A step's effects: taken over from the stored graph when they hold, else worked out. */
  private effectsOf(node: StepNode): StepEffects {
    if (node.effects) return node.effects;
    if (node.id < this.storedCount && this.cleanAt(node.id) >= 0) return (node.effects = this.takenOver(node.id));
    const effects: StepEffects = {
      touches: false,
      whole: false,
      next: NONE,
      externals: [],
      notes: [],
      lazyRoots: [],
    };
    this.current = effects;
    this.building = [];
    const { step } = node;
    if (step.kind === 'load') this.visitLoad(step.file);
    else if (step.kind === 'whole') this.visitWhole(step.file);
    else if (step.kind === 'export') this.visitExport(step.file, step.name, step.member);
    else this.visitDeclaration(step.file, step.id);
    // Most steps have no externals, notes or lazy roots: one shared empty list instead of three
    // per step (a 50,000-file graph has hundreds of thousands of steps).
    if (effects.externals.length === 0) effects.externals = NONE;
    if (effects.notes.length === 0) effects.notes = NONE;
    if (effects.lazyRoots.length === 0) effects.lazyRoots = NONE;
    if (this.building.length > 0) effects.next = this.building;
    node.effects = effects;
    this.computed++;
    return effects;
  }

  /** Steps whose effects this process worked out. */
  computed = 0;

  /** Seeded from a graph stored under another resolution context: write it under this one. */
  rekey = false;

  /** A graph an earlier run stored (see `seed`), read record by record as walks meet its steps. */
  private stored?: {
    graph: StoredStepGraph;
    changed: (file: string, index: number) => boolean;
    /** Per file of the stored graph: 0 not asked yet, 1 unchanged, 2 changed. */
    fileState: Uint8Array;
    /** Per step: 0 not asked yet, 1 its stored effects hold, 2 they are worked out again. */
    clean: Uint8Array;
    /** Per step: 1 once its record was read and checked. */
    checked: Uint8Array;
    /** Where each step's record starts (`steps + 1` numbers), each step's file; its steps by file (`byFile[fileStart[f]] …`). */
    recordAt: Int32Array;
    recordFile: Int32Array;
    fileStart: Int32Array;
    byFile: Int32Array;
    materialized: Uint8Array;
    /** The stored steps made so far (a file's at a time), by id: few of them in a new commit's run. */
    nodes: Map<number, StepNode>;
  };

  /**
   * Takes over a graph stored by an earlier run over the same resolution context. `data` holds
   * the steps' records one after another, then where each record starts (`steps + 1` numbers,
   * the first 0, the last where the records end), then each step's file. Record of a step: kind
   * (0 load, 1 whole, 2 export, 3 declaration), file, name, member (−1: none), has effects
   * (0/1); with effects: flags (1 touches, 2 whole), declaration, export name (−1: none), then
   * five counted lists: next steps (by record number), externals (package, from: two numbers
   * each), notes, lazy roots, deps. A step's id is its record number.
   *
   * Nothing is built or read now but the record starts and files, checked whole (false, and
   * nothing taken over, when they do not fit together). Walks read a step's record when they meet
   * it (`recordStart`: it is checked then, every index within its table, and a damaged one throws
   * DamagedStepGraph), unless its file or one of its `deps` changed (then its effects are worked
   * out again); a file's step objects are made only when something asks for one of them by name
   * or worked-out effects lead to it.
   */
  seed(graph: StoredStepGraph, changed: (file: string, index: number) => boolean): boolean {
    const { files, data, steps } = graph;
    const records = data.length - (2 * steps + 1);
    if (!Number.isInteger(steps) || steps < 0 || records < 0) return false;
    if (graph.load && !graph.load(records, data.length)) return false;
    const recordAt = data.subarray(records, records + steps + 1);
    const recordFile = data.subarray(records + steps + 1);
    // Every record at least its five numbers long, the last ending where the records do.
    if (recordAt[0] !== 0 || recordAt[steps] !== records) return false;
    const fileStart = new Int32Array(files.length + 1);
    for (let id = 0; id < steps; id++) {
      if (!(recordAt[id + 1] - recordAt[id] >= 5)) return false;
      const file = recordFile[id];
      if (!(file >= 0 && file < files.length)) return false;
      fileStart[file + 1]++;
    }
    for (let file = 0; file < files.length; file++) fileStart[file + 1] += fileStart[file];
    const fill = fileStart.slice(0, files.length);
    const byFile = new Int32Array(steps);
    for (let id = 0; id < steps; id++) byFile[fill[recordFile[id]]++] = id;
    this.stored = {
      graph,
      changed,
      fileState: new Uint8Array(files.length),
      clean: new Uint8Array(steps),
      checked: new Uint8Array(steps),
      recordAt,
      recordFile,
      fileStart,
      byFile,
      materialized: new Uint8Array(files.length),
      nodes: new Map(),
    };
    this.storedCount = steps;
    // Seeded as soon as it is made (graphFor), before any file has a number.
    this.fileNames = files.slice();
    for (let index = 0; index < files.length; index++) this.fileNumbers.set(files[index], index);
    this.growMarks(steps);
    return true;
  }

  /**
   * Where the record of stored step `id` starts, read and checked the first time it is asked for:
   * it must fill exactly the room its start and the next one's leave, name the file the index
   * names, and hold every index within its table. A record that does not throws DamagedStepGraph
   * (a wrong index would make a step that does not exist).
   */
  private recordStart(id: number): number {
    const stored = this.stored!;
    const at = stored.recordAt[id];
    if (stored.checked[id] === 1) return at;
    const { graph } = stored;
    const end = stored.recordAt[id + 1];
    if (graph.load && !graph.load(at, end)) throw new DamagedStepGraph(`step ${id} cannot be read`);
    if (!recordFits(graph, at, end, stored.recordFile[id], this.storedCount))
      throw new DamagedStepGraph(`step ${id} does not fit its tables`);
    stored.checked[id] = 1;
    return at;
  }

  /** Makes the stored steps of a file (once). */
  private materialize(path: string): void {
    const stored = this.stored!;
    const file = this.fileNumbers.get(path);
    if (file === undefined || file >= stored.graph.files.length || stored.materialized[file]) return;
    stored.materialized[file] = 1;
    const { data, names } = stored.graph;
    const byFile = this.nodes.get(path) ?? {};
    this.nodes.set(path, byFile);
    const made = (step: Step, ordinal: number): StepNode => {
      const node: StepNode = { step, id: ordinal, file, ordinal: 0 };
      stored.nodes.set(ordinal, node);
      return node;
    };
    for (let index = stored.fileStart[file]; index < stored.fileStart[file + 1]; index++) {
      const ordinal = stored.byFile[index];
      const at = this.recordStart(ordinal);
      const [kind, name, member] = [data[at], data[at + 2], data[at + 3]];
      if (kind === 0) byFile.load = made({ kind: 'load', file: path }, ordinal);
      else if (kind === 1) byFile.whole = made({ kind: 'whole', file: path }, ordinal);
      else if (kind === 3)
        (byFile.declarations ??= new Map()).set(
          names.at(name)!,
          made({ kind: 'declaration', file: path, id: names.at(name)! }, ordinal),
        );
      else
        (byFile.exports ??= new Map()).set(
          member < 0 ? names.at(name)! : `${names.at(name)!}.${names.at(member)!}`,
          made(
            member < 0
              ? { kind: 'export', file: path, name: names.at(name)! }
              : { kind: 'export', file: path, name: names.at(name)!, member: names.at(member)! },
            ordinal,
          ),
        );
    }
  }

  private fileChanged(file: number): boolean {
    const stored = this.stored!;
    if (stored.fileState[file] === 0) stored.fileState[file] = stored.changed(stored.graph.files[file], file) ? 2 : 1;
    return stored.fileState[file] === 2;
  }

  /**
   * Where the record of stored step `id` starts when its effects hold now (it has effects, and
   * its file and `deps` are unchanged), else −1 (they are worked out again).
   */
  private cleanAt(id: number): number {
    const stored = this.stored!;
    if (stored.clean[id] !== 0) return stored.clean[id] === 1 ? stored.recordAt[id] : -1;
    const at = this.recordStart(id);
    const { data } = stored.graph;
    let holds = data[at + 4] === 1 && !this.fileChanged(data[at + 1]);
    if (holds) {
      const depsAt = depsAtOf(data, at);
      for (let item = depsAt + 1; holds && item <= depsAt + data[depsAt]; item++) holds = !this.fileChanged(data[item]);
    }
    stored.clean[id] = holds ? 1 : 2;
    return holds ? at : -1;
  }

  /** The stored effects of a step whose effects hold (see `cleanAt`), as an object (to be written again). */
  private takenOver(id: number): StepEffects {
    const view = newStepView();
    this.read(id, view, true);
    const { data, files } = this.stored!.graph;
    const effects: StepEffects = {
      touches: view.touches,
      whole: view.whole,
      next: view.nextTo > view.nextFrom ? Array.from(data.subarray(view.nextFrom, view.nextTo)) : NONE,
      externals: view.externals,
      notes: view.notes,
      lazyRoots: view.lazyRoots,
    };
    const depsAt = depsAtOf(data, this.stored!.recordAt[id]);
    if (data[depsAt] > 0)
      effects.deps = Array.from(data.subarray(depsAt + 1, depsAt + 1 + data[depsAt]), (index) => files[index]);
    if (view.declaration !== undefined) effects.declaration = view.declaration;
    if (view.exportName !== undefined) effects.exportName = view.exportName;
    return effects;
  }

  /**
   * The steps and their effects, for `seed` in a later run (see there for the record), handed to
   * `emit` a chunk at a time: every stored step that still holds is taken over first, so a graph
   * is never written smaller than it was read.
   */
  writeStored(emit: (chunk: Int32Array) => void): StoredStepTables {
    if (this.stored) {
      for (const file of this.stored.graph.files) this.materialize(file);
      for (let id = 0; id < this.storedCount; id++) {
        const node = this.stored.nodes.get(id)!;
        if (!node.effects && this.cleanAt(id) >= 0) node.effects = this.takenOver(id);
      }
    }
    const files: string[] = [];
    const fileIndex = new Map<string, number>();
    const names: string[] = [];
    const nameIndex = new Map<string, number>();
    const notes: string[] = [];
    const fileOf = (file: string) => {
      let index = fileIndex.get(file);
      if (index === undefined) fileIndex.set(file, (index = files.push(file) - 1));
      return index;
    };
    const nameOf = (name: string | undefined) => {
      if (name === undefined) return -1;
      let index = nameIndex.get(name);
      if (index === undefined) nameIndex.set(name, (index = names.push(name) - 1));
      return index;
    };
    const all: StepNode[] = [];
    for (const byFile of this.nodes.values()) {
      if (byFile.load) all.push(byFile.load);
      if (byFile.whole) all.push(byFile.whole);
      for (const node of byFile.exports?.values() ?? []) all.push(node);
      for (const node of byFile.declarations?.values() ?? []) all.push(node);
    }
    all.forEach((node, index) => (node.ordinal = index));
    const data = new Int32Chunks(emit);
    let written = 0;
    const push = (...values: number[]) => {
      for (const value of values) data.push(value);
      written += values.length;
    };
    // The index after the records (see `seed`): where each starts, and its file.
    const recordAt = new Int32Array(all.length + 1);
    const recordFile = new Int32Array(all.length);
    for (const node of all) {
      const { step, effects } = node;
      const [name, member] =
        step.kind === 'export' ? [step.name, step.member] : step.kind === 'declaration' ? [step.id, undefined] : [];
      const kind = step.kind === 'load' ? 0 : step.kind === 'whole' ? 1 : step.kind === 'export' ? 2 : 3;
      recordAt[node.ordinal] = written;
      recordFile[node.ordinal] = fileOf(step.file);
      push(kind, recordFile[node.ordinal], nameOf(name), nameOf(member), effects ? 1 : 0);
      if (!effects) continue;
      push(
        (effects.touches ? 1 : 0) | (effects.whole ? 2 : 0),
        nameOf(effects.declaration),
        nameOf(effects.exportName),
      );
      push(effects.next.length);
      for (const next of effects.next) push(this.nodeOf(next).ordinal);
      push(effects.externals.length);
      for (const [packageName, from] of effects.externals) push(nameOf(packageName), fileOf(from));
      push(effects.notes.length);
      for (const note of effects.notes) push(notes.push(JSON.stringify(note)) - 1);
      push(effects.lazyRoots.length);
      for (const root of effects.lazyRoots) push(fileOf(root));
      push(effects.deps?.length ?? 0);
      for (const dep of effects.deps ?? []) push(fileOf(dep));
    }
    recordAt[all.length] = written;
    data.flush();
    emit(recordAt);
    emit(recordFile);
    return { files, names, notes, steps: all.length };
  }

  /** The relevance pass of the last `matters` asked for (one at a time: a new one replaces it). */
  private relevance?: Relevance;

  /**
   * The stamp that marks the steps able to reach a step that matters (see `matters`), among the
   * steps reachable from `entries` within `within`: explored once for the union of the entries,
   * then walked backwards from the steps that matter.
   */
  relevantStamp(matters: SymbolsThatMatter, within: ReadonlySet<string>, entries: readonly string[]): number {
    let relevance = this.relevance;
    if (!relevance || relevance.matters !== matters || relevance.within !== within) {
      relevance = this.relevance = {
        matters,
        within,
        stamp: ++stamps,
        explored: new GrowingInts(),
        relevant: 0,
        asked: new Uint8Array(this.fileNames.length),
        ofFile: [],
        successorsAt: new GrowingInts(),
        successors: new GrowingInts(),
        reads: new GrowingInts(),
      };
      relevance.successorsAt.push(0);
    }
    const fresh = entryNodes(this, entries, within).filter((id) => this.marks.explored[id] !== relevance.stamp);
    if (fresh.length > 0 || relevance.relevant === 0) {
      this.explore(relevance, fresh);
      relevance.relevant = this.markRelevant(relevance);
    }
    return relevance.relevant;
  }

  /**
   * Adds every step reachable from `starts` within the relevance's files to its explored list,
   * reading each once: what it leads to (as places in the list) and what a walk needs of it.
   */
  private explore(relevance: Relevance, starts: number[]): void {
    const { explored, within, stamp, successorsAt, successors, reads } = relevance;
    const { marks, view } = this;
    const from = explored.length; // what was explored before leads only to explored steps
    const add = (id: number) => {
      marks.explored[id] = stamp;
      marks.index[id] = explored.length;
      explored.push(id);
    };
    for (const id of starts) if (marks.explored[id] !== stamp) add(id);
    for (let index = from; index < explored.length; index++) {
      this.read(explored.values[index], view, false);
      for (let at = view.nextFrom; at < view.nextTo; at++) {
        const next = view.next[at];
        if (marks.explored[next] !== stamp) {
          if (!this.inside(next, within)) continue;
          add(next);
        }
        successors.push(marks.index[next]);
      }
      successorsAt.push(successors.length);
      reads.push((view.noteCount > 0 ? READ_NOTES : 0) | (view.hasExternals || view.hasLazyRoots ? READ_LISTS : 0));
    }
  }

  /** Marks (with a new stamp) the explored steps from which a step that matters can be reached. */
  private markRelevant(relevance: Relevance): number {
    const { explored, successorsAt, successors, reads } = relevance;
    const { marks, view } = this;
    const count = explored.length;
    const at = successorsAt.values;
    const next = successors.values;
    const relevant = ++stamps;
    const pending: number[] = [];
    // Reverse adjacency in two flat arrays: the predecessors of step i are
    // sources[starts[i]] … sources[starts[i + 1] - 1]. The first pass also finds the steps that matter.
    const starts = new Int32Array(count + 1);
    for (let index = 0; index < count; index++) {
      for (let edge = at[index]; edge < at[index + 1]; edge++) starts[next[edge] + 1]++;
      const id = explored.values[index];
      const fileMatter = this.matterOf(relevance, this.fileNumberOf(id));
      if (fileMatter) {
        marks.kept[id] = relevant;
        reads.values[index] |= READ_KEPT;
      }
      if ((reads.values[index] & READ_NOTES) !== 0) {
        marks.relevant[id] = relevant;
        pending.push(index);
      } else if (fileMatter) {
        this.read(id, view, false);
        if (this.matters(view, fileMatter)) {
          marks.relevant[id] = relevant;
          pending.push(index);
        }
      }
    }
    for (let index = 0; index < count; index++) starts[index + 1] += starts[index];
    const fill = starts.slice(0, count);
    const sources = new Int32Array(starts[count]);
    for (let index = 0; index < count; index++)
      for (let edge = at[index]; edge < at[index + 1]; edge++) sources[fill[next[edge]]++] = index;
    while (pending.length > 0) {
      const index = pending.pop()!;
      for (let source = starts[index]; source < starts[index + 1]; source++) {
        const id = explored.values[sources[source]];
        if (marks.relevant[id] === relevant) continue;
        marks.relevant[id] = relevant;
        pending.push(sources[source]);
      }
    }
    return relevant;
  }

  /**
   * The current relevance pass's record of a step it explored (for a walk restricted by it): where
   * its successors are, and what the walk must read it for. Undefined unless `relevant` is its stamp.
   */
  relevanceOf(relevant: number): Relevance | undefined {
    return this.relevance?.relevant === relevant ? this.relevance : undefined;
  }

  /** What `matters` asks about a file (asked once per file). */
  private matterOf(relevance: Relevance, file: number): ReturnType<SymbolsThatMatter['of']> {
    if (file >= relevance.asked.length) {
      const grown = new Uint8Array(this.fileNames.length);
      grown.set(relevance.asked);
      relevance.asked = grown;
    }
    if (!relevance.asked[file]) {
      relevance.asked[file] = 1;
      relevance.ofFile[file] = relevance.matters.of(this.fileNames[file]);
    }
    return relevance.ofFile[file];
  }

  /** Whether a step adds to its file's reach what matters of that file. */
  private matters(view: StepView, matter: ReturnType<SymbolsThatMatter['of']>): boolean {
    if (!matter) return false;
    if (matter === 'all') return view.whole || view.declaration !== undefined || view.exportName !== undefined;
    return (
      view.whole ||
      (view.declaration !== undefined && matter.declarations.has(view.declaration)) ||
      (view.exportName !== undefined && matter.exports.has(view.exportName))
    );
  }

  private push(step: Step): void {
    // Tests never ship; a story does only as a Storybook's entry (entry-points.ts), and is then walked.
    if (isTestFile(step.file) && !isStoryFile(step.file)) return;
    this.building.push(this.node(step));
  }

  private note(file: string, detail: string, spot: UncertainSpot = {}): void {
    this.current.notes.push({ file, detail, ...spot });
  }

  /** Follows one import record's resolution; calls `onFile` for a workspace file. */
  private follow(from: string, record: ImportRecord, onFile: (target: string) => void): void {
    const resolution = this.input.resolve(from, record.specifier);
    if (resolution.kind === 'external') {
      this.current.externals.push([resolution.packageName, from]);
    } else if (resolution.kind === 'unresolved') {
      this.note(from, `${from}:${record.line} imports "${record.specifier}": ${resolution.detail}`, {
        missingPath: missingPathOf(from, record.specifier, resolution),
      });
    } else if (resolution.kind === 'file') {
      // package.json files that chose the target ship with it (their fields decide what loads).
      for (const via of resolution.via ?? []) this.push({ kind: 'declaration', file: via, id: PACKAGE_RESOLUTION });
      onFile(resolution.file);
    }
  }

  /** `member`: only `ns.member` of what the binding brings is used. */
  private followBinding(from: string, record: ImportRecord, binding: ImportBinding, member?: string): void {
    if (record.typeOnly || binding.typeOnly) return;
    this.follow(from, record, (target) => {
      if (binding.imported !== '*') this.push({ kind: 'export', file: target, name: binding.imported, member });
      else if (member !== undefined) this.push({ kind: 'export', file: target, name: member });
      else this.push({ kind: 'whole', file: target });
    });
  }

  /** Names a module exports, through `export *`; 'unknown' when some part cannot be listed. */
  private exportNames(file: string, seen = new Set<string>()): Set<string> | 'unknown' {
    const cached = this.exportNameCache.get(file);
    if (cached) return cached;
    if (seen.has(file)) return new Set();
    seen.add(file);
    const summary = this.input.summaries(file);
    if (!summary) return 'unknown';
    const names = new Set<string>(summary.exports.map((entry) => entry.name));
    let unknown = false;
    for (const record of summary.imports) {
      if (record.kind === 're-export')
        for (const binding of record.bindings) names.add(binding.exportedAs ?? binding.imported);
      if (record.kind !== 're-export-all') continue;
      const resolution = this.input.resolve(file, record.specifier);
      if (resolution.kind !== 'file') continue;
      const inner = this.exportNames(resolution.file, seen);
      if (inner === 'unknown') unknown = true;
      else for (const name of inner) if (name !== 'default') names.add(name);
    }
    const result = unknown ? 'unknown' : names;
    this.exportNameCache.set(file, result);
    return result;
  }

  private readonly starClosures = new Map<string, string[]>();

  /** The files whose summaries `exportNames(file)` reads: it and what its `export *` lead to. */
  private starClosure(start: string): string[] {
    let closure = this.starClosures.get(start);
    if (closure) return closure;
    closure = [start];
    const seen = new Set(closure);
    for (let index = 0; index < closure.length; index++) {
      const file = closure[index];
      for (const record of this.input.summaries(file)?.imports ?? []) {
        if (record.kind !== 're-export-all') continue;
        const resolution = this.input.resolve(file, record.specifier);
        if (resolution.kind === 'file' && !seen.has(resolution.file)) {
          seen.add(resolution.file);
          closure.push(resolution.file);
        }
      }
    }
    this.starClosures.set(start, closure);
    return closure;
  }

  private visitLoad(file: string): void {
    const effects = this.current;
    effects.touches = true;
    if (!isSourceFile(file)) {
      // Loading a .d.ts or JSON runs nothing; JSON values used through an import ship it whole.
      if (isDeclarationFile(file) || /\.json$/i.test(file)) return;
      // Assets ship as they are; anything else is a file the analysis cannot read.
      effects.whole = true;
      if (!isAssetFile(file))
        this.note(file, `${file} is reached but is not a kind of file the analysis can read for imports`);
      return;
    }
    const summary = this.input.summaries(file);
    if (!summary) {
      effects.whole = true;
      this.note(file, `${file} was not analysed`);
      return;
    }
    if (summary.parseErrors.length > 0) {
      this.note(file, `${file} does not parse: ${summary.parseErrors[0]}`);
      this.push({ kind: 'whole', file });
    }
    if (summary.dynamicUnknown.length > 0)
      this.note(file, `${file} loads modules the analysis cannot follow: ${summary.dynamicUnknown[0]}`, {
        dynamic: true,
      });
    for (const declaration of summary.declarations) {
      if (declaration.sideEffect && !declaration.typeOnly) this.push({ kind: 'declaration', file, id: declaration.id });
    }
    for (const record of summary.imports) {
      if (record.typeOnly) continue;
      if (
        !this.input.verbatimModuleSyntax &&
        record.bindings.length > 0 &&
        record.bindings.every((binding) => binding.typeOnly)
      )
        continue;
      if (isDeferredLoad(record)) {
        // Runs with its declaration (see visitDeclaration), but a bundler that meets the import()
        // in any loaded file initialises its target lazily everywhere.
        const resolution = this.input.resolve(file, record.specifier);
        if (resolution.kind === 'file') effects.lazyRoots.push(resolution.file);
        continue;
      }
      // Conservative: any runtime import loads its module; a dynamic import or require() may run.
      const wholeTarget = record.kind === 'dynamic' || record.kind === 'require';
      this.follow(file, record, (target) => {
        if (wholeTarget || record.kind === 'import-equals') effects.lazyRoots.push(target);
        this.push({ kind: wholeTarget ? 'whole' : 'load', file: target });
      });
    }
  }

  private visitWhole(file: string): void {
    this.current.touches = true;
    this.current.whole = true;
    this.push({ kind: 'load', file });
    const summary = this.input.summaries(file);
    if (!summary || !isSourceFile(file)) return;
    for (const declaration of summary.declarations)
      if (!declaration.typeOnly) this.push({ kind: 'declaration', file, id: declaration.id });
    for (const entry of summary.exports) if (!entry.typeOnly) this.push({ kind: 'export', file, name: entry.name });
    for (const record of summary.imports) {
      if (record.kind === 're-export') for (const binding of record.bindings) this.followBinding(file, record, binding);
      if (record.kind === 're-export-all' && !record.typeOnly)
        this.follow(file, record, (target) => this.push({ kind: 'whole', file: target }));
    }
  }

  private visitExport(file: string, name: string, member?: string): void {
    this.current.touches = true;
    this.current.exportName = name;
    this.push({ kind: 'load', file });
    const summary = isSourceFile(file) ? this.input.summaries(file) : undefined;
    if (!summary) {
      this.push({ kind: 'whole', file }); // JSON and other assets: the whole file
      return;
    }
    const index = indexSummary(summary);
    const local = index.exportByName.get(name);
    if (local) {
      if (local.typeOnly) return;
      if (index.declarationById.has(local.declaration)) {
        this.push({ kind: 'declaration', file, id: local.declaration });
      } else {
        this.followLocal(file, summary, local.declaration, member); // `import { x } from …; export { x }`
      }
      return;
    }
    const named = index.reExportsByName.get(name);
    if (named) {
      for (const { record, binding } of named) this.followBinding(file, record, binding, member);
      return;
    }
    if (name !== 'default') {
      const stars = index.starReExports.filter((record) => !record.typeOnly);
      const candidates: string[] = [];
      let elsewhere = false; // an external or unlistable star may provide it
      for (const record of stars) {
        const resolution = this.input.resolve(file, record.specifier);
        if (resolution.kind !== 'file') {
          elsewhere = true;
          this.follow(file, record, () => undefined);
          continue;
        }
        const names = this.exportNames(resolution.file);
        if (names === 'unknown' || names.has(name)) candidates.push(resolution.file);
        for (const dep of this.starClosure(resolution.file)) (this.current.deps ??= []).push(dep);
      }
      // Ambiguous → all candidates: safe.
      for (const target of candidates) this.push({ kind: 'export', file: target, name, member });
      if (candidates.length > 0 || elsewhere) return;
    }
    // Not found by name (CommonJS `module.exports`, a removed export): take the module whole.
    this.push({ kind: 'whole', file });
  }

  /** A reference to a top-level name: a declaration of this module, or an import binding. */
  private followLocal(file: string, summary: ModuleSummary, name: string, member?: string): void {
    const index = indexSummary(summary);
    const declaration = index.declarationByName.get(name) ?? index.declarationById.get(name);
    if (declaration) {
      this.push({ kind: 'declaration', file, id: declaration.id });
      return;
    }
    for (const { record, binding } of index.bindingsByLocal.get(name) ?? [])
      this.followBinding(file, record, binding, member);
  }

  private visitDeclaration(file: string, id: string): void {
    const effects = this.current;
    this.push({ kind: 'load', file });
    if (id === PACKAGE_RESOLUTION && isPackageManifest(file)) {
      effects.touches = true;
      effects.declaration = id;
      return;
    }
    const summary = this.input.summaries(file);
    const declaration = summary && indexSummary(summary).declarationById.get(id);
    if (!summary || !declaration || declaration.typeOnly) return;
    effects.touches = true;
    effects.declaration = id;
    for (const name of declaration.references) {
      const members = declaration.namespaceMembers?.[name];
      if (members) for (const member of members) this.followLocal(file, summary, name, member);
      else this.followLocal(file, summary, name);
    }
    for (const record of indexSummary(summary).loadsByDeclaration.get(id) ?? []) {
      if (record.typeOnly) continue;
      this.follow(file, record, (target) => {
        effects.lazyRoots.push(target);
        this.push({ kind: 'whole', file: target });
      });
    }
  }
}

/** The empty list every step without externals, notes, lazy roots or next steps shares (never written to). */
const NONE: never[] = [];

function newStepView(): StepView {
  return {
    touches: false,
    whole: false,
    next: NONE,
    nextFrom: 0,
    nextTo: 0,
    noteCount: 0,
    hasExternals: false,
    hasLazyRoots: false,
    externals: NONE,
    notes: NONE,
    lazyRoots: NONE,
  };
}

/** Where the `deps` list of a stored record with effects starts (after its other four lists). */
function depsAtOf(data: Int32Array, at: number): number {
  const nextAt = at + 8;
  const externalsAt = nextAt + 1 + data[nextAt];
  const notesAt = externalsAt + 1 + data[externalsAt] * 2;
  const lazyAt = notesAt + 1 + data[notesAt];
  return lazyAt + 1 + data[lazyAt];
}

/**
 * Whether the record at data[at … end) is one step's whole record (see SymbolGraph.seed) of file
 * `file`, every index within its table and every next step below `steps`.
 */
export function recordFits(graph: StoredStepGraph, at: number, end: number, file: number, steps: number): boolean {
  // A new commit's walks check every stored step they meet (~0.1 s of a 50,000-file hub edit):
  // plain comparisons, no closures or arrays per record. An index `x` within a table of `size`:
  // `x >= 0 && x < size`; an optional one may also be −1.
  const { data } = graph;
  const names = graph.names.length;
  if (at + 5 > end) return false;
  const kind = data[at];
  const hasEffects = data[at + 4];
  if (kind < 0 || kind > 3 || data[at + 1] !== file || (hasEffects !== 0 && hasEffects !== 1)) return false;
  const name = data[at + 2];
  if (!(name >= (kind < 2 ? -1 : 0) && name < names)) return false;
  const member = data[at + 3];
  if (!(member >= -1 && member < names)) return false;
  if (hasEffects === 0) return at + 5 === end;
  if (at + 8 > end) return false;
  const first = data[at + 6];
  const second = data[at + 7];
  if (!(first >= -1 && first < names) || !(second >= -1 && second < names)) return false;
  // The five counted lists: next steps, externals (package, from), notes, lazy roots, deps.
  const files = graph.files.length;
  let item = listFits(data, at + 8, end, steps);
  if (item < 0) return false;
  const externals = data[item];
  if (!(externals >= 0 && item + 1 + externals * 2 <= end)) return false;
  for (let value = item + 1, stop = item + 1 + externals * 2; value < stop; value += 2) {
    const packageName = data[value];
    const from = data[value + 1];
    if (!(packageName >= 0 && packageName < names) || !(from >= 0 && from < files)) return false;
  }
  item = listFits(data, item + 1 + externals * 2, end, graph.notes.length);
  if (item >= 0) item = listFits(data, item, end, files);
  if (item >= 0) item = listFits(data, item, end, files);
  return item === end;
}

/** A counted list at data[item] of indices within a table of `size`: where the next one starts, −1 when it does not fit. */
function listFits(data: Int32Array, item: number, end: number, size: number): number {
  const count = data[item];
  if (!(count >= 0 && item + 1 + count <= end)) return -1;
  const stop = item + 1 + count;
  for (let value = item + 1; value < stop; value++) {
    const index = data[value];
    if (!(index >= 0 && index < size)) return -1;
  }
  return stop;
}

let walks = 0;
/** Stamps of relevance passes (explored and relevant marks), unique per process. */
let stamps = 0;

interface Relevance {
  matters: SymbolsThatMatter;
  within: ReadonlySet<string>;
  stamp: number;
  /** Ids of the steps reachable from the entries asked for so far, in the order found. */
  explored: GrowingInts;
  /** The stamp of the steps able to reach one that matters (0 before the first pass). */
  relevant: number;
  /** What `matters.of` answered, by file number (`asked`: asked already). */
  asked: Uint8Array;
  ofFile: Array<ReturnType<SymbolsThatMatter['of']>>;
  /**
   * What explore read of each explored step (by its place in `explored`), so that neither the
   * marks nor a restricted walk read it again: its next steps within `within`, as places in
   * `explored` (`successors[successorsAt[i]]` … `successors[successorsAt[i + 1] − 1]`, in order),
   * and what a walk must read it for (`READ_*` bits).
   */
  successorsAt: GrowingInts;
  successors: GrowingInts;
  reads: GrowingInts;
}

/** A walk reads a step for its notes, packages or lazy roots, or to record its file's reach. */
const READ_NOTES = 1;
const READ_LISTS = 2;
const READ_KEPT = 4;

/** The `whole` steps of the entries a walk starts from (tests aside, within `within`). */
function entryNodes(graph: SymbolGraph, entries: readonly string[], within: ReadonlySet<string> | undefined) {
  const nodes: number[] = [];
  for (const entry of entries) {
    // Entries are chosen by entry-points.ts; a story among them is a Storybook's, which ships it.
    if ((isTestFile(entry) && !isStoryFile(entry)) || (within && !within.has(entry))) continue;
    nodes.push(graph.node({ kind: 'whole', file: entry }));
  }
  return nodes;
}

const graphs = new WeakMap<SymbolReachInput['resolve'], Map<boolean, SymbolGraph>>();

function graphFor(input: SymbolReachInput): SymbolGraph {
  let byMode = graphs.get(input.resolve);
  if (!byMode) graphs.set(input.resolve, (byMode = new Map()));
  const mode = input.verbatimModuleSyntax === true;
  let graph = byMode.get(mode);
  if (!graph) {
    byMode.set(
      mode,
      (graph = new SymbolGraph({ summaries: input.summaries, resolve: input.resolve, verbatimModuleSyntax: mode })),
    );
    const stored = input.store?.load();
    if (stored && graph.seed(stored.graph, stored.changed)) graph.rekey = stored.rekey === true;
  }
  return graph;
}

/**
 * Writes the step graph of `resolve` (in `verbatimModuleSyntax` mode or not) to `store`, when
 * this process worked out steps anew numbering a fiftieth or more of the stored graph (fewer are
 * only worked out again next time: writing the whole graph costs more), or when it was seeded
 * from a graph stored under another resolution context.
 */
export function storeStepGraph(
  resolve: SymbolReachInput['resolve'],
  verbatimModuleSyntax: boolean,
  store: StepGraphStore,
): boolean {
  const graph = graphs.get(resolve)?.get(verbatimModuleSyntax);
  if (!graph || (!graph.rekey && (graph.computed === 0 || graph.computed * 50 < graph.storedCount))) return false;
  store.save((emit) => graph.writeStored(emit));
  return true;
}

// Long on purpose: the declaration-level walk keeps its worklist, memo tables and notes in one
// closure scope; it is the hottest loop of symbol precision (see docs/benchmarks.md).
/**
 * Tree-shaking reachability down to top-level declarations. Breadth-first over steps, so chains
 * are short: loading a module reaches its side-effectful statements and loads what it imports;
 * an export request is followed through re-exports and `export *` to the declaration; a reached
 * declaration reaches what it references. Whatever cannot be followed by name is taken whole.
 *
 * Deployables of one snapshot share the step graph (keyed by the `resolve` callback): reaching
 * 50 of them costs one graph plus 50 walks over it.
 */
export function reachSymbols(input: SymbolReachInput): SymbolReach {
  const graph = graphFor(input);
  const { summaries, resolve } = graph.input;
  const states = new Map<string, FileState>();
  const walk = ++walks;
  const { marks } = graph;
  let slots: Map<number, number> | undefined;
  /** Where a step sits in this walk's order; a later walk may have restamped the step. */
  const slotOf = (id: number): number | undefined => {
    if (marks.walk[id] === walk) return marks.slot[id];
    slots ??= new Map(Array.from(visited.values.subarray(0, visited.length), (visitedId, slot) => [visitedId, slot]));
    return slots.get(id);
  };
  const externals = new Map<string, string>();
  const uncertain: UncertainFile[] = [];
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
  const chainNodes = (id: number): StepNode[] => {
    const path: StepNode[] = [];
    let slot = slotOf(id);
    while (slot !== undefined && slot >= 0) {
      path.unshift(graph.nodeOf(visited.values[slot]));
      slot = parentSlots.values[slot]; // always an earlier slot: no cycle
    }
    return path;
  };
  const steps = (file: string, declaration?: string) => {
    const candidates: Step[] = [
      ...(declaration !== undefined ? [{ kind: 'declaration' as const, file, id: declaration }] : []),
      { kind: 'whole', file },
      { kind: 'load', file },
    ];
    for (const candidate of candidates) {
      const id = graph.existing(candidate);
      if (id !== undefined && slotOf(id) !== undefined)
        return chainNodes(id).map((step) => displayKey(keyOfNode(step)));
      // A step that cannot reach one that matters (a load) is never walked here, though a whole
      // walk may reach it: only that walk knows (asked without relying on marks a later pass may move).
      if (relevant !== 0 && id !== undefined)
        return (unrestricted ??= reachSymbols({ ...input, matters: undefined })).stepsTo(file, declaration);
    }
    return [];
  };
  const noted = new Set<string>();

  const within = input.within;
  if (input.matters && !within) throw new Error('reachSymbols: `matters` needs `within`');
  const relevant = input.matters
    ? graph.relevantStamp(input.matters, within!, [...input.matters.entries, ...input.entries])
    : 0;
  /** The same walk without `matters`, for a chain to a step the restricted walk may have skipped. */
  let unrestricted: SymbolReach | undefined;
  // Visited step ids in breadth-first order, and the slot of the step each was reached from (-1:
  // an entry). Typed: grown as boxed arrays, a hub edit's 47 walks at 50,000 files took ~11,000
  // page faults.
  const visited = new GrowingInts();
  const parentSlots = new GrowingInts();
  // Breadth-first, a step taken in the order first met (so `visited` is the queue): the chain to
  // each is a shortest one, through the step that met it first.
  const meet = (id: number, parentSlot: number) => {
    marks.walk[id] = walk;
    marks.slot[id] = visited.length;
    visited.push(id);
    parentSlots.push(parentSlot);
  };
  for (const id of entryNodes(graph, input.entries, within)) {
    if ((relevant !== 0 && marks.relevant[id] !== relevant) || marks.walk[id] === walk) continue;
    meet(id, -1);
  }
  const view = newStepView();
  // A restricted walk follows what the relevance pass recorded of each step (its successors in
  // `within`, in order) and reads only the steps it must (notes, packages, lazy roots, a file it records).
  const recorded = relevant !== 0 ? graph.relevanceOf(relevant) : undefined;
  for (let index = 0; index < visited.length; index++) {
    const id = visited.values[index];
    if (recorded) {
      const place = marks.index[id];
      if (recorded.reads.values[place] === 0) {
        const successors = recorded.successors.values;
        for (let edge = recorded.successorsAt.values[place]; edge < recorded.successorsAt.values[place + 1]; edge++) {
          const next = recorded.explored.values[successors[edge]];
          if (marks.walk[next] === walk || marks.relevant[next] !== relevant) continue;
          meet(next, index);
        }
        continue;
      }
    }
    graph.read(id, view, true);
    // A restricted walk records the reach of the files `matters` asks about only.
    if (view.touches && (relevant === 0 || marks.kept[id] === relevant)) {
      const fileState = state(graph.fileOf(id));
      if (view.whole) fileState.whole = true;
      if (view.declaration !== undefined) fileState.declarations.add(view.declaration);
      if (view.exportName !== undefined) fileState.exports.add(view.exportName);
    }
    for (const [packageName, from] of view.externals) if (!externals.has(packageName)) externals.set(packageName, from);
    for (const root of view.lazyRoots) lazyRoots.add(root);
    for (const { file: noteFile, ...note } of view.notes) {
      if (noted.has(note.detail)) continue; // one import is met both on load and through its bindings
      noted.add(note.detail);
      uncertain.push(
        uncertainAt(noteFile, note, filesOf(chainNodes(id).map(keyOfNode)).concat(noteFile).filter(dedupeConsecutive)),
      );
    }
    for (let at = view.nextFrom; at < view.nextTo; at++) {
      const next = view.next[at];
      if (marks.walk[next] === walk) continue;
      // A relevant step was explored within `within`: no need to look the file up.
      if (relevant !== 0 ? marks.relevant[next] !== relevant : within && !graph.inside(next, within)) continue;
      meet(next, index);
    }
  }

  const sideEffectMemo = new Map<string, boolean>();
  /** Whether loading a file runs code with effects or ships kept code, itself or through its loads. */
  const runsOrShipsCode = (start: string): boolean => {
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
  /**
   * Runs or ships code when loaded, by itself: a side-effectful statement, CSS, an unknown file, a
   * lazily initialised module — or code this deployable keeps (a reached declaration), which
   * moves with the module in the evaluation order (`var X = 75` initialised after instead of
   * before another module's statements: TDZ in cycles, and the bundle differs).
   */
  const ownEffect = (file: string, lazyFiles: ReadonlySet<string>): boolean => {
    if (isTestFile(file) || isDeclarationFile(file)) return false;
    if (lazyFiles.has(file)) return true; // bundlers emit its initialiser call where it is imported
    const kept = states.get(file);
    if (kept && (kept.whole || [...kept.declarations].some((id) => id !== PACKAGE_RESOLUTION))) return true;
    const summary = isSourceFile(file) ? summaries(file) : undefined;
    if (!summary) return !isAssetFile(file) || !/\.(json|jsonc|json5)$/i.test(file); // CSS runs; unknown: assume so
    return (
      summary.parseErrors.length > 0 ||
      summary.declarations.some((declaration) => declaration.sideEffect && !declaration.typeOnly)
    );
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

  const entries = new Set(input.entries);
  let importersOf: Map<string, Array<{ importer: string; index: number }>> | undefined;
  /** Loaded modules that import each file (any kind of import, type-only aside), in import order. */
  const importers = (): Map<string, Array<{ importer: string; index: number }>> => {
    if (importersOf) return importersOf;
    importersOf = new Map();
    for (const importer of states.keys()) {
      const summary = isSourceFile(importer) ? summaries(importer) : undefined;
      summary?.imports.forEach((record, index) => {
        if (record.typeOnly) return;
        const resolution = resolve(importer, record.specifier);
        if (resolution.kind !== 'file') return;
        const list = importersOf!.get(resolution.file);
        if (list) list.push({ importer, index });
        else importersOf!.set(resolution.file, [{ importer, index }]);
      });
    }
    return importersOf;
  };
  const loadedBefore = (file: string, specifier: string): boolean => {
    const target = resolve(file, specifier);
    if (target.kind !== 'file' || entries.has(file) || target.file === file) return false;
    // Lazily initialised modules get an initialiser call at every import: the edge shows.
    const lazyFiles = lazilyInitialised();
    if (lazyFiles.has(file) || lazyFiles.has(target.file)) return false;
    const loaders = importers().get(file) ?? [];
    const importer = loaders[0]?.importer;
    if (importer === undefined || loaders.some((loader) => loader.importer !== importer)) return false;
    const summary = summaries(importer);
    if (!summary) return false;
    const first = Math.min(...loaders.map((loader) => loader.index));
    // An earlier import of the target that no bundler or TypeScript elides: bare, or a re-export of values.
    return summary.imports.slice(0, first).some((record) => {
      if (record.typeOnly) return false;
      const kept =
        record.kind === 'side-effect' ||
        record.kind === 're-export-all' ||
        (record.kind === 're-export' && record.bindings.some((binding) => !binding.typeOnly));
      if (!kept) return false;
      const resolution = resolve(importer, record.specifier);
      return resolution.kind === 'file' && resolution.file === target.file;
    });
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
      // Even when another module loads the target too, a new or removed edge moves the target's
      // load closure in the evaluation order: only a closure that neither runs anything on load
      // nor ships code this deployable keeps is indifferent. A lazily initialised module (also
      // loaded by import()/require()) counts as running code: bundlers call its initialiser where
      // it is first imported.
      return runsOrShipsCode(resolution.file);
    },
    loadedBefore,
  };
}

function keyOfNode(node: StepNode): string {
  return (node.key ??= keyOf(node.step));
}

function keyOf(step: Step): string {
  switch (step.kind) {
    case 'load':
      return `L\0${step.file}`;
    case 'whole':
      return `W\0${step.file}`;
    case 'export':
      return step.member === undefined
        ? `E\0${step.file}\0${step.name}`
        : `E\0${step.file}\0${step.name}.${step.member}`;
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
