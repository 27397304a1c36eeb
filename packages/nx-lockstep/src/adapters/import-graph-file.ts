import {
  IMPORT_UNRESOLVED,
  IMPORTS_EXTERNAL,
  STEP_UNCERTAIN,
  type FileStepTable,
  type ImportEdge,
  type RememberedFile,
} from '../core/graph/import-graph';
import { isSourceFile, isTestFile } from '../core/extract/file-kinds';
import { Int32Chunks } from '../core/int32-chunks';
import type { Resolution, Resolver } from '../core/resolve/resolution-context';
import { contextFile, type StringList } from './framed-file';
import { GrowingInts } from '../core/growing-ints';

const KINDS = new Set(['static', 'side-effect', 're-export', 're-export-all', 'dynamic', 'require', 'import-equals']);

/** Bumped when the record of a file below changes meaning. */
const FORMAT = 'nx-lockstep-import-graph-3';

/** The header besides the context: where each file's record starts among the integers. */
interface Header {
  offsets: number[];
}

/** The lists: `strings` (specifiers, import kinds and problems), each distinct resolution once as JSON. */
const LISTS = ['strings', 'resolutions'] as const;

/** The header and lists a stored graph is read with. */
interface Tables {
  files: string[];
  offsets: number[];
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
 * resolution, then problem count, problems), then a JSON header (key, where each file's record
 * starts) and the lists (files, their blob ids, strings, resolutions): nothing is decoded before
 * it is asked for.
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
            Array.isArray(header.offsets) && header.offsets.every((offset) => Number.isInteger(offset) && offset >= 0),
        );
        if (!read || read.header.offsets.length !== read.files.length) return undefined;
        const { data, sameKey, blobs: storedBlobs } = read;
        const header: Tables = { files: read.files, offsets: read.header.offsets, ...read.lists };
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
          if (data[cursor++] !== file) throw new Error('not the record of this file');
          const edges: ImportEdge[] = [];
          const count = data[cursor++];
          if (!(count >= 0 && cursor + count * 5 < data.length)) throw new Error('a record past the end');
          for (let edge = count; edge > 0; edge--, cursor += 5) {
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
          if (!(problemCount >= 0 && cursor + problemCount <= data.length)) throw new Error('a record past the end');
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
            try {
              // A file's own record (the loop goes by record), whose blob is head's.
              return stepTable(
                header,
                fileIndex,
                data,
                (path, index) => storedBlobs.equals(index, blobs.get(path) ?? ''),
                resolution,
              );
            } catch {
              return undefined;
            }
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
        }
        data.flush();
        return { header: { offsets } satisfies Header, lists: { files, strings, resolutions } };
      });
    },
  };
}

/**
 * Each file's file-level step from its record, checked as `decode` checks it (a record that does
 * not decode is left out: `get` does not answer from it either). A resolution's targets are worked
 * out once, for every import that has it.
 */
