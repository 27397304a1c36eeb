import {
  IMPORT_UNRESOLVED,
  IMPORTS_EXTERNAL,
  STEP_UNCERTAIN,
  fileStepRow,
  type FileStepTable,
  type ImportEdge,
  type RememberedFile,
} from '../core/graph/import-graph';
import { Int32Chunks } from '../core/int32-chunks';
import type { Resolution, Resolver } from '../core/resolve/resolution-context';
import { contextFile, type StringList } from './framed-file';

const KINDS = new Set(['static', 'side-effect', 're-export', 're-export-all', 'dynamic', 'require', 'import-equals']);

/** Bumped when the record of a file below changes meaning. */
const FORMAT = 'nx-lockstep-import-graph-4';

/** The header besides the context: how many of the integers are records, and the step table's targets. */
interface Header {
  records: number;
  targets: number;
}

/**
 * The lists: `strings` (specifiers, import kinds and problems), each distinct resolution once as
 * JSON, and `others`: the files the step table numbers after the stored ones (targets the graph
 * holds no record of).
 */
const LISTS = ['strings', 'resolutions', 'others'] as const;

/** The header and lists a stored graph is read with. */
interface Tables {
  files: string[];
  /** Where each file's record starts (a view of the integers after the records). */
  offsets: Int32Array;
  strings: StringList;
  resolutions: StringList;
}

/** The resolved imports of the files of the last commit stored, for the files whose blob is unchanged. */
export interface StoredImportGraph {
  get(path: string): RememberedFile | undefined;
  /** Stored under this very context (else under another one: each file is checked again). */
  readonly sameKey: boolean;
  readonly size: number;
  /** Every file's entry (decoded now). */
  entries(): Iterable<[string, RememberedFile]>;
  /**
   * How `specifier` resolved from `path` when the graph was stored, whatever the file's blob was
   * then; undefined under another context, or when the file did not import it. Resolution reads
   * the file's path and the specifier, never the file's text: under the same context a changed
   * file's unchanged imports resolve as they did.
   */
  resolutionOf(path: string, specifier: string): Resolution | undefined;
  /**
   * The steps of every file `get` answers for, by number, read straight from the records
   * (undefined under another context, where each file is checked again as it is asked for).
   */
  table(): FileStepTable | undefined;
}

/**
 * Every file's resolved imports and problems, in one file per workspace
 * (`<workspace data>/nx-lockstep/import-graph.cache`), for the next run over the same resolution
 * context (`key`, see WorkspaceSnapshot.resolutionContext): a commit that only edits sources
 * reads it whole in one go, instead of one parse-cache entry per file. Framed as framed-file.ts
 * says: per file 32-bit integers (file, edge count, per edge specifier, kind, type-only, line,
 * resolution, then problem count, problems); then per file where its record starts; then the
 * file-level step table (see FileStepTable and TableBuilder): per file its targets' start and end
 * (start −1: not a source file) and flags, then the targets; then a JSON header (key, the records'
 * and targets' counts) and the lists (files, their blob ids, strings, resolutions, others):
 * nothing is decoded before it is asked for.
 * Anything unreadable or foreign is not used; from another context (the same engine build and
 * `verbatimModuleSyntax`) a file is taken only when its imports, resolved again, are as stored; a
 * file whose blob differs from head's, or whose record does not decode, is not taken from it.
 */
