import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import { isAscii } from 'node:buffer';
import { endianness } from 'node:os';
import { dirname, join } from 'node:path';
import { workspaceDataDirectory } from './parse-cache';

/**
 * A file of the workspace data that holds a list of 32-bit integers, a JSON header and lists of
 * strings (the stored import and step graphs): the integers' count and the header's length (4
 * bytes each), the integers in this machine's byte order, the header, then each list as one text
 * (see `packList`). The integers are written as they are made, a chunk at a time, and the header
 * and lists after them (they hold the tables the integers index into), so a graph of tens of MB
 * is never held whole in memory. Lists are kept out of the JSON: at 50,000 files the two graphs
 * hold ~400,000 paths, ids and names, and parsing them as JSON arrays (a string object each) cost
 * a run ~0.1 s and its collector more; a list is one string, split as it is read. Written to a
 * temporary file renamed over the old one: a reader never sees half of it.
 */
function writeFramed(file: string, write: (emit: (chunk: Int32Array) => void) => FramedTables): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  let open = true;
  try {
    let position = PREFIX;
    const put = (bytes: Uint8Array) => {
      for (let written = 0; written < bytes.length;)
        written += writeSync(fd, bytes, written, bytes.length - written, position + written);
      position += bytes.length;
    };
    let count = 0;
    const { header, lists } = write((chunk) => {
      count += chunk.length;
      put(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    });
    const texts = Object.entries(lists).map(
      ([name, list]) => [name, list.length, Buffer.from(packList(list), 'utf8')] as const,
    );
    const json = Buffer.from(
      JSON.stringify({ ...header, lists: texts.map(([name, length, bytes]) => [name, length, bytes.length]) }),
      'utf8',
    );
    put(json);
    for (const [, , bytes] of texts) put(bytes);
    const prefix = Buffer.alloc(PREFIX);
    prefix.writeUInt32LE(count, 0);
    prefix.writeUInt32LE(json.length, 4);
    writeSync(fd, prefix, 0, PREFIX, 0);
    open = false;
    closeSync(fd);
    renameSync(temporary, file);
  } catch (error) {
    // A full disk, a folder where the file goes: no temporary file is left behind.
    if (open) closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** The integers' count and the header's length. */
const PREFIX = 8;

/** What a framed file holds besides its integers: a JSON header and lists of strings. */
export interface FramedTables {
  header: object;
  lists: Record<string, readonly string[]>;
}

/** What is read of a framed file besides its integers. */
interface ReadTables {
  header: unknown;
  lists: Map<string, StringList>;
}

/** A list of strings read back from a framed file (`at` as an array's). */
export interface StringList {
  readonly length: number;
  at(index: number): string | undefined;
  /** Whether entry `index` is `value`, without making a string of it. */
  equals(index: number, value: string): boolean;
  all(): string[];
}

/**
 * A list as one text: each entry followed by a newline, with a backslash or newline inside an
 * entry escaped (`\\`, `\n`; paths and export names may hold either).
 */
export function packList(list: readonly string[]): string {
  const parts: string[] = [];
  for (const entry of list)
    parts.push(/[\\\n]/.test(entry) ? entry.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') : entry, '\n');
  return parts.join('');
}

/** A packed list (`packList`) of `count` entries; undefined when the text does not hold exactly that many. */
export function unpackList(text: string, count: number): StringList | undefined {
  const starts = new Int32Array(count + 1);
  let at = 0;
  for (let index = 0; index < count; index++) {
    const end = text.indexOf('\n', at);
    if (end < 0) return undefined;
    starts[index] = at;
    at = end + 1;
  }
  if (at !== text.length) return undefined;
  starts[count] = at;
  const escaped = text.includes('\\');
  const made: Array<string | undefined> = new Array(count);
  const entryAt = (index: number): string | undefined => {
    if (!(index >= 0 && index < count)) return undefined;
    let entry = made[index];
    if (entry === undefined) {
      entry = text.slice(starts[index], starts[index + 1] - 1);
      if (escaped && entry.includes('\\'))
        entry = entry.replace(/\\(.)/g, (_, next: string) => (next === 'n' ? '\n' : next));
      made[index] = entry;
    }
    return entry;
  };
  return {
    length: count,
    at: entryAt,
    equals(index, value) {
      if (escaped) return entryAt(index) === value;
      return (
        index >= 0 &&
        index < count &&
        starts[index + 1] - 1 - starts[index] === value.length &&
        text.startsWith(value, starts[index])
      );
    },
    all: () => Array.from({ length: count }, (_, index) => entryAt(index)!),
  };
}

/**
 * The header and lists of a framed file from the bytes after its integers; undefined when they
 * do not read (the header's `lists` must name texts that fill the rest exactly).
 */
function readTables(bytes: Buffer, headerLength: number): ReadTables | undefined {
  if (headerLength > bytes.length) return undefined;
  const header = JSON.parse(bytes.toString('utf8', 0, headerLength)) as { lists?: unknown } | null;
  if (!header || typeof header !== 'object' || !Array.isArray(header.lists)) return undefined;
  const lists = new Map<string, StringList>();
  let at = headerLength;
  for (const entry of header.lists as unknown[]) {
    if (!Array.isArray(entry) || entry.length !== 3) return undefined;
    const [name, count, length] = entry as [unknown, unknown, unknown];
    if (typeof name !== 'string' || !Number.isInteger(count) || !Number.isInteger(length)) return undefined;
    if ((count as number) < 0 || (length as number) < 0 || at + (length as number) > bytes.length) return undefined;
    const text = bytes.subarray(at, at + (length as number));
    const list = unpackList(text.toString(isAscii(text) ? 'latin1' : 'utf8'), count as number);
    if (!list) return undefined;
    lists.set(name, list);
    at += length as number;
  }
  return at === bytes.length ? { header, lists } : undefined;
}

/** The integers, header and lists of a framed file; undefined when it is missing or not framed. */
export function readFramed(file: string): ({ data: Int32Array } & ReadTables) | undefined {
  try {
    const bytes = readFileSync(file);
    if (bytes.length < PREFIX) return undefined;
    const count = bytes.readUInt32LE(0);
    const end = PREFIX + count * 4;
    if (end > bytes.length) return undefined;
    const tables = readTables(bytes.subarray(end), bytes.readUInt32LE(4));
    if (!tables) return undefined;
    // An aligned view when the buffer allows it, else a copy.
    const data =
      (bytes.byteOffset + PREFIX) % 4 === 0
        ? new Int32Array(bytes.buffer, bytes.byteOffset + PREFIX, count)
        : new Int32Array(bytes.buffer.slice(bytes.byteOffset + PREFIX, bytes.byteOffset + end));
    return { ...tables, data };
  } catch {
    return undefined;
  }
}

/**
 * A framed file read on demand: the header and lists now, the integers a block at a time as `load` asks for
 * them. `data` is allocated whole but only the blocks read are ever touched (its memory is mapped
 * in as it is written): at 50,000 files the stored step graph holds 27 MB of integers, and reading
 * and touching all of it cost a new commit's run ~0.3 s when its walks met less than a tenth of it.
 * The file stays open until everything is read or the read is dropped (then a finalizer closes
 * it), so a file renamed over it meanwhile changes nothing of what this read gives.
 */
export interface LazyFramed extends ReadTables {
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
    const prefix = Buffer.alloc(PREFIX);
    if (size < PREFIX || !readFully(fd, prefix, 0)) return closed(fd);
    const count = prefix.readUInt32LE(0);
    const end = PREFIX + count * 4;
    if (end > size) return closed(fd);
    const rest = Buffer.alloc(size - end);
    if (!readFully(fd, rest, end)) return closed(fd);
    const tables = readTables(rest, prefix.readUInt32LE(4));
    if (!tables) return closed(fd);
    const data = new Int32Array(count);
    const loaded = new Uint8Array(Math.ceil(count / BLOCK));
    let missing = loaded.length;
    const open = fd;
    const close = () => {
      closeSync(open);
      unclosed.unregister(lazy);
    };
    const lazy: LazyFramed = {
      ...tables,
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
            if (!readFully(open, bytes, PREFIX + start * 4)) return false;
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
}

/** A graph read back: its header and lists, its files and their blob ids when it was stored. */
export interface ContextRead<H, L extends string> {
  header: H & ContextHeader;
  lists: Record<L, StringList>;
  files: string[];
  /** Each file's blob id when it was stored ('' for a path the commit did not hold). */
  blobs: StringList;
  data: Int32Array;
  /** When the integers are read on demand (see readFramedLazily). */
  load?: (from: number, to: number) => boolean;
  sameKey: boolean;
}

/**
 * A framed file of the workspace data (`<workspace data>/nx-lockstep/<name>`) that holds a graph
 * of one commit under its resolution context, with the blob id of each of its files: `read` gives
 * it for the same format and the same context key, or the same `configKey` (another context:
 * `sameKey` false, the caller must check each file's resolutions again), with the lists it names
 * and a header `isValid` accepts; `write` stores one (the header and lists `write` returns, with
 * the blob ids of its `files`); a workspace whose data folder cannot be written just works the
 * graph out again next time.
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
    read<H extends object, L extends string>(
      listNames: readonly L[],
      isValid: (header: H & ContextHeader, lists: Record<L, StringList>) => boolean,
      lazily = false,
    ): ContextRead<H, L> | undefined {
      const framed = readFramedOnce(file, lazily);
      const header = framed?.header as (H & ContextHeader) | undefined;
      if (!framed || !header || header.format !== stamped) return undefined;
      if (header.key !== context.key && header.configKey !== context.configKey) return undefined;
      const files = framed.lists.get('files');
      const storedBlobs = framed.lists.get('blobs');
      if (!files || !storedBlobs || storedBlobs.length !== files.length) return undefined;
      const lists = {} as Record<L, StringList>;
      for (const listName of listNames) {
        const list = framed.lists.get(listName);
        if (!list) return undefined;
        lists[listName] = list;
      }
      if (!isValid(header, lists)) return undefined;
      return {
        header,
        lists,
        files: files.all(),
        blobs: storedBlobs,
        data: framed.data,
        load: 'load' in framed ? (framed as LazyFramed).load : undefined,
        sameKey: header.key === context.key,
      };
    },
    /** What was read of the file is not used again by this process (it turned out damaged). */
    forget(): void {
      forgetFramed(file);
    },
    write(
      write: (emit: (chunk: Int32Array) => void) => {
        header: object;
        lists: Record<string, readonly string[]> & { files: readonly string[] };
      },
    ): void {
      try {
        writeFramed(file, (emit) => {
          const { header, lists } = write(emit);
          return {
            header: { format: stamped, key: context.key, configKey: context.configKey, ...header },
            lists: { ...lists, blobs: lists.files.map((path) => blobs.get(path) ?? '') },
          };
        });
      } catch {
        // Not writable: the next run works it out again.
      }
    },
  };
}

type Framed = ({ data: Int32Array } & ReadTables) | LazyFramed;

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
function readFramedOnce(file: string, lazily: boolean): Framed | undefined {
  const stamp = stampOf(file);
  if (stamp === undefined) return undefined;
  const key = `${lazily ? 'lazily' : 'whole'}\0${file}`;
  const known = framedReads.get(key);
  if (known?.stamp === stamp) return known.framed;
  const framed = lazily ? readFramedLazily(file) : readFramed(file);
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
