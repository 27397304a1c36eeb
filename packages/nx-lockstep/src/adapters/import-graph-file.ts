import { endianness } from 'node:os';
import { join } from 'node:path';
import type { ImportEdge, RememberedFile } from '../core/graph/import-graph';
import { Int32Chunks } from '../core/int32-chunks';
import type { Resolution } from '../core/resolve/resolution-context';
import { readFramed, writeFramed } from './framed-file';
import { workspaceDataDirectory } from './parse-cache';

const KINDS = new Set(['static', 'side-effect', 're-export', 're-export-all', 'dynamic', 'require', 'import-equals']);

/** Bumped when the record of a file below changes meaning. */
// The numbers are in this machine's byte order: a cache from another order is not read.
const FORMAT = `nx-lockstep-import-graph-1-${endianness()}`;

interface Header {
  format: string;
  key: string;
  files: string[];
  /** Each file's blob id when it was stored. */
  blobs: string[];
  /** Specifiers, import kinds and problems. */
  strings: string[];
  /** Each distinct resolution once, as JSON. */
  resolutions: string[];
}

/** The resolved imports of the files of the last commit stored, for the files whose blob is unchanged. */
export interface StoredImportGraph {
  get(path: string): RememberedFile | undefined;
  readonly size: number;
  /** Every file's entry (decoded now). */
  entries(): Iterable<[string, RememberedFile]>;
}

/**
 * Every file's resolved imports and problems, in one file per workspace
 * (`<workspace data>/nx-lockstep/import-graph.cache`), for the next run over the same resolution
 * context (`key`, see WorkspaceSnapshot.resolutionContext): a commit that only edits sources
 * reads it whole in one go, instead of one parse-cache entry per file. Framed as framed-file.ts
 * says: per file 32-bit integers (file, edge count, per edge specifier, kind, type-only, line,
 * resolution, then problem count, problems), then a JSON header (key, files with their blob ids,
 * strings, resolutions). Anything unreadable, foreign or of another key is not used; a file
 * whose blob differs from head's is not taken from it.
 */
export function importGraphFile(workspaceRoot: string, key: string, blobs: ReadonlyMap<string, string>) {
  const file = join(workspaceDataDirectory(workspaceRoot), 'nx-lockstep', 'import-graph.cache');
  return {
    load(): StoredImportGraph | undefined {
      try {
        const framed = readFramed(file);
        if (!framed) return undefined;
        const header = framed.header as Header;
        if (!header || header.format !== FORMAT || header.key !== key || !isHeader(header)) return undefined;
        const { data } = framed;
        const offsets = indexRecords(header, data, blobs);
        if (!offsets) return undefined;
        const resolutions: Array<Resolution | undefined> = new Array(header.resolutions.length);
        const resolution = (index: number): Resolution => {
          let known = resolutions[index];
          if (!known) {
            known = JSON.parse(header.resolutions[index]) as Resolution;
            if (!known || typeof known.kind !== 'string') throw new Error('not a resolution');
            resolutions[index] = known;
          }
          return known;
        };
        const decode = (at: number): RememberedFile => {
          const edges: ImportEdge[] = [];
          let cursor = at + 1;
          for (let edge = data[cursor++]; edge > 0; edge--, cursor += 5) {
            const kind = header.strings[data[cursor + 1]];
            if (!KINDS.has(kind)) throw new Error(`not an import kind: ${kind}`);
            edges.push({
              specifier: header.strings[data[cursor]],
              kind: kind as ImportEdge['kind'],
              typeOnly: data[cursor + 2] === 1,
              line: data[cursor + 3],
              resolution: resolution(data[cursor + 4]),
            });
          }
          const problems: string[] = [];
          for (let problem = data[cursor++]; problem > 0; problem--) problems.push(header.strings[data[cursor++]]);
          return { edges, problems };
        };
        return {
          // A record that does not decode is worked out again.
          get: (path) => {
            const at = offsets.get(path);
            try {
              return at === undefined ? undefined : decode(at);
            } catch {
              return undefined;
            }
          },
          size: offsets.size,
          *entries() {
            for (const path of offsets.keys()) {
              const known = this.get(path);
              if (known) yield [path, known];
            }
          },
        };
      } catch {
        return undefined;
      }
    },
    save(entries: Iterable<[string, RememberedFile]>): void {
      const files: string[] = [];
      const strings: string[] = [];
      const stringIndex = new Map<string, number>();
      const resolutions: string[] = [];
      const resolutionIndex = new Map<string, number>();
      const intern = (table: string[], index: Map<string, number>, value: string) => {
        let found = index.get(value);
        if (found === undefined) index.set(value, (found = table.push(value) - 1));
        return found;
      };
      try {
        writeFramed(file, (emit) => {
          const data = new Int32Chunks(emit);
          for (const [path, known] of entries) {
            if (!blobs.has(path)) continue;
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
          const header: Header = {
            format: FORMAT,
            key,
            files,
            blobs: files.map((path) => blobs.get(path)!),
            strings,
            resolutions,
          };
          return header;
        });
      } catch {
        // Not writable: the parse cache still remembers each file's imports.
      }
    },
  };
}

function isHeader(header: Header): boolean {
  const strings = (value: unknown) => Array.isArray(value) && value.every((item) => typeof item === 'string');
  return (
    strings(header.files) &&
    strings(header.blobs) &&
    header.blobs.length === header.files.length &&
    strings(header.strings) &&
    strings(header.resolutions)
  );
}

/**
 * Where each file's record starts, for the files whose blob is head's; undefined when a record
 * runs past the end or an index is out of its table (a damaged file is not used).
 */
function indexRecords(header: Header, data: Int32Array, blobs: ReadonlyMap<string, string>) {
  const offsets = new Map<string, number>();
  const inRange = (value: number, size: number) => value >= 0 && value < size;
  for (let at = 0; at < data.length;) {
    const start = at;
    if (at + 2 > data.length || !inRange(data[at], header.files.length)) return undefined;
    const edges = data[at + 1];
    at += 2;
    if (edges < 0 || at + edges * 5 + 1 > data.length) return undefined;
    for (let edge = 0; edge < edges; edge++, at += 5) {
      if (!inRange(data[at], header.strings.length) || !inRange(data[at + 1], header.strings.length)) return undefined;
      if (!inRange(data[at + 4], header.resolutions.length)) return undefined;
    }
    const problems = data[at++];
    if (problems < 0 || at + problems > data.length) return undefined;
    for (let problem = 0; problem < problems; problem++, at++)
      if (!inRange(data[at], header.strings.length)) return undefined;
    const path = header.files[data[start]];
    if (blobs.get(path) === header.blobs[data[start]]) offsets.set(path, start);
  }
  return offsets;
}
