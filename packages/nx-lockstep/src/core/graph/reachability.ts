import { isAssetFile, isDeclarationFile, isSourceFile, isTestFile } from '../extract/file-kinds';
import { missingPathOf } from '../affected/generated-code';
import { IMPORTS_EXTERNAL, STEP_UNCERTAIN, type FileStepTable, type ImportGraph } from './import-graph';
import { GrowingInts } from '../growing-ints';

export interface UncertainFile {
  file: string;
  detail: string;
  via: string[];
  /** What the spot could stand for, to scope it to the change (see core/affected/uncertainty-scope). */
  spot?: UncertainSpot;
}

/** An import into a path git does not hold (maybe generated), or code that loads what it computes. */
export interface UncertainSpot {
  /** Workspace-relative path (no extension) an unresolved import points to. */
  missingPath?: string;
  /** `eval`, `require(expr)`, `import(expr)`: may load any module, an installed package too. */
  dynamic?: boolean;
}

/** One thing the analysis cannot follow in a file: why, and what it could stand for. */
export interface UncertainNote extends UncertainSpot {
  detail: string;
}

/** What a deployable ships from its entry points at file precision. */
export interface Reach {
  /** Every reached file → the file that first imported it (null for entry points). */
  parents: ReadonlyMap<string, string | null>;
  /** External package name → the first reached file that imports it at runtime. */
  externals: ReadonlyMap<string, string>;
  uncertain: UncertainFile[];
}

/** What reaching one file adds: its runtime imports and what cannot be followed safely. */
export interface ReachStep {
  /** Workspace files it loads at runtime, in import order (test files left out). */
  targets: string[];
  /** External packages it imports at runtime, in import order. */
  externals: string[];
  /** Why the analysis cannot be sure about this file (the chain to it is added by the caller). */
  uncertain: UncertainNote[];
}

// Every deployable reaching a file takes the same step from it: computed once per graph.
const stepsByGraph = new WeakMap<ImportGraph, Map<string, ReachStep>>();

/**
 * The step from `file`. Type-only edges and test files are not followed; what cannot be followed
 * safely (parse errors, unresolvable workspace imports, computed imports, unknown file kinds) is
 * recorded.
 */
export function reachStep(file: string, graph: ImportGraph): ReachStep {
  let steps = stepsByGraph.get(graph);
  if (!steps) stepsByGraph.set(graph, (steps = new Map()));
  let step = steps.get(file);
  if (!step) steps.set(file, (step = computeStep(file, graph)));
  return step;
}

function computeStep(file: string, graph: ImportGraph): ReachStep {
  const step: ReachStep = { targets: [], externals: [], uncertain: [] };
  // A step the stored graph holds with nothing to name (no notes, no packages): its targets only.
  const numbers = fileNumbersOf(graph);
  const number = numbers.known(file);
  if (number !== undefined && numbers.plain(number)) {
    const { start, end, targets } = numbers.table!;
    for (let at = start[number]; at < end[number]; at++) step.targets.push(numbers.nameOf(targets[at]));
    return step;
  }
  if (!isSourceFile(file)) {
    if (!isAssetFile(file) && !isDeclarationFile(file) && !file.endsWith('package.json'))
      step.uncertain.push({ detail: `${file} is reached but is not a kind of file the analysis can read for imports` });
    return step;
  }
  const problems = graph.problemsOf(file);
  if (!problems) {
    step.uncertain.push({ detail: `${file} was not analysed` });
    return step;
  }
  for (const detail of problems) step.uncertain.push({ detail, dynamic: isDynamicProblem(detail) || undefined });
  for (const edge of graph.edgesOf(file)) {
    if (edge.typeOnly) continue;
    const resolution = edge.resolution;
    if (resolution.kind === 'external') step.externals.push(resolution.packageName);
    else if (resolution.kind === 'unresolved')
      step.uncertain.push({
        detail: `${file}:${edge.line} imports "${edge.specifier}": ${resolution.detail}`,
        missingPath: missingPathOf(file, edge.specifier, resolution),
      });
    else if (resolution.kind === 'file') {
      for (const target of [...(resolution.via ?? []), resolution.file]) if (!isTest(target)) step.targets.push(target);
    }
  }
  return step;
}

/**
 * Follows runtime imports breadth-first from the entry points, so each `via` chain is a shortest
 * one. Type-only edges and test files are not followed; what cannot be followed safely (parse
 * errors, unresolvable workspace imports, computed imports, unknown file kinds) is recorded.
 * Files are numbered as the graph's table numbers them (see FileNumbers): `parents` answers by
 * number, in the order the files were reached, without a string key per reached file.
 */
