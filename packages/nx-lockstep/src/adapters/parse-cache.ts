import { createHash } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { workspaceDataDirectory } from './workspace-data';
import { EXTRACTOR_VERSION } from '../core/extract/summarize-module';
import type { ModuleSummary } from '../core/module-summary';

const FORMAT = 'nx-lockstep-parse-cache-2';
/** The parser's version (ts-morph pins its TypeScript): read without loading the parser itself. */
export const PARSER_VERSION = `ts-morph@${(require('ts-morph/package.json') as { version: string }).version}`;

const NEWLINE = 10;
/** Entries a cache file may hold before a save rewrites it instead of appending (or 3× what a run uses). */
const APPEND_LIMIT = 20_000;
const TAB = 9;

/**
 * ModuleSummaries (and other per-content results, such as a file's emitted JavaScript) keyed by
 * content hash (a git blob id, or Nx's file hash), stored in the workspace data directory. The file is a header line (format, extractor and TypeScript
 * versions) and one line per entry: `key<TAB>checksum<TAB>summary JSON`. It is scanned once in
 * chunks to index the keys, and an entry is read back from the file and decoded only when asked
 * for: a run holds only the summaries it uses, never the file (a 50,000-file workspace's cache is
 * about 100 MB). Anything that does not match exactly —
 * another version, a foreign file, an entry whose checksum or shape is wrong — is not trusted.
 */
export class ParseCache {
  private readonly used = new Map<string, unknown>();
  /** Keys computed in this run (not in the file): what `save` appends. */
  private readonly fresh = new Set<string>();
  hits = 0;
  misses = 0;

  private constructor(
    private readonly file: string,
    private readonly stored: StoredEntries,
  ) {}

  static load(workspaceRoot: string, name: string): ParseCache {
    const file = join(workspaceDataDirectory(workspaceRoot), 'nx-lockstep', `${name}.cache`);
    return new ParseCache(file, readStored(file));
  }

  /** The cached summary, or a new one from `parse()` (which is called only on a miss). */
  summary(key: string, parse: () => ModuleSummary): ModuleSummary {
    return this.value(key, parse, isModuleSummary);
  }

  /**
   * Any JSON value remembered under `key` (a content hash plus whatever else decides it), or a
   * new one from `compute()` on a miss. A stored value that `isValid` rejects is computed again.
   */
  value<T>(key: string, compute: () => T, isValid: (value: unknown) => value is T): T {
    if (this.used.has(key)) return this.used.get(key) as T;
    const stored = this.decode(key, isValid);
    if (stored.found) {
      this.hits++;
      this.used.set(key, stored.value);
      return stored.value;
    }
    this.misses++;
    const value = compute();
    this.used.set(key, value);
    this.fresh.add(key);
    return value;
  }

  /** The remembered value of `key` when there is a valid one; nothing is computed on a miss. */
  peek<T>(key: string, isValid: (value: unknown) => value is T): T | undefined {
    if (this.used.has(key)) return this.used.get(key) as T;
    const stored = this.decode(key, isValid);
    if (!stored.found) return undefined;
    this.hits++;
    this.used.set(key, stored.value);
    return stored.value;
  }

  /** Remembers `value` under `key` (written by the next `save`). */
  put(key: string, value: unknown): void {
    if (this.used.has(key)) return;
    this.used.set(key, value);
    this.fresh.add(key);
  }

  /**
   * Entries this run relied on without reading them from here (a file's resolved imports taken
   * from the stored import graph): they count as used when deciding whether to rewrite the file,
   * so a run that reads little from here does not drop what the next resolution context needs.
   */
  relyOn(count: number): void {
    this.reliedOn += count;
  }

  private reliedOn = 0;

  /** Whether an entry is remembered (by its key's hash: a line is checked only when it is read). */
  has(key: string): boolean {
    return this.used.has(key) || this.stored.has(key);
  }

