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