export function reachFromEntryPoints(
  entryPoints: readonly string[],
  graph: ImportGraph,
  files: ReadonlySet<string>,
): Reach {
  const numbers = fileNumbersOf(graph);
  const parents = new NumberedParents(numbers);
  const externals = new Map<string, string>();
  const uncertain: UncertainFile[] = [];
  const queue = parents.order;
  for (const entry of entryPoints) {
    if (!files.has(entry)) {
      uncertain.push({ file: entry, detail: missingEntryPoint(entry), via: [entry] });
      continue;
    }
    parents.reach(numbers.numberOf(entry), -1);
  }
  for (let index = 0; index < queue.length; index++) {
    const number = queue[index];
    if (numbers.plain(number)) {
      const { start, end, targets } = numbers.table!;
      for (let at = start[number]; at < end[number]; at++) parents.reach(targets[at], number);
      continue;
    }
    const file = numbers.nameOf(number);
    const step = reachStep(file, graph);
    for (const note of step.uncertain) uncertain.push(uncertainAt(file, note, chain(parents, file)));
    for (const name of step.externals) if (!externals.has(name)) externals.set(name, file);
    for (const target of step.targets) parents.reach(numbers.numberOf(target), number);
  }
  return { parents, externals, uncertain };
}

// One numbering per graph, shared by every deployable's reach (each keeps only its parents by number).
const numbersByGraph = new WeakMap<ImportGraph, FileNumbers>();

function fileNumbersOf(graph: ImportGraph): FileNumbers {
  let numbers = numbersByGraph.get(graph);
  if (!numbers) numbersByGraph.set(graph, (numbers = new FileNumbers(graph.stepTable?.())));
  return numbers;
}

/**
 * Files by number: the numbers of a stored graph's step table (see FileStepTable), then the
 * other files as they are met. `plain`: the table holds the file's step and it has nothing to
 * name (no notes, no packages): its targets are all there is to it.
 */
class FileNumbers {
  private readonly extra = new Map<string, number>();
  private readonly names: string[] = [];
  private readonly tableFiles: readonly string[];
  private readonly heldCount: number;

  constructor(readonly table: FileStepTable | undefined) {
    this.tableFiles = table?.files ?? [];
    this.heldCount = table?.start.length ?? 0;
  }

  get count(): number {
    return this.tableFiles.length + this.names.length;
  }

  numberOf(file: string): number {
    const number = this.table?.numberOf(file) ?? this.extra.get(file);
    if (number !== undefined) return number;
    this.extra.set(file, this.count);
    return this.tableFiles.length + this.names.push(file) - 1;
  }

  /** The number of a file already numbered, or undefined. */
  known(file: string): number | undefined {
    return this.table?.numberOf(file) ?? this.extra.get(file);
  }

  nameOf(number: number): string {
    return number < this.tableFiles.length ? this.tableFiles[number] : this.names[number - this.tableFiles.length];
  }

  held(number: number): boolean {
    return number < this.heldCount && this.table!.start[number] >= 0;
  }

  plain(number: number): boolean {
    return this.held(number) && (this.table!.flags[number] & (STEP_UNCERTAIN | IMPORTS_EXTERNAL)) === 0;
  }
}

/** Reached files → the file that first imported each (null for an entry point), kept by number. */
class NumberedParents implements ReadonlyMap<string, string | null> {
  /** The reached files in the order reached (the breadth-first queue). */
  readonly order: number[] = [];
  /** Per number: −2 not reached, −1 an entry point, else its parent's number. */
  private parentOf = new Int32Array(0);

  constructor(private readonly numbers: FileNumbers) {}

  /** Marks `number` reached from `parent` (−1: an entry point) unless it was reached already. */
  reach(number: number, parent: number): void {
    if (number >= this.parentOf.length) {
      const grown = new Int32Array(Math.max(number + 1, this.parentOf.length * 2, this.numbers.count, 64)).fill(-2);
      grown.set(this.parentOf);
      this.parentOf = grown;
    }
    if (this.parentOf[number] !== -2) return;
    this.parentOf[number] = parent;
    this.order.push(number);
  }

  private numberOf(file: string): number | undefined {
    const number = this.numbers.known(file);
    return number !== undefined && number < this.parentOf.length && this.parentOf[number] !== -2 ? number : undefined;
  }

  get size(): number {
    return this.order.length;
  }

  has(file: string): boolean {
    return this.numberOf(file) !== undefined;
  }

  get(file: string): string | null | undefined {
    const number = this.numberOf(file);
    if (number === undefined) return undefined;
    const parent = this.parentOf[number];
    return parent === -1 ? null : this.numbers.nameOf(parent);
  }

  *entries(): MapIterator<[string, string | null]> {
    for (const number of this.order) {
      const parent = this.parentOf[number];
      yield [this.numbers.nameOf(number), parent === -1 ? null : this.numbers.nameOf(parent)];
    }
  }

  *keys(): MapIterator<string> {
    for (const number of this.order) yield this.numbers.nameOf(number);
  }

  *values(): MapIterator<string | null> {
    for (const [, parent] of this.entries()) yield parent;
  }

  [Symbol.iterator](): MapIterator<[string, string | null]> {
    return this.entries();
  }

  forEach(callback: (value: string | null, key: string, map: ReadonlyMap<string, string | null>) => void): void {
    for (const [key, value] of this.entries()) callback(value, key, this);
  }
}

