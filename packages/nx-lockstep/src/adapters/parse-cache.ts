import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readSync, renameSync, writeSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
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

  has(key: string): boolean {
    return this.used.has(key) || this.stored.index.has(key);
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
    // Nothing new computed: the file on disk already holds everything this run needed.
    if (this.fresh.size === 0) return;
    const line = (key: string) => {
      const json = JSON.stringify(this.used.get(key));
      return `${key}\t${checksum(json)}\t${json}\n`;
    };
    /** A stored entry's line as it is on disk (not decoded), when it is whole. */
    const storedLine = (key: string) => {
      const range = this.stored.index.get(key);
      // A line cut short (the end of the file, no newline) is not copied.
      const bytes = range && range[1] < this.stored.size ? this.stored.read(range[0], range[1] + 1) : undefined;
      // A copy: the line is written out after later reads, which reuse the block's memory.
      return bytes && Buffer.from(bytes);
    };
    try {
      mkdirSync(join(this.file, '..'), { recursive: true });
      const appendable = this.stored.valid && this.stored.endsWithNewline;
      const used = this.used.size + this.reliedOn;
      if (appendable && this.stored.index.size + this.fresh.size <= Math.max(3 * used, APPEND_LIMIT)) {
        writeLines(this.file, 'a', [...this.fresh].map(line));
        return;
      }
      const temporary = `${this.file}.${process.pid}.tmp`;
      writeLines(temporary, 'w', this.rewrittenLines(line, storedLine));
      renameSync(temporary, this.file);
    } catch {
      // A read-only workspace still analyses, just without a warm cache next time.
    }
  }

  /** A whole new file: the header, every entry this run used, then the most recent earlier entries up to as many again. */
  private *rewrittenLines(
    line: (key: string) => string,
    storedLine: (key: string) => Buffer | undefined,
  ): Generator<string | Buffer> {
    yield `${JSON.stringify({ format: FORMAT, extractor: EXTRACTOR_VERSION, typescript: PARSER_VERSION })}\n`;
    // Entries read from the file are copied as they are, not serialised again.
    for (const key of this.used.keys()) yield (!this.fresh.has(key) && storedLine(key)) || line(key);
    let kept = this.used.size;
    const limit = (this.used.size + this.reliedOn) * 2 + 1000;
    for (const key of [...this.stored.index.keys()].reverse()) {
      if (kept >= limit) break;
      // An entry cut short (no newline) is not copied: it would run into the next one.
      const stored = this.used.has(key) ? undefined : storedLine(key);
      if (!stored) continue;
      yield stored;
      kept++;
    }
  }

  /** The stored entry of `key`, decoded, if its checksum and shape are right. */
  private decode<T>(
    key: string,
    isValid: (value: unknown) => value is T,
  ): { found: true; value: T } | { found: false } {
    const none = { found: false } as const;
    const range = this.stored.index.get(key);
    if (!range) return none;
    const bytes = this.stored.read(range[0], range[1]);
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

/** Per key, where its line starts and ends (the newline) in the cache file, and how to read it back. */
interface StoredEntries {
  /** The file is this format and version: new entries may be appended to it. */
  valid: boolean;
  /** The file's size when it was indexed, and whether it ended with a whole line. */
  size: number;
  endsWithNewline: boolean;
  index: Map<string, [start: number, end: number]>;
  /**
   * The bytes [start, end) of the file as indexed; undefined when they cannot be read. Valid only
   * until the next read (blocks are read into reused memory): copy what is kept.
   */
  read(start: number, end: number): Buffer | undefined;
}

const CHUNK = 1 << 22;

function readStored(file: string): StoredEntries {
  const none: StoredEntries = {
    valid: false,
    size: 0,
    endsWithNewline: false,
    index: new Map(),
    read: () => undefined,
  };
  let fd: number | undefined;
  try {
    fd = openSync(file, 'r');
    const size = fstatSync(fd).size;
    const index = new Map<string, [number, number]>();
    let buffer = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(size, 1)));
    let header: Record<string, unknown> | undefined;
    let lastByte = -1;
    // `offset`: the file position of buffer[0]; a line cut by the chunk's end is read again whole.
    for (let offset = 0; offset < size;) {
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
        if (!header) {
          header = JSON.parse(buffer.toString('utf8', start, end)) as Record<string, unknown>;
          if (
            header.format !== FORMAT ||
            header.extractor !== EXTRACTOR_VERSION ||
            header.typescript !== PARSER_VERSION
          )
            throw new Error('another format');
        } else {
          const tab = buffer.indexOf(TAB, start);
          if (tab > start && tab < end)
            index.set(buffer.toString('latin1', start, tab), [offset + start, offset + end]);
        }
        start = end + 1;
      }
      if (start === 0 && !atEnd) buffer = Buffer.allocUnsafe(buffer.length * 2); // one line longer than the buffer
      offset += start;
    }
    if (!header) throw new Error('no header');
    const handle = { fd: fd as number | undefined };
    const blocks = new Map<number, Buffer>();
    fd = undefined;
    // The file stays open while the cache is in use (entries are read back on demand), and is
    // closed when the cache is collected.
    const stored: StoredEntries = {
      valid: true,
      size,
      endsWithNewline: lastByte === NEWLINE,
      index,
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

export function workspaceDataDirectory(workspaceRoot: string): string {
  const configured = process.env.NX_WORKSPACE_DATA_DIRECTORY ?? process.env.NX_PROJECT_GRAPH_CACHE_DIRECTORY;
  if (configured) return isAbsolute(configured) ? configured : join(workspaceRoot, configured);
  return join(workspaceRoot, '.nx', 'workspace-data');
}

/**
 * Writes whole lines in batches of about 1 MB: a 50,000-file cache is never held twice in memory
 * (as lines and as one buffer), and each `write` holds whole lines, so two runs appending at once
 * interleave lines, never parts of them.
 */
function writeLines(file: string, flags: 'a' | 'w', lines: Iterable<string | Buffer>): void {
  const fd = openSync(file, flags);
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
      pending.push(bytes);
      size += bytes.length;
      if (size >= 1 << 20) flush();
    }
    if (size > 0) flush();
  } finally {
    closeSync(fd);
  }
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