function stepTable(
  header: Tables,
  /** Each stored file's index in `header.files` (read only: the table numbers other targets after them). */
  fileIndex: ReadonlyMap<string, number>,
  data: Int32Array,
  current: (path: string, index: number) => boolean,
  resolution: (index: number) => Resolution,
): FileStepTable {
  const files = [...header.files];
  // A path stored twice (a damaged file): `get` answers from its last record only; no table.
  if (fileIndex.size !== files.length) throw new Error('a file stored twice');
  const others = new Map<string, number>();
  const numberOf = (path: string) => {
    let number = fileIndex.get(path) ?? others.get(path);
    if (number === undefined) others.set(path, (number = files.push(path) - 1));
    return number;
  };
  // Per resolution: −1 not looked at; else where its targets start in `resolvedTargets` and a kind.
  const resolvedAt = new Int32Array(header.resolutions.length).fill(-1);
  const resolvedKind = new Uint8Array(header.resolutions.length);
  const resolvedTargets = new GrowingInts(header.resolutions.length * 2);
  const FILE = 1;
  const EXTERNAL = 2;
  const UNRESOLVED = 3;
  const targetsOf = (index: number) => {
    if (resolvedAt[index] >= 0) return;
    const known = resolution(index);
    const at = (resolvedAt[index] = resolvedTargets.length);
    if (known.kind === 'file') {
      resolvedKind[index] = FILE;
      // The count first, filled in once the targets (test files left out) are pushed after it.
      resolvedTargets.push(0);
      for (const target of known.via ?? []) if (!isTestFile(target)) resolvedTargets.push(numberOf(target));
      if (!isTestFile(known.file)) resolvedTargets.push(numberOf(known.file));
      resolvedTargets.values[at] = resolvedTargets.length - at - 1;
    } else resolvedKind[index] = known.kind === 'external' ? EXTERNAL : known.kind === 'unresolved' ? UNRESOLVED : 0;
  };
  // A string index `decode` accepts: one of the table (`string` throws on any other).
  const strings = header.strings.length;
  // Per string: 0 not looked at, 1 an import kind, 2 not one (decode throws on it).
  const isKind = new Uint8Array(strings);
  const kindAt = (index: number) => {
    if (isKind[index] === 0) isKind[index] = KINDS.has(header.strings.at(index)!) ? 1 : 2;
    return isKind[index] === 1;
  };
  const held = header.files.length;
  const start = new Int32Array(held).fill(-1);
  const end = new Int32Array(held);
  const flags = new Uint8Array(held);
  const targets = new GrowingInts(data.length);
  for (let file = 0; file < held; file++) {
    // Only a source file has a record; `isSourceFile` decides first, as reachStep asks it first.
    if (!current(header.files[file], file) || !isSourceFile(header.files[file])) continue;
    let cursor = header.offsets[file];
    if (data[cursor++] !== file) continue;
    const count = data[cursor++];
    if (!(count >= 0 && cursor + count * 5 < data.length)) continue;
    const first = targets.length;
    let fileFlags = 0;
    let decodes = true;
    for (let edge = count; edge > 0; edge--, cursor += 5) {
      const specifier = data[cursor];
      const kind = data[cursor + 1];
      if (!(specifier >= 0 && specifier < strings && kind >= 0 && kind < strings))
        throw new Error('not a string of the table');
      if (!kindAt(kind)) {
        decodes = false;
        break;
      }
      const index = data[cursor + 4];
      if (!(index >= 0 && index < resolvedAt.length)) throw new Error('not a resolution');
      targetsOf(index);
      const typeOnly = data[cursor + 2] === 1;
      if (resolvedKind[index] === UNRESOLVED) fileFlags |= IMPORT_UNRESOLVED | (typeOnly ? 0 : STEP_UNCERTAIN);
      if (typeOnly) continue;
      if (resolvedKind[index] === EXTERNAL) fileFlags |= IMPORTS_EXTERNAL;
      if (resolvedKind[index] !== FILE) continue;
      const at = resolvedAt[index];
      const resolved = resolvedTargets.values;
      for (let target = at + 1; target <= at + resolved[at]; target++) targets.push(resolved[target]);
    }
    const problemCount = data[cursor++];
    if (!decodes || !(problemCount >= 0 && cursor + problemCount <= data.length)) {
      targets.length = first;
      continue;
    }
    for (let problem = 0; problem < problemCount; problem++) {
      const index = data[cursor + problem];
      if (!(index >= 0 && index < strings)) throw new Error('not a string of the table');
    }
    if (problemCount > 0) fileFlags |= STEP_UNCERTAIN;
    start[file] = first;
    end[file] = targets.length;
    flags[file] = fileFlags;
  }
  return {
    files,
    numberOf: (path) => fileIndex.get(path) ?? others.get(path),
    start,
    end,
    targets: targets.values.subarray(0, targets.length),
    flags,
  };
}