  /**
   * Appends what this run computed to the file: a warm run writes a few lines, not the whole
   * cache again. When the file holds many more entries than a run uses (old versions of files,
   * other branches), or is not this format, it is rewritten instead: what this run used plus the
   * most recent other entries, bounded, so it never grows without end. Lines from two runs
   * appending at once stay whole lines (one O_APPEND write each); a damaged one fails its
   * checksum and is computed again.
   */
  save(): void {
    // Nothing new computed: the file on disk already holds everything this run needed; its index
    // is written when the file had none (or one far behind it), for the next run.
    if (this.fresh.size === 0) {
      if (this.stored.valid && this.stored.generation !== undefined && this.stored.scanned.size > INDEX_LAG)
        writeIndex(
          this.file,
          this.stored.generation,
          this.stored.size,
          scannedEntries(this.stored),
          this.stored.indexed,
        );
      return;
    }
    const line = (key: string) => {
      const json = JSON.stringify(this.used.get(key));
      return `${key}\t${checksum(json)}\t${json}\n`;
    };
    try {
      mkdirSync(join(this.file, '..'), { recursive: true });
      const appendable = this.stored.valid && this.stored.endsWithNewline;
      const used = this.used.size + this.reliedOn;
      if (appendable && this.stored.count + this.fresh.size <= Math.max(3 * used, APPEND_LIMIT)) {
        const appended = [...this.fresh].map((key) => [key, Buffer.from(line(key))] as const);
        const before = sizeOf(this.file);
        writeLines(
          this.file,
          'a',
          appended.map(([, bytes]) => bytes),
        );
        // The index covers the lines appended here only when nobody appended in between (else
        // the next run finds the rest past its end). It is written again only once the lines past
        // its end are many: until then the next run scans them (a few KB per commit), which costs
        // less than writing the whole index (1.8 MB at 50,150 files) on every run.
        let at = before;
        const added = appended.map(([key, bytes]) => {
          const entry: IndexEntry = [hashKey(key), at, at + bytes.length - 1];
          at += bytes.length;
          return entry;
        });
        const behind = this.stored.scanned.size + added.length > INDEX_LAG || at - this.stored.indexedSize > INDEX_TAIL;
        if (
          this.stored.generation !== undefined &&
          before === this.stored.size &&
          (this.stored.indexedSize === 0 || behind)
        ) {
          writeIndex(
            this.file,
            this.stored.generation,
            at,
            [...scannedEntries(this.stored), ...added],
            this.stored.indexed,
          );
        }
        return;
      }
      const temporary = `${this.file}.${process.pid}.tmp`;
      const generation = newGeneration();
      const written: IndexEntry[] = [];
      const size = writeLines(temporary, 'w', this.rewrittenLines(line, generation), (bytes, at) => {
        const tab = bytes.indexOf(TAB);
        if (tab > 0 && at > 0) written.push([hashKey(bytes.toString('utf8', 0, tab)), at, at + bytes.length - 1]);
      });
      renameSync(temporary, this.file);
      writeIndex(this.file, generation, size, written);
    } catch {
      // A read-only workspace still analyses, just without a warm cache next time.
    }
  }

  /** A whole new file: the header, every entry this run used, then the most recent earlier entries up to as many again. */
  private *rewrittenLines(line: (key: string) => string, generation: number): Generator<string | Buffer> {
    yield `${JSON.stringify({ format: FORMAT, extractor: EXTRACTOR_VERSION, typescript: PARSER_VERSION, generation })}\n`;
    // Entries read from the file are copied as they are, not serialised again.
    for (const key of this.used.keys()) yield (!this.fresh.has(key) && this.storedLine(key)) || line(key);
    let kept = this.used.size;
    const limit = (this.used.size + this.reliedOn) * 2 + 1000;
    const copied = new Set<string>();
    for (const [, start, end] of this.stored.newestFirst()) {
      if (kept >= limit) break;
      // An entry cut short (no newline) is not copied: it would run into the next one.
      const bytes = end < this.stored.size ? this.stored.read(start, end + 1) : undefined;
      const tab = bytes ? bytes.indexOf(TAB) : -1;
      if (!bytes || tab <= 0) continue;
      const key = bytes.toString('utf8', 0, tab);
      if (this.used.has(key) || copied.has(key)) continue;
      copied.add(key);
      // A copy: the line is written out after later reads, which reuse the block's memory.
      yield Buffer.from(bytes);
      kept++;
    }
  }