export function importGraphFile(
  workspaceRoot: string,
  context: { key: string; configKey: string },
  blobs: ReadonlyMap<string, string>,
  /** Resolution at head: asked again for every import of a file stored under another context. */
  resolve: Resolver,
) {
  const file = contextFile(workspaceRoot, 'import-graph.cache', FORMAT, context, blobs);
  return {
    load(): StoredImportGraph | undefined {
      try {
        const read = file.read<Header, (typeof LISTS)[number]>(
          LISTS,
          (header) =>
            Number.isInteger(header.records) &&
            header.records >= 0 &&
            Number.isInteger(header.targets) &&
            header.targets >= 0,
          // The records are read as they are decoded (a new commit decodes few of them; at
          // 50,000 files they are 3.8 MB of the file's 10).
          true,
        );
        if (!read) return undefined;
        const { data, sameKey, blobs: storedBlobs } = read;
        const { records } = read.header;
        const count = read.files.length;
        if (data.length !== records + 4 * count + read.header.targets) return undefined;
        /** Makes data[from … to) readable (when read on demand); a file cut short since is damaged. */
        const need = (from: number, to: number) => {
          if (read.load && !read.load(from, to)) throw new Error('the integers cannot be read');
        };
        // The offsets and the step table: every run uses them.
        need(records, data.length);
        const header: Tables = {
          files: read.files,
          offsets: data.subarray(records, records + count),
          strings: read.lists.strings,
          resolutions: read.lists.resolutions,
        };
        const fileIndex = new Map(header.files.map((path, index) => [path, index] as const));
        /** Each file asked for once: decoded (and resolved again) at most once. */
        const checked = new Map<string, RememberedFile | undefined>();
        const resolutions: Array<Resolution | undefined> = new Array(header.resolutions.length);
        const resolution = (index: number): Resolution => {
          let known = resolutions[index];
          if (!known) {
            known = JSON.parse(header.resolutions.at(index) ?? 'null') as Resolution;
            if (!known || typeof known.kind !== 'string') throw new Error('not a resolution');
            resolutions[index] = known;
          }
          return known;
        };
        /** A string of the header's table; an index outside it means a damaged record. */
        const string = (index: number): string => {
          const value = header.strings.at(index);
          if (value === undefined) throw new Error('not a string of the table');
          return value;
        };
        // Each record is checked as it is decoded (none is read before it is asked for).
        const decode = (file: number): RememberedFile => {
          let cursor = header.offsets[file];
          if (!(cursor >= 0 && cursor + 2 < records)) throw new Error('a record past the end');
          need(cursor, cursor + 2);
          if (data[cursor++] !== file) throw new Error('not the record of this file');
          const edges: ImportEdge[] = [];
          const edgeCount = data[cursor++];
          if (!(edgeCount >= 0 && cursor + edgeCount * 5 < records)) throw new Error('a record past the end');
          need(cursor, cursor + edgeCount * 5 + 1);
          for (let edge = edgeCount; edge > 0; edge--, cursor += 5) {
            const kind = string(data[cursor + 1]);
            if (!KINDS.has(kind)) throw new Error(`not an import kind: ${kind}`);
            edges.push({
              specifier: string(data[cursor]),
              kind: kind as ImportEdge['kind'],
              typeOnly: data[cursor + 2] === 1,
              line: data[cursor + 3],
              resolution: resolution(data[cursor + 4]),
            });
          }
          const problems: string[] = [];
          const problemCount = data[cursor++];
          if (!(problemCount >= 0 && cursor + problemCount <= records)) throw new Error('a record past the end');
          need(cursor, cursor + problemCount);
          for (let problem = problemCount; problem > 0; problem--) problems.push(string(data[cursor++]));
          return { edges, problems };
        };
        /** Per stored file (any blob), its specifiers' resolutions, decoded on first use. */
        const earlier = new Map<string, Map<string, Resolution> | undefined>();
        /** The record of a file whose blob is head's. */
        const recordOf = (path: string): number | undefined => {
          const index = fileIndex.get(path);
          return index !== undefined && storedBlobs.equals(index, blobs.get(path) ?? '') ? index : undefined;
        };
        return {
          // A record that does not decode, or (stored under another context) with an import
          // that now resolves otherwise, is worked out again.
          get: (path) => {
            const index = recordOf(path);
            if (index === undefined) return undefined;
            if (checked.has(path)) return checked.get(path);
            let known: RememberedFile | undefined;
            try {
              known = decode(index);
            } catch {
              known = undefined;
            }
            if (known && !sameKey) {
              const asStored = known.edges.every(
                (edge) => JSON.stringify(resolve(path, edge.specifier)) === JSON.stringify(edge.resolution),
              );
              if (!asStored) known = undefined;
            }
            checked.set(path, known);
            return known;
          },
          resolutionOf: (path, specifier) => {
            if (!sameKey) return undefined;
            let known = earlier.get(path);
            if (!earlier.has(path)) {
              const index = fileIndex.get(path);
              try {
                known =
                  index === undefined
                    ? undefined
                    : new Map(decode(index).edges.map((edge) => [edge.specifier, edge.resolution] as const));
              } catch {
                known = undefined;
              }
              earlier.set(path, known);
            }
            return known?.get(specifier);
          },
          sameKey,
          size: header.files.length,
          *entries() {
            for (const path of header.files) {
              const known = this.get(path);
              if (known) yield [path, known];
            }
          },
          table: () => {
            if (!sameKey) return undefined;
            // The stored table, for the files whose blob is head's.
            return storedTable(
              header.files,
              fileIndex,
              read.lists.others,
              data.subarray(records + count),
              (path, index) => storedBlobs.equals(index, blobs.get(path) ?? ''),
            );
          },
        };
      } catch {
        return undefined;
      }
    },
    save(entries: Iterable<[string, RememberedFile]>): void {
      const files: string[] = [];
      const offsets: number[] = [];
      const strings: string[] = [];
      const stringIndex = new Map<string, number>();
      const resolutions: string[] = [];
      const resolutionIndex = new Map<string, number>();
      const intern = (table: string[], index: Map<string, number>, value: string) => {
        let found = index.get(value);
        if (found === undefined) index.set(value, (found = table.push(value) - 1));
        return found;
      };
      const steps = new TableBuilder();
      file.write((emit) => {
        const data = new Int32Chunks(emit);
        let position = 0;
        for (const [path, known] of entries) {
          if (!blobs.has(path)) continue;
          offsets.push(position);
          position += 3 + known.edges.length * 5 + known.problems.length;
          data.push(files.push(path) - 1);
          data.push(known.edges.length);
          for (const edge of known.edges) {
            data.push(intern(strings, stringIndex, edge.specifier));
            data.push(intern(strings, stringIndex, edge.kind));
            data.push(edge.typeOnly ? 1 : 0);
            data.push(edge.line);
            data.push(intern(resolutions, resolutionIndex, JSON.stringify(edge.resolution)));
          }
          data.push(known.problems.length);
          for (const problem of known.problems) data.push(intern(strings, stringIndex, problem));
          steps.add(path, known);
        }
        for (const offset of offsets) data.push(offset);
        const { others, targets } = steps.write(files, (value) => data.push(value));
        data.flush();
        return {
          header: { records: position, targets } satisfies Header,
          lists: { files, strings, resolutions, others },
        };
      });
    },
  };
}

