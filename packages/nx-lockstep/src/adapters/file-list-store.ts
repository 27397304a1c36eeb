import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The last file list a run read (path → blob id of every file of one commit), kept in the
 * workspace data so that the next run lists its head as that list plus one tree diff instead of
 * a whole `git ls-tree -r`. At 50,150 files `ls-tree` writes 4.3 MB through a pipe (50–150 ms
 * while `git status` scans the working tree) and splitting it costs ~70 ms more; a new commit's
 * tree diff names a handful of files.
 *
 * The file is one JSON header line (format, the workspace's folder in the repository, the commit,
 * the id length, the count and the body's length), then the body: every blob id, one after the
 * other, then every path followed by a NUL. It is written to a temporary file renamed over the old
 * one (a reader never sees half of it), and a file that is not exactly that — another format or
 * folder, a length or count that does not fit, a body or header whose digest differs — is not
 * used. What it says of every changed path is checked against git's diff too (applyTreeChanges).
 * The digest (SHA-1 of the header's fields and the body, ~7 ms at 50,000 files) replaced a check
 * of every id by a regular expression, which took 21–70 ms of such a run, and lets the header say
 * whether the paths are ASCII (read as Latin-1) instead of scanning them.
 */
export interface StoredFileList {
  commit: string;
  files: Map<string, string>;
}

const FORMAT = 'nx-lockstep file list 2';

interface Header {
  format: string;
  prefix: string;
  commit: string;
  idLength: number;
  count: number;
  length: number;
  /** The paths are plain ASCII. */
  ascii: boolean;
  /** digestOf the other fields and the body. */
  digest: string;
}

function digestOf(header: Omit<Header, 'digest'>, body: Uint8Array): string {
  const { format, prefix, commit, idLength, count, length, ascii } = header;
  return createHash('sha1')
    .update(JSON.stringify([format, prefix, commit, idLength, count, length, ascii]))
    .update(body)
    .digest('hex');
}

/** The stored list when the file holds one for `prefix` that reads back whole; else undefined. */
export function readFileList(file: string, prefix: string): StoredFileList | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  const newline = bytes.indexOf(10);
  if (newline < 0) return undefined;
  let header: Header;
  try {
    header = JSON.parse(bytes.toString('utf8', 0, newline)) as Header;
  } catch {
    return undefined;
  }
  if (
    !header ||
    header.format !== FORMAT ||
    header.prefix !== prefix ||
    typeof header.commit !== 'string' ||
    !Number.isInteger(header.count) ||
    header.count < 0 ||
    (header.idLength !== 40 && header.idLength !== 64) ||
    typeof header.ascii !== 'boolean' ||
    typeof header.digest !== 'string'
  )
    return undefined;
  const body = bytes.subarray(newline + 1);
  const idsEnd = header.count * header.idLength;
  if (body.length !== header.length || idsEnd > body.length || digestOf(header, body) !== header.digest)
    return undefined;
  const ids = body.toString('latin1', 0, idsEnd);
  const pathBytes = body.subarray(idsEnd);
  const paths = pathBytes.toString(header.ascii ? 'latin1' : 'utf8');
  const files = new Map<string, string>();
  let from = 0;
  for (let index = 0; index < header.count; index++) {
    const end = paths.indexOf('\0', from);
    if (end < 0) return undefined;
    files.set(paths.slice(from, end), ids.slice(index * header.idLength, (index + 1) * header.idLength));
    from = end + 1;
  }
  if (from !== paths.length || files.size !== header.count) return undefined;
  return { commit: header.commit, files };
}

/**
 * Stores `files` as the list of `commit` (a temporary file renamed over the old one: a reader never
 * sees half of it). A data folder that cannot be written leaves the next run to `ls-tree`.
 */
export function writeFileList(file: string, prefix: string, commit: string, files: ReadonlyMap<string, string>): void {
  let idLength = 0;
  const ids: string[] = [];
  const paths: string[] = [];
  for (const [path, id] of files) {
    if (idLength === 0) idLength = id.length;
    // Ids of one length and paths without a NUL: anything else is not stored (ls-tree next time).
    if (id.length !== idLength || path.includes('\0')) return;
    ids.push(id);
    paths.push(path, '\0');
  }
  const idText = ids.join('');
  const pathText = paths.join('');
  const body = Buffer.from(idText + pathText, 'utf8');
  const fields = {
    format: FORMAT,
    prefix,
    commit,
    idLength: idLength || 40,
    count: files.size,
    length: body.length,
    ascii: isAscii(body.subarray(idText.length)),
  };
  const header: Header = { ...fields, digest: digestOf(fields, body) };
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    const fd = openSync(temporary, 'w');
    try {
      for (const bytes of [Buffer.from(`${JSON.stringify(header)}\n`, 'utf8'), body])
        for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
  } catch {
    // A read-only or full data folder: the next run lists its head with ls-tree, as without it.
    try {
      rmSync(temporary, { force: true });
    } catch {
      // nothing was written there
    }
  }
}

/** Tree changes a kept file list may be behind head before it is written again (or 1 % of the files). */
const REWRITE_AFTER = 200;

/**
 * Whether a list brought to head by `changes` tree changes should be kept in place of the old one.
 * Not while head is a few changes away: the next run diffs from the kept commit again (still a
 * small diff), and no run writes the whole list each commit.
 */
export function behindEnough(changes: number, files: number): boolean {
  return changes > Math.max(REWRITE_AFTER, files / 100);
}

/** One entry of `git diff --raw` between two trees, modes and ids included. */
export interface TreeChange {
  oldMode: string;
  newMode: string;
  oldId: string;
  newId: string;
  path: string;
}

/** A mode whose entry is a file of the list: not absent (000000), not a submodule (160000). */
const listed = (mode: string) => mode !== '000000' && mode !== '160000';

/**
 * `stored` (taken over: it is changed) made into the list of the other commit of `changes` (a raw
 * tree diff from the stored commit to it, without renames), checked as it goes: every path the
 * diff says was there must be in the stored list with the diff's old id, every path it says was
 * not must be absent. Undefined when any check fails: the caller lists the commit with ls-tree.
 * The order is ls-tree's (paths by their UTF-8 bytes), so everything keyed on the list is the same.
 */
export function applyTreeChanges(
  stored: Map<string, string>,
  changes: readonly TreeChange[],
): Map<string, string> | undefined {
  // Each path comes once in a diff without renames: every check sees the stored list as it was.
  const added: string[] = [];
  for (const change of changes) {
    if (listed(change.oldMode) ? stored.get(change.path) !== change.oldId : stored.has(change.path)) return undefined;
    if (!listed(change.newMode)) stored.delete(change.path);
    else if (stored.has(change.path)) stored.set(change.path, change.newId);
    else added.push(change.path);
  }
  if (added.length === 0) return stored;
  // New paths go where ls-tree lists them: merged into the (sorted) list in one pass.
  const ids = new Map(changes.map((change) => [change.path, change.newId]));
  added.sort(compareBytes);
  const files = new Map<string, string>();
  let next = 0;
  for (const [path, id] of stored) {
    while (next < added.length && compareBytes(added[next], path) < 0) files.set(added[next], ids.get(added[next++])!);
    files.set(path, id);
  }
  for (; next < added.length; next++) files.set(added[next], ids.get(added[next])!);
  return files;
}

/** Git's order of paths: by their UTF-8 bytes (JavaScript's `<` compares UTF-16 units, which differs past U+FFFF). */
function compareBytes(a: string, b: string): number {
  if (NON_ASCII.test(a) || NON_ASCII.test(b)) return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  return a < b ? -1 : a > b ? 1 : 0;
}

const NON_ASCII = /[^\p{ASCII}]/u;