  /** A stored entry's whole line as it is on disk (a copy), when its key is `key`. */
  private storedLine(key: string): Buffer | undefined {
    const bytes = this.storedBytes(key, true);
    return bytes && Buffer.from(bytes);
  }

  /**
   * The newest stored line of `key` (an index finds lines by the key's hash: the key is checked),
   * with its newline when `whole` (then a line cut short, at the end of the file, is not one).
   * Valid until the next read.
   */
  private storedBytes(key: string, whole: boolean): Buffer | undefined {
    for (const [start, end] of this.stored.candidates(key)) {
      if (whole && end >= this.stored.size) continue;
      const bytes = this.stored.read(start, whole ? end + 1 : end);
      if (bytes && isLineOf(bytes, key)) return bytes;
    }
    return undefined;
  }

  /** The stored entry of `key`, decoded, if its checksum and shape are right. */
  private decode<T>(
    key: string,
    isValid: (value: unknown) => value is T,
  ): { found: true; value: T } | { found: false } {
    const none = { found: false } as const;
    const bytes = this.storedBytes(key, false);
    if (!bytes) return none;
    const line = bytes.toString('utf8');
    const first = line.indexOf('\t');
    const second = line.indexOf('\t', first + 1);
    const json = line.slice(second + 1);
    if (second < 0 || line.slice(first + 1, second) !== checksum(json)) return none;
    try {
      const value = JSON.parse(json) as unknown;
      return isValid(value) ? { found: true, value } : none;
    } catch {
      return none;
    }
  }
}

/** An entry of the index: its key's hash (cyrb53), where its line starts, where it ends (the newline). */
type IndexEntry = [hash: number, start: number, end: number];

/** Where each entry's line is in the cache file, and how to read it back. */
interface StoredEntries {
  /** The file is this format and version: new entries may be appended to it. */
  valid: boolean;
  /** The file's size when it was indexed, and whether it ended with a whole line. */
  size: number;
  endsWithNewline: boolean;
  /** How much of the file its index covers (0: no index); the lines past it are scanned. */
  indexedSize: number;
  /** The header's generation: a rewrite makes a new one, appends keep it (so does the index). */
  generation?: number;
  /** Lines found by scanning the file (past the end of its index, or all of it): key → range. */
  scanned: Map<string, [start: number, end: number]>;
  /** The index file's entries (hash, start, end), by hash, newest first within one hash. */
  indexed: Float64Array;
  /** Entries, roughly (a key may be both indexed and scanned). */
  count: number;
  has(key: string): boolean;
  /** The ranges whose line may be `key`'s, newest first (an indexed one is found by hash: check its key). */
  candidates(key: string): Array<[start: number, end: number]>;
  /** Every entry, newest first. */
  newestFirst(): IndexEntry[];
  /**
   * The bytes [start, end) of the file as indexed; undefined when they cannot be read. Valid only
   * until the next read (blocks are read into reused memory): copy what is kept.
   */
  read(start: number, end: number): Buffer | undefined;
}

const CHUNK = 1 << 22;
/** Entries past an index's end (or without one) that make a run write the index again. */
const INDEX_LAG = 1000;
/** Bytes of appended lines past an index's end that make an appending run write it again. */
const INDEX_TAIL = 256 * 1024;