/**
 * The file-level step table (FileStepTable) of the files a graph stores, worked out as it is
 * saved (each file's row: fileStepRow): a warm run takes it as it is instead of reading every
 * record and parsing every distinct resolution again (at 50,000 files that took ~0.1 s per run).
 */
class TableBuilder {
  /** Per added file: its flags, or −1 when it is no source file (the table does not hold it). */
  private readonly flags: number[] = [];
  /** Per added file, its runtime targets' paths, one after the other (`counts` says how many each). */
  private readonly targets: string[] = [];
  private readonly counts: number[] = [];

  add(path: string, known: RememberedFile): void {
    const row = fileStepRow(path, known);
    this.flags.push(row ? row.flags : -1);
    this.counts.push(row ? row.targets.length : 0);
    if (row) for (const target of row.targets) this.targets.push(target);
  }

  /**
   * Pushes the table (per file the start and end of its targets, then per file its flags, then the
   * targets by number) for `files`, the stored files in the order added: a target is numbered by
   * its place there, else after them, in `others`.
   */
  write(files: readonly string[], push: (value: number) => void): { others: string[]; targets: number } {
    const numbers = new Map(files.map((path, index) => [path, index] as const));
    const others: string[] = [];
    const numberOf = (path: string) => {
      let number = numbers.get(path);
      if (number === undefined) numbers.set(path, (number = files.length + others.push(path) - 1));
      return number;
    };
    let at = 0;
    for (let file = 0; file < this.flags.length; file++) {
      push(this.flags[file] < 0 ? -1 : at);
      at += this.counts[file];
    }
    at = 0;
    for (let file = 0; file < this.flags.length; file++) {
      at += this.counts[file];
      push(this.flags[file] < 0 ? -1 : at);
    }
    for (const flags of this.flags) push(Math.max(flags, 0));
    for (const target of this.targets) push(numberOf(target));
    return { others, targets: this.targets.length };
  }
}

/** The bits a file's flags may have. */
const FLAG_BITS = STEP_UNCERTAIN | IMPORT_UNRESOLVED | IMPORTS_EXTERNAL;

/**
 * The stored step table (`stored`: per file start, end and flags, then the targets; see
 * TableBuilder.write), checked whole (undefined when any number is out of its range: a damaged
 * file), holding only the files `current` says are as stored (the others are asked of the graph).
 */
function storedTable(
  storedFiles: readonly string[],
  fileIndex: ReadonlyMap<string, number>,
  othersList: StringList,
  stored: Int32Array,
  current: (path: string, index: number) => boolean,
): FileStepTable | undefined {
  const count = storedFiles.length;
  // A path stored twice (a damaged file): `get` answers from its last record only; no table.
  if (fileIndex.size !== count) return undefined;
  const start = stored.slice(0, count);
  const end = stored.subarray(count, 2 * count);
  const flagValues = stored.subarray(2 * count, 3 * count);
  const targets = stored.subarray(3 * count);
  const numbered = count + othersList.length;
  const flags = new Uint8Array(count);
  for (let file = 0; file < count; file++) {
    const from = start[file];
    if (from === -1) {
      if (end[file] !== -1 || flagValues[file] !== 0) return undefined;
      continue;
    }
    if (!(from >= 0 && from <= end[file] && end[file] <= targets.length)) return undefined;
    if ((flagValues[file] & ~FLAG_BITS) !== 0) return undefined;
    if (current(storedFiles[file], file)) flags[file] = flagValues[file];
    else start[file] = -1;
  }
  for (let index = 0; index < targets.length; index++) if (targets[index] >>> 0 >= numbered) return undefined;
  const others = othersList.all();
  const otherIndex = new Map(others.map((path, index) => [path, count + index] as const));
  // A target among the stored files named again among the others would number one file twice.
  if (otherIndex.size !== others.length || others.some((path) => fileIndex.has(path))) return undefined;
  return {
    files: [...storedFiles, ...others],
    numberOf: (path) => fileIndex.get(path) ?? otherIndex.get(path),
    start,
    end,
    targets,
    flags,
  };
}
