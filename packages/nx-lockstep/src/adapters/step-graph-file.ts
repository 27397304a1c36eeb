import { endianness } from 'node:os';
import { join } from 'node:path';
import type { StepGraphStore, StoredStepGraph } from '../core/symbols';
import { readFramed, writeFramed } from './framed-file';
import { workspaceDataDirectory } from './parse-cache';

/** Bumped when the record of a step (core/symbols/symbol-reach.ts `seed`) changes meaning. */
// The numbers are in this machine's byte order: a cache from another order is not read.
const FORMAT = `nx-lockstep-step-graph-1-${endianness()}`;

interface Header {
  format: string;
  key: string;
  files: string[];
  /** Each file's blob id when the graph was stored ('' for a file the commit did not hold). */
  blobs: string[];
  names: string[];
  notes: string[];
}

/**
 * The declaration-level step graph of the last run that worked much of it out, kept in
 * `<workspace data>/nx-lockstep/step-graph.cache` for the next run over the same resolution
 * context (`key`: the engine build, the file list, tsconfigs, manifests; see
 * WorkspaceSnapshot.resolutionContext), framed as framed-file.ts says: the steps as 32-bit
 * integers, then a JSON header (key, files with their blob ids, names, notes). Anything
 * unreadable, foreign or of another key is not used; a file whose blob differs from head's has
 * its steps worked out again.
 */
export function stepGraphFile(workspaceRoot: string, key: string, blobs: ReadonlyMap<string, string>): StepGraphStore {
  const file = join(workspaceDataDirectory(workspaceRoot), 'nx-lockstep', 'step-graph.cache');
  return {
    load() {
      try {
        const framed = readFramed(file);
        if (!framed) return undefined;
        const header = framed.header as Header;
        if (!header || header.format !== FORMAT || header.key !== key || !isHeader(header)) return undefined;
        const { data } = framed;
        const graph: StoredStepGraph = { files: header.files, names: header.names, notes: header.notes, data };
        if (!wellFormed(graph)) return undefined;
        const storedBlob = new Map(header.files.map((path, index) => [path, header.blobs[index]] as const));
        return { graph, changed: (path) => (blobs.get(path) ?? '') !== storedBlob.get(path) };
      } catch {
        return undefined;
      }
    },
    save(write) {
      try {
        writeFramed(file, (emit) => {
          const tables = write(emit);
          const header: Header = {
            format: FORMAT,
            key,
            files: tables.files,
            blobs: tables.files.map((path) => blobs.get(path) ?? ''),
            names: tables.names,
            notes: tables.notes,
          };
          return header;
        });
      } catch {
        // Not writable: the next run works the graph out again.
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
    strings(header.names) &&
    strings(header.notes)
  );
}

/**
 * Every record within the data and every index within its table: a damaged file is not used
 * (a wrong index would make a step that does not exist, never a missed one, but an unreadable
 * graph is simply worked out again).
 */
function wellFormed({ files, names, notes, data }: StoredStepGraph): boolean {
  let steps = 0;
  const nexts: number[] = [];
  const inRange = (value: number, size: number, optional = false) =>
    (optional && value === -1) || (value >= 0 && value < size);
  for (let at = 0; at < data.length; steps++) {
    if (at + 5 > data.length) return false;
    const [kind, file, name, member, hasEffects] = data.subarray(at, at + 5);
    if (kind < 0 || kind > 3 || !inRange(file, files.length) || hasEffects < 0 || hasEffects > 1) return false;
    if (!inRange(name, names.length, kind < 2) || !inRange(member, names.length, true)) return false;
    at += 5;
    if (hasEffects === 0) continue;
    if (
      at + 3 > data.length ||
      !inRange(data[at + 1], names.length, true) ||
      !inRange(data[at + 2], names.length, true)
    )
      return false;
    at += 3;
    const tables = [undefined, names.length, notes.length, files.length, files.length];
    for (let list = 0; list < 5; list++) {
      const width = list === 1 ? 2 : 1;
      if (at >= data.length) return false;
      const count = data[at];
      if (count < 0 || at + 1 + count * width > data.length) return false;
      for (let item = 0; item < count; item++) {
        const value = data[at + 1 + item * width];
        if (list === 0) nexts.push(value);
        else if (!inRange(value, tables[list]!)) return false;
        if (list === 1 && !inRange(data[at + 2 + item * width], files.length)) return false;
      }
      at += 1 + count * width;
    }
  }
  return nexts.every((next) => inRange(next, steps));
}