function readStored(file: string): StoredEntries {
  const none: StoredEntries = {
    valid: false,
    size: 0,
    endsWithNewline: false,
    indexedSize: 0,
    scanned: new Map(),
    indexed: new Float64Array(0),
    count: 0,
    has: () => false,
    candidates: () => [],
    newestFirst: () => [],
    read: () => undefined,
  };
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const head = Buffer.allocUnsafe(Math.min(size, 1 << 16));
    const headLength = readFully(fd, head, head.length, 0);
    const newline = head.subarray(0, headLength).indexOf(NEWLINE);
    const header = JSON.parse(head.toString('utf8', 0, newline < 0 ? headLength : newline)) as Record<string, unknown>;
    if (header.format !== FORMAT || header.extractor !== EXTRACTOR_VERSION || header.typescript !== PARSER_VERSION)
      throw new Error('another format');
    const generation = typeof header.generation === 'number' ? header.generation : undefined;
    // The index, when it is of this very file (its generation) and not past its end; the lines
    // after what it covers (appended since) are scanned.
    const indexed = generation === undefined ? undefined : readIndex(file, generation, size);
    const from = indexed ? indexed.size : newline < 0 ? size : newline + 1;
    const scanned = new Map<string, [number, number]>();
    let lastByte = size > 0 && from >= size ? lastByteOf(fd, size) : -1;
    if (from < size) lastByte = scanLines(fd, from, size, scanned);
    const entries = indexed?.entries ?? new Float64Array(0);
    const handle = { fd: fd as number | undefined };
    const blocks = new Map<number, Buffer>();
    fd = undefined;
    // The file stays open while the cache is in use (entries are read back on demand), and is
    // closed when the cache is collected.
    const stored: StoredEntries = {
      valid: true,
      size,
      endsWithNewline: lastByte === NEWLINE,
      indexedSize: indexed ? indexed.size : 0,
      generation,
      scanned,
      indexed: entries,
      count: scanned.size + entries.length / 3,
      has: (key) => scanned.has(key) || (entries.length > 0 && firstOfHash(entries, hashKey(key)) >= 0),
      candidates: (key) => {
        const found: Array<[number, number]> = [];
        const latest = scanned.get(key);
        if (latest) found.push(latest);
        if (entries.length === 0) return found;
        const hash = hashKey(key);
        for (let at = firstOfHash(entries, hash); at >= 0 && at < entries.length && entries[at] === hash; at += 3)
          found.push([entries[at + 1], entries[at + 2]]);
        return found;
      },
      newestFirst: () => {
        const all: IndexEntry[] = [];
        for (let at = 0; at < entries.length; at += 3) all.push([entries[at], entries[at + 1], entries[at + 2]]);
        for (const [key, [start, end]] of scanned) all.push([hashKey(key), start, end]);
        return all.sort((a, b) => b[1] - a[1]);
      },
      read: (start, end) => {
        try {
          handle.fd ??= openSync(file, 'r');
          return readRange(handle.fd, blocks, size, start, end);
        } catch {
          return undefined;
        }
      },
    };
    openFiles.register(stored, handle);
    return stored;
  } catch {
    return none;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Scans the lines of [from, size) into `scanned` (key → range; a later line of a key wins) a
 * chunk at a time, and returns the last byte read. A line cut by a chunk's end is read again whole.
 */
function scanLines(fd: number, from: number, size: number, scanned: Map<string, [number, number]>): number {
  let buffer = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(size - from, 1)));
  let lastByte = -1;
  // `offset`: the file position of buffer[0].
  for (let offset = from; offset < size;) {
    const wanted = Math.min(buffer.length, size - offset);
    const filled = readFully(fd, buffer, wanted, offset);
    if (filled === 0) break;
    lastByte = buffer[filled - 1];
    // Fewer bytes than asked for: the file was cut short since; what is there is all there is.
    const atEnd = offset + filled >= size || filled < wanted;
    let start = 0;
    while (start < filled) {
      let end = buffer.indexOf(NEWLINE, start);
      if (end < 0 || end >= filled) {
        if (!atEnd) break;
        end = filled; // a last line without its newline: its checksum decides, like any other
      }
      const tab = buffer.indexOf(TAB, start);
      if (tab > start && tab < end) scanned.set(buffer.toString('utf8', start, tab), [offset + start, offset + end]);
      start = end + 1;
    }
    if (start === 0 && !atEnd) buffer = Buffer.allocUnsafe(buffer.length * 2); // one line longer than the buffer
    offset += start;
  }
  return lastByte;
}

function lastByteOf(fd: number, size: number): number {
  const byte = Buffer.alloc(1);
  return readFully(fd, byte, 1, size - 1) === 1 ? byte[0] : -1;
}