/**
 * Every file from which a runtime import chain leads to a file `matters` accepts (those files
 * included), among the files reached from `entryPoints`. One pass for all deployables: a
 * deployable none of whose entry points is in the set reaches nothing that matters, so its
 * own breadth-first reach (and chains) need not be computed.
 *
 * The steps the graph's table holds (`ImportGraph.stepTable`) are read from it by number, and
 * `mattersHeld` decides for them from their flags (it may call reachStep for more); every other
 * file takes its step from the graph and `matters`.
 */
export function filesReaching(
  entryPoints: Iterable<string>,
  graph: ImportGraph,
  files: ReadonlySet<string>,
  matters: (file: string, step: ReachStep) => boolean,
  mattersHeld: (file: string, flags: number) => boolean = (file) => matters(file, reachStep(file, graph)),
): Set<string> {
  const numbers = fileNumbersOf(graph);
  let visited = new Uint8Array(Math.max(numbers.count, 1024));
  const visit = (number: number) => {
    if (number >= visited.length) {
      const grown = new Uint8Array(Math.max(number + 1, visited.length * 2));
      grown.set(visited);
      visited = grown;
    }
    if (visited[number]) return false;
    visited[number] = 1;
    return true;
  };
  const queue: number[] = [];
  for (const entry of entryPoints) {
    if (!files.has(entry)) continue;
    const number = numbers.numberOf(entry);
    if (visit(number)) queue.push(number);
  }
  // Edges as (importer, target) pairs, in the order met; reversed once the forward pass is done.
  // Typed lists: at 50,000 files a hub is reached over ~160,000 edges.
  const from = new GrowingInts();
  const to = new GrowingInts();
  const reaching: number[] = [];
  for (let index = 0; index < queue.length; index++) {
    const number = queue[index];
    if (numbers.held(number)) {
      const { start, end, targets, flags } = numbers.table!;
      if (mattersHeld(numbers.nameOf(number), flags[number])) reaching.push(number);
      for (let at = start[number]; at < end[number]; at++) {
        const target = targets[at];
        from.push(number);
        to.push(target);
        if (visit(target)) queue.push(target);
      }
      continue;
    }
    const file = numbers.nameOf(number);
    const step = reachStep(file, graph);
    if (matters(file, step)) reaching.push(number);
    for (const targetFile of step.targets) {
      const target = numbers.numberOf(targetFile);
      from.push(number);
      to.push(target);
      if (visit(target)) queue.push(target);
    }
  }
  const count = numbers.count;
  const starts = new Int32Array(count + 1);
  const targets = to.values;
  const importersOf = from.values;
  const edges = to.length;
  for (let edge = 0; edge < edges; edge++) starts[targets[edge] + 1]++;
  for (let number = 0; number < count; number++) starts[number + 1] += starts[number];
  const fill = starts.slice(0, count);
  const importers = new Int32Array(edges);
  for (let edge = 0; edge < edges; edge++) importers[fill[targets[edge]]++] = importersOf[edge];
  const marked = new Uint8Array(count);
  for (const number of reaching) marked[number] = 1;
  const pending = [...reaching];
  while (pending.length > 0) {
    const number = pending.pop()!;
    for (let at = starts[number]; at < starts[number + 1]; at++) {
      const importer = importers[at];
      if (marked[importer]) continue;
      marked[importer] = 1;
      pending.push(importer);
    }
  }
  const result = new Set<string>();
  for (let number = 0; number < count; number++) if (marked[number]) result.add(numbers.nameOf(number));
  return result;
}

/** An uncertain file with its chain, carrying what the spot could stand for when known. */
export function uncertainAt(file: string, note: UncertainNote, via: string[]): UncertainFile {
  const { detail, ...spot } = note;
  const known = spot.missingPath !== undefined || spot.dynamic === true;
  return known ? { file, detail, via, spot } : { file, detail, via };
}

/** The import graph's wording for code that loads computed modules (see import-graph.ts problemsIn). */
export function isDynamicProblem(detail: string): boolean {
  return detail.includes(' loads modules the analysis cannot follow');
}

// Many imports name the same file: test its name once (the patterns are costly at this volume).
const testFiles = new Map<string, boolean>();
function isTest(file: string): boolean {
  let test = testFiles.get(file);
  if (test === undefined) {
    if (testFiles.size > 200_000) testFiles.clear();
    testFiles.set(file, (test = isTestFile(file)));
  }
  return test;
}

function missingEntryPoint(entry: string): string {
  return `entry point ${entry} does not exist; set "entryPoints" in the nx-lockstep plugin options, e.g. { "entryPoints": { "api": ["apps/api/src/main.ts"] } }`;
}

/** The import chain entry → … → file. */
export function chain(parents: ReadonlyMap<string, string | null>, file: string): string[] {
  const path: string[] = [];
  let current: string | null | undefined = file;
  const seen = new Set<string>();
  while (current && !seen.has(current)) {
    seen.add(current);
    path.unshift(current);
    current = parents.get(current);
  }
  return path;
}
