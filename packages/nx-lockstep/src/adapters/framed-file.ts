import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
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

/**
 * A framed file read on demand: the header now, the integers a block at a time as `load` asks for
 * them. `data` is allocated whole but only the blocks read are ever touched (its memory is mapped
 * in as it is written): at 50,000 files the stored step graph holds 27 MB of integers, and reading
 * and touching all of it cost a new commit's run ~0.3 s when its walks met less than a tenth of it.
 * The file stays open until everything is read or the process ends, so a file renamed over it
 * meanwhile changes nothing of what this read gives.
 */
export interface LazyFramed {
  header: unknown;
  data: Int32Array;
  /** Makes data[from … to) readable; false when the file no longer holds it (cut short since). */
  load(from: number, to: number): boolean;
}

/** Integers per block read by `LazyFramed.load` (64 KB). */
const BLOCK = 16_384;

export function readFramedLazily(file: string): LazyFramed | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const head = Buffer.alloc(4);
    if (size < 4 || readSync(fd, head, 0, 4, 0) !== 4) return closed(fd);
    const count = head.readUInt32LE(0);
    const end = 4 + count * 4;
    if (end > size) return closed(fd);
    const headerBytes = Buffer.alloc(size - end);
    if (!readFully(fd, headerBytes, end)) return closed(fd);
    const header: unknown = JSON.parse(headerBytes.toString('utf8'));
    const data = new Int32Array(count);
    const loaded = new Uint8Array(Math.ceil(count / BLOCK));
    let missing = loaded.length;
    const open = fd;
    const close = () => {
      closeSync(open);
      unclosed.unregister(lazy);
    };
    const lazy: LazyFramed = {
      header,
      data,
      load(from, to) {
        if (from >= to) return true;
        if (from < 0 || to > count) return false;
        const last = Math.floor((to - 1) / BLOCK);
        for (let block = Math.floor(from / BLOCK); block <= last; block++) {
          if (loaded[block]) continue;
          // One read for a run of blocks not read yet.
          let until = block;
          while (until < last && !loaded[until + 1]) until++;
          const start = block * BLOCK;
          const stop = Math.min((until + 1) * BLOCK, count);
          const bytes = new Uint8Array(data.buffer, data.byteOffset + start * 4, (stop - start) * 4);
          try {
            if (!readFully(open, bytes, 4 + start * 4)) return false;
          } catch {
            return false;
          }
          loaded.fill(1, block, until + 1);
          missing -= until + 1 - block;
          if (missing === 0) close();
          block = until;
        }
        return true;
      },
    };
    unclosed.register(lazy, open, lazy);
    if (missing === 0) close();
    return lazy;
  } catch {
    return fd === undefined ? undefined : closed(fd);
  }
}

/**
 * Closes the file of a lazy read that is dropped before it was read whole (`lockstep history`
 * reads a new graph per commit: their files are not all kept open).
 */
const unclosed = new FinalizationRegistry<number>((fd) => closed(fd));

function closed(fd: number): undefined {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
  return undefined;
}

/** Fills `bytes` from `position` on; false when the file ends first. */
function readFully(fd: number, bytes: Uint8Array, position: number): boolean {
  for (let done = 0; done < bytes.length;) {
    const read = readSync(fd, bytes, done, bytes.length - done, position + done);
    if (read === 0) return false;
    done += read;
  }
  return true;
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
    /**
     * `lazily`: the integers are read as `load` asks for them (readFramedLazily), else all at once
     * (no `load`).
     */
    read<T extends object>(isValid: (header: ContextHeader & T) => boolean, lazily = false) {
      const framed = lazily ? readFramedOnce(file, readFramedLazily) : readFramedOnce(file, readFramed);
      const header = framed?.header as (ContextHeader & T) | undefined;
      if (!framed || !header || header.format !== stamped) return undefined;
      if (header.key !== context.key && header.configKey !== context.configKey) return undefined;
      if (!isStrings(header.files) || !isStrings(header.blobs) || header.blobs.length !== header.files.length)
        return undefined;
      if (!isValid(header)) return undefined;
      return {
        header,
        data: framed.data,
        load: 'load' in framed ? (framed as LazyFramed).load : undefined,
        sameKey: header.key === context.key,
      };
    },
    /** What was read of the file is not used again by this process (it turned out damaged). */
    forget(): void {
      forgetFramed(file);
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

type Framed = { header: unknown; data: Int32Array } | LazyFramed;

const framedReads = new Map<string, { stamp: string; framed: Framed | undefined }>();

/** The size, modification time and inode of a file: what says it is still the one read. */
function stampOf(file: string): string | undefined {
  try {
    const stats = statSync(file);
    return `${stats.size}:${stats.mtimeMs}:${stats.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * A framed file read once per process while it stays the same: `lockstep history` makes a
 * snapshot per commit, and each asks for the stored import graph. One forgotten (damaged) gives
 * nothing while it stays the same.
 */
function readFramedOnce<F extends Framed>(file: string, read: (file: string) => F | undefined): F | undefined {
  const stamp = stampOf(file);
  if (stamp === undefined) return undefined;
  const key = `${read === readFramedLazily ? 'lazily' : 'whole'}\0${file}`;
  const known = framedReads.get(key);
  if (known?.stamp === stamp) return known.framed as F | undefined;
  const framed = read(file);
  framedReads.set(key, { stamp, framed });
  return framed;
}

/** Makes `readFramedOnce` give nothing for the file while it stays as it is now. */
function forgetFramed(file: string): void {
  const stamp = stampOf(file);
  if (stamp === undefined) return;
  for (const mode of ['lazily', 'whole']) framedReads.set(`${mode}\0${file}`, { stamp, framed: undefined });
}

export function isStrings(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}