/** The scanned entries, for an index. */
function scannedEntries(stored: StoredEntries): IndexEntry[] {
  return [...stored.scanned].map(([key, [start, end]]): IndexEntry => [hashKey(key), start, end]);
}

/** Whether a stored line (or its start) is the entry of `key`. */
function isLineOf(line: Buffer, key: string): boolean {
  const tab = line.indexOf(TAB);
  return tab > 0 && line.toString('utf8', 0, tab) === key;
}

/**
 * The index beside a cache file (`<name>.cache.index`): where each entry's line is, by the
 * key's 53-bit hash, so a run finds an entry without reading the cache's ~100 MB of lines. 64-bit
 * floats: a marker (a file of the other byte order does not read as it), the version, the
 * cache's generation, the size it covers, the entry count, then (hash, start, end) per entry by
 * hash. Anything that does not match is not used (the cache is scanned instead); a line found
 * through it is used only when its key is the one asked for.
 */
const INDEX_MARKER = 7_104_250.5;
const INDEX_VERSION = 1;

function readIndex(
  file: string,
  generation: number,
  size: number,
): { size: number; entries: Float64Array } | undefined {
  try {
    const bytes = readFileSync(`${file}.index`);
    if (bytes.length % 8 !== 0 || bytes.length < 40) return undefined;
    const numbers =
      bytes.byteOffset % 8 === 0
        ? new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8)
        : new Float64Array(new Uint8Array(bytes).buffer);
    const [marker, version, ofGeneration, covered, count] = numbers;
    if (marker !== INDEX_MARKER || version !== INDEX_VERSION || ofGeneration !== generation) return undefined;
    if (!(covered <= size) || numbers.length !== 5 + count * 3) return undefined;
    return { size: covered, entries: numbers.subarray(5) };
  } catch {
    return undefined;
  }
}

/** Writes the index of a cache file: `indexed` (already by hash) merged with `more`. */
function writeIndex(
  file: string,
  generation: number,
  size: number,
  more: Iterable<IndexEntry>,
  indexed?: Float64Array,
): void {
  try {
    const extra = [...more].sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    const base = indexed ?? new Float64Array(0);
    const count = base.length / 3 + extra.length;
    const numbers = new Float64Array(5 + count * 3);
    numbers.set([INDEX_MARKER, INDEX_VERSION, generation, size, count]);
    let out = 5;
    let next = 0;
    for (let at = 0; at <= base.length; at += 3) {
      // Each extra entry before the base entry it sorts before (by hash, then newest first).
      while (
        next < extra.length &&
        (at === base.length ||
          extra[next][0] < base[at] ||
          (extra[next][0] === base[at] && extra[next][1] > base[at + 1]))
      ) {
        numbers.set(extra[next++], out);
        out += 3;
      }
      if (at === base.length) break;
      numbers.set(base.subarray(at, at + 3), out);
      out += 3;
    }
    const temporary = `${file}.index.${process.pid}.tmp`;
    writeFileSync(temporary, new Uint8Array(numbers.buffer));
    renameSync(temporary, `${file}.index`);
  } catch {
    // No index: the next run scans the cache.
  }
}

/** The position of the first (hash, start, end) entry with `hash`, or −1. */
function firstOfHash(entries: Float64Array, hash: number): number {
  let low = 0;
  let high = entries.length / 3;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (entries[middle * 3] < hash) low = middle + 1;
    else high = middle;
  }
  return low * 3 < entries.length && entries[low * 3] === hash ? low * 3 : -1;
}

/** cyrb53: a 53-bit hash of a key, exact in a float64. */
function hashKey(key: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let index = 0; index < key.length; index++) {
    const code = key.charCodeAt(index);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A new cache file's generation: its index must name it. */
function newGeneration(): number {
  return Math.floor(Math.random() * 2 ** 52);
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return -1;
  }
}

const openFiles = new FinalizationRegistry<{ fd: number | undefined }>((handle) => {
  if (handle.fd === undefined) return;
  try {
    closeSync(handle.fd);
  } catch {
    // already closed
  }
});

