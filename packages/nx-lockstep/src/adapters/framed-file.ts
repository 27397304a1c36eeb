import { closeSync, mkdirSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { dirname, join } from 'node:path';
import { workspaceDataDirectory } from './parse-cache';

/**
 * A file of the workspace data that holds a list of 32-bit integers and a JSON header (the stored
 * import and step graphs): the integers' count (4 bytes), the integers in this machine's byte
 * order, then the header. The integers are written as they are made, a chunk at a time, and the
 * header after them (it holds the tables the integers index into), so a graph of tens of MB is
 * never held whole in memory. Written to a temporary file renamed over the old one: a reader
 * never sees half of it.
 */
function writeFramed(file: string, write: (emit: (chunk: Int32Array) => void) => unknown): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    let position = 4;
    const put = (bytes: Uint8Array) => {
      for (let written = 0; written < bytes.length;)
        written += writeSync(fd, bytes, written, bytes.length - written, position + written);
      position += bytes.length;
    };
    let count = 0;
    const header = write((chunk) => {
      count += chunk.length;
      put(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    });
    put(Buffer.from(JSON.stringify(header), 'utf8'));
    const length = Buffer.alloc(4);
    length.writeUInt32LE(count, 0);
    writeSync(fd, length, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}

/** The integers and header of a framed file; undefined when it is missing or not framed. */
export function readFramed(file: string): { header: unknown; data: Int32Array } | undefined {
  try {
    const bytes = readFileSync(file);
    const count = bytes.readUInt32LE(0);
    const end = 4 + count * 4;
    if (end > bytes.length) return undefined;
    const header: unknown = JSON.parse(bytes.toString('utf8', end));
    // An aligned view when the buffer allows it, else a copy.
    const data =
      (bytes.byteOffset + 4) % 4 === 0
        ? new Int32Array(bytes.buffer, bytes.byteOffset + 4, count)
        : new Int32Array(bytes.buffer.slice(bytes.byteOffset + 4, bytes.byteOffset + end));
    return { header, data };
  } catch {
    return undefined;
  }
}

/** What a graph kept per resolution context starts its header with. */
export interface ContextHeader {
  /** The format, with this machine's byte order: a cache from another order is not read. */
  format: string;
  /** The resolution context (WorkspaceSnapshot.resolutionContext): the engine build, files, configs. */
  key: string;
  /** What the graph depends on besides resolution: the engine build and `verbatimModuleSyntax`. */
  configKey: string;
  files: string[];
  /** Each file's blob id when it was stored ('' for a path the commit did not hold). */
  blobs: string[];
}

/**
 * A framed file of the workspace data (`<workspace data>/nx-lockstep/<name>`) that holds a graph
 * of one commit under its resolution context, with the blob id of each of its files: `read` gives
 * it for the same format and the same context key, or the same `configKey` (another context:
 * `sameKey` false, the caller must check each file's resolutions again), and a header `isValid`
 * accepts; `write` stores one (the tables `write` returns become the header, with the blob ids);
 * a workspace whose data folder cannot be written just works the graph out again next time.
 */
export function contextFile(
  workspaceRoot: string,
  name: string,
  format: string,
  context: { key: string; configKey: string },
  blobs: ReadonlyMap<string, string>,
) {
  const file = join(workspaceDataDirectory(workspaceRoot), 'nx-lockstep', name);
  const stamped = `${format}-${endianness()}`;
  return {
    read<T extends object>(isValid: (header: ContextHeader & T) => boolean) {
      const framed = readFramedOnce(file);
      const header = framed?.header as (ContextHeader & T) | undefined;
      if (!framed || !header || header.format !== stamped) return undefined;
      if (header.key !== context.key && header.configKey !== context.configKey) return undefined;
      if (!isStrings(header.files) || !isStrings(header.blobs) || header.blobs.length !== header.files.length)
        return undefined;
      return isValid(header) ? { header, data: framed.data, sameKey: header.key === context.key } : undefined;
    },
    write<T extends { files: string[] }>(write: (emit: (chunk: Int32Array) => void) => T): void {
      try {
        writeFramed(file, (emit) => {
          const tables = write(emit);
          return {
            format: stamped,
            key: context.key,
            configKey: context.configKey,
            ...tables,
            blobs: tables.files.map((path) => blobs.get(path) ?? ''),
          };
        });
      } catch {
        // Not writable: the next run works it out again.
      }
    },
  };
}

const framedReads = new Map<string, { stamp: string; framed: ReturnType<typeof readFramed> }>();

/**
 * A framed file read once per process while it stays the same (size and modification time):
 * `lockstep history` makes a snapshot per commit, and each asks for the stored import graph.
 */
function readFramedOnce(file: string): ReturnType<typeof readFramed> {
  let stamp: string;
  try {
    const stats = statSync(file);
    stamp = `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
  } catch {
    return undefined;
  }
  const known = framedReads.get(file);
  if (known?.stamp === stamp) return known.framed;
  const framed = readFramed(file);
  framedReads.set(file, { stamp, framed });
  return framed;
}

export function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