/** Blocks read back at a time, and how many are kept: entries are mostly asked for in the order they were written. */
const BLOCK = 1 << 18;
const BLOCKS_KEPT = 16;

/** The bytes [start, end) of the file, through a few recently read blocks (one read per block, not per entry). */
function readRange(
  fd: number,
  blocks: Map<number, Buffer>,
  size: number,
  start: number,
  end: number,
): Buffer | undefined {
  const first = Math.floor(start / BLOCK);
  if (Math.floor((end - 1) / BLOCK) !== first) {
    // Across blocks (or longer than one): read it alone.
    const bytes = Buffer.allocUnsafe(end - start);
    return readFully(fd, bytes, bytes.length, start) === bytes.length ? bytes : undefined;
  }
  let block = blocks.get(first);
  if (!block) {
    // The oldest block's memory is read into again: a new 256 KB buffer per block costs page
    // faults here (a 155 MB cache read in fresh blocks: 224 ms; into the same sixteen: 9 ms).
    let memory: Buffer;
    if (blocks.size >= BLOCKS_KEPT) {
      const oldest = blocks.keys().next().value!;
      const evicted = blocks.get(oldest)!;
      blocks.delete(oldest);
      memory = Buffer.from(evicted.buffer, evicted.byteOffset, BLOCK);
    } else memory = Buffer.allocUnsafeSlow(BLOCK);
    const bytes = memory.subarray(0, Math.min(BLOCK, size - first * BLOCK));
    block = bytes.subarray(0, readFully(fd, bytes, bytes.length, first * BLOCK));
    blocks.set(first, block);
  }
  const from = start - first * BLOCK;
  return end - first * BLOCK <= block.length ? block.subarray(from, end - first * BLOCK) : undefined;
}

/** Reads up to `length` bytes at `position` into `buffer`; fewer only at the end of the file. */
function readFully(fd: number, buffer: Buffer, length: number, position: number): number {
  let filled = 0;
  while (filled < length) {
    const read = readSync(fd, buffer, filled, length - filled, position + filled);
    if (read === 0) break;
    filled += read;
  }
  return filled;
}

export { workspaceDataDirectory };

/**
 * Writes whole lines in batches of about 1 MB: a 50,000-file cache is never held twice in memory
 * (as lines and as one buffer), and each `write` holds whole lines, so two runs appending at once
 * interleave lines, never parts of them.
 */
function writeLines(
  file: string,
  flags: 'a' | 'w',
  lines: Iterable<string | Buffer>,
  /** Each line and where it starts (counted from the start of this write). */
  onLine?: (bytes: Buffer, at: number) => void,
): number {
  const fd = openSync(file, flags);
  let total = 0;
  try {
    let pending: Buffer[] = [];
    let size = 0;
    const flush = () => {
      const batch = Buffer.concat(pending, size);
      for (let written = 0; written < batch.length;) written += writeSync(fd, batch, written);
      pending = [];
      size = 0;
    };
    for (const text of lines) {
      const bytes = typeof text === 'string' ? Buffer.from(text) : text;
      onLine?.(bytes, total);
      total += bytes.length;
      pending.push(bytes);
      size += bytes.length;
      if (size >= 1 << 20) flush();
    }
    if (size > 0) flush();
  } finally {
    closeSync(fd);
  }
  return total;
}

function checksum(json: string): string {
  return createHash('sha1').update(json).digest('hex').slice(0, 16);
}

function isModuleSummary(value: unknown): value is ModuleSummary {
  if (!value || typeof value !== 'object') return false;
  const summary = value as Record<string, unknown>;
  return (
    Array.isArray(summary.imports) &&
    Array.isArray(summary.exports) &&
    Array.isArray(summary.declarations) &&
    Array.isArray(summary.parseErrors) &&
    Array.isArray(summary.dynamicUnknown) &&
    (summary.imports as unknown[]).every(
      (record) =>
        !!record &&
        typeof (record as { specifier?: unknown }).specifier === 'string' &&
        Array.isArray((record as { bindings?: unknown }).bindings),
    )
  );
}
