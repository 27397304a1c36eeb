import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FileChange } from '../core/affected/file-change';
import {
  applyTreeChanges,
  behindEnough,
  readFileList,
  writeFileList,
  type StoredFileList,
  type TreeChange,
} from './file-list-store';

/**
 * The few git reads the engine needs, each one process for the whole workspace: the file list of
 * a commit with blob ids (free content hashes), one diff, and one `cat-file --batch` for contents.
 * Paths are relative to the workspace root, which may be a sub-folder of the repository.
 */
export class GitTree {
  private constructor(
    readonly workspaceRoot: string,
    /** The workspace's folder inside the repository, '' or ending with '/'. */
    private readonly prefix: string,
  ) {}

  /**
   * Opens the repository of `workspaceRoot`, resolving `refs` in the same `git rev-parse` when
   * they all exist (one process instead of one per ref; a missing one is resolved on its own later).
   */
  static open(workspaceRoot: string, refs: readonly string[] = []): GitTree {
    const wanted = [...new Set(refs)].filter((ref) => !ref.startsWith('-'));
    // What the command line's own check just read (`rememberOpened`), when it covers every ref.
    const known = justOpened.get(workspaceRoot);
    justOpened.delete(workspaceRoot);
    if (known && wanted.every((ref) => known.commits.has(ref))) {
      const tree = new GitTree(workspaceRoot, known.prefix);
      for (const ref of wanted) tree.commits.set(ref, known.commits.get(ref));
      return tree;
    }
    if (wanted.length > 0) {
      const result = spawnSync('git', ['rev-parse', '--show-prefix', ...wanted.map((ref) => `${ref}^{commit}`)], {
        cwd: workspaceRoot,
        encoding: 'utf8',
      });
      const lines = result.status === 0 ? result.stdout.split('\n') : [];
      if (lines.length >= wanted.length + 1) {
        const tree = new GitTree(workspaceRoot, lines[0].trim());
        wanted.forEach((ref, index) => tree.commits.set(ref, lines[index + 1].trim()));
        return tree;
      }
    }
    const prefix = runGit(workspaceRoot, ['rev-parse', '--show-prefix']).toString('utf8').trim();
    return new GitTree(workspaceRoot, prefix);
  }

  private readonly commits = new Map<string, string | undefined>();

  /** The commit sha of `ref`, or undefined when it is not in the local repository (one process per ref and run). */
  resolveCommit(ref: string): string | undefined {
    if (this.commits.has(ref)) return this.commits.get(ref);
    const result = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
      cwd: this.workspaceRoot,
      encoding: 'utf8',
    });
    const commit = result.status === 0 ? result.stdout.trim() : undefined;
    this.commits.set(ref, commit);
    return commit;
  }

  isShallow(): boolean {
    return runGit(this.workspaceRoot, ['rev-parse', '--is-shallow-repository']).toString('utf8').trim() === 'true';
  }

  private keptList?: { file: string; commit: string; stored?: StoredFileList | null };

  /**
   * Keeps the file list of `commit` in `file` (see file-list-store.ts): `listFiles(commit)` then
   * reads the list kept there by an earlier run and one tree diff from its commit, and keeps
   * the new list for the next run. Other commits are listed with ls-tree as always.
   */
  keepFileList(file: string, commit: string): this {
    this.keptList = { file, commit };
    return this;
  }

  /**
   * Starts, in the background, the git reads a run at `head` needs next: the tree diff from the
   * kept file list (read now) and the diff from each of `bases`. Each one's output is taken by
   * `listFiles` and `diff` once `settle` has run; what fails is read again in the foreground,
   * which reports it. Meanwhile the caller reads its caches: git and the run overlap.
   */
  startReads(head: string, bases: readonly string[]): void {
    const kept = this.keptList;
    if (kept?.commit === head) {
      kept.stored = readFileList(kept.file, this.prefix) ?? null;
      if (kept.stored && kept.stored.commit !== head) this.start(treeChangeArgs(kept.stored.commit, head));
    }
    for (const base of new Set(bases)) if (base !== head) this.start(diffArgs(base, head, '-M'));
  }

  /** Waits for the reads `startReads` started (never rejects: a failed one is read again when asked). */
  async settle(): Promise<void> {
    await Promise.all(this.started.values());
  }

  private readonly started = new Map<string, Promise<void>>();
  private readonly ready = new Map<string, Buffer>();

  private start(args: string[]): void {
    const key = args.join('\0');
    if (this.started.has(key)) return;
    this.started.set(
      key,
      new Promise<void>((resolve) => {
        const child = spawn('git', args, { cwd: this.workspaceRoot, stdio: ['ignore', 'pipe', 'ignore'] });
        const chunks: Buffer[] = [];
        child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
        child.on('error', () => resolve());
        child.on('close', (status) => {
          if (status === 0) this.ready.set(key, Buffer.concat(chunks));
          resolve();
        });
      }),
    );
  }

  /** `git args`: the output of the same read started ahead when it succeeded, else run now. */
  private git(args: string[]): Buffer {
    return this.ready.get(args.join('\0')) ?? runGit(this.workspaceRoot, args);
  }

  /** Every file of the workspace at `commit` → its blob id, in ls-tree's order. */
  listFiles(commit: string): Map<string, string> {
    const kept = this.keptList;
    if (kept?.commit !== commit) return this.listTree(commit);
    // Taken once: the list is changed into head's below.
    const stored = kept.stored === undefined ? readFileList(kept.file, this.prefix) : (kept.stored ?? undefined);
    kept.stored = undefined;
    if (stored?.commit === commit) return stored.files;
    const changed = stored && this.treeChanges(stored.commit, commit);
    const derived = changed && applyTreeChanges(stored.files, changed);
    if (derived && !behindEnough(changed.length, derived.size)) return derived;
    const files = derived ?? this.listTree(commit);
    writeFileList(kept.file, this.prefix, commit, files);
    return files;
  }

  /**
   * The raw tree diff from `from` to `to` (no renames, submodules as entries), or undefined when
   * git cannot diff the two (`from` is gone: a shallow clone, a cache from another repository).
   */
  private treeChanges(from: string, to: string): TreeChange[] | undefined {
    let output: string;
    try {
      output = this.git(treeChangeArgs(from, to)).toString('utf8');
    } catch {
      return undefined;
    }
    const changes: TreeChange[] = [];
    const parts = output.split('\0');
    for (let index = 0; index + 1 < parts.length; index += 2) {
      // `:<old mode> <new mode> <old id> <new id> <status>`, then the path.
      const [oldMode, newMode, oldId, newId] = parts[index].slice(1).split(' ');
      changes.push({ oldMode, newMode, oldId, newId, path: parts[index + 1] });
    }
    return changes;
  }

  private listTree(commit: string): Map<string, string> {
    const output = runGit(this.workspaceRoot, [
      'ls-tree',
      '-r',
      '-z',
      '--full-tree',
      commit,
      ...(this.prefix ? ['--', this.prefix] : []),
    ]).toString('utf8');
    const files = new Map<string, string>();
    for (const entry of output.split('\0')) {
      if (!entry) continue;
      const tab = entry.indexOf('\t');
      const [, type, blob] = entry.slice(0, tab).split(' ');
      if (type !== 'blob') continue;
      files.set(entry.slice(tab + 1 + this.prefix.length), blob);
    }
    return files;
  }

  /** `git diff --raw -M base head`, limited to the workspace: status, paths and both blob ids. */
  diff(base: string, head: string): FileChange[] {
    let output: string;
    try {
      output = this.git(diffArgs(base, head, '-M')).toString('utf8');
    } catch (error) {
      // Rename detection reads the contents of added and deleted files; a repository that lacks one
      // (a partial clone or mirror without large blobs) cannot give it. Without renames a moved file
      // is a deletion plus an addition: both paths still count, never fewer.
      if (!/unable to read|missing blob|bad object/i.test(String(error))) throw error;
      output = runGit(this.workspaceRoot, diffArgs(base, head, '--no-renames')).toString('utf8');
    }
    const parts = output.split('\0');
    const changes: FileChange[] = [];
    const blob = (id: string | undefined) => (id && !/^0+$/.test(id) ? id : undefined);
    for (let index = 0; index < parts.length - 1;) {
      // `:<old mode> <new mode> <old blob> <new blob> <status>`, then the path(s).
      const [, headMode, baseBlob, headBlob, statusField] = parts[index++].split(' ');
      const status = (statusField ?? '').charAt(0) as FileChange['status'];
      const blobs = {
        ...(blob(baseBlob) ? { baseBlob } : {}),
        ...(blob(headBlob) ? { headBlob } : {}),
        ...(headMode === '160000' ? { gitlink: true as const } : {}),
      };
      if (status === 'R' || status === 'C') {
        const oldPath = parts[index++];
        changes.push({ status, path: parts[index++], oldPath, ...blobs });
      } else {
        changes.push({ status, path: parts[index++], ...blobs });
      }
    }
    return changes;
  }

  /**
   * The contents of files by blob id, read from the working tree where the file there is exactly
   * that blob (its git blob hash is checked, so a modified, filtered or symlinked file is never
   * taken for the committed one), the rest in one `git cat-file --batch`. Reading 5,000 small
   * files from disk costs about a third of having git inflate them.
   */
  readFiles(files: Iterable<readonly [path: string, blob: string]>): Map<string, Buffer> {
    const contents = new Map<string, Buffer>();
    const fromGit: string[] = [];
    for (const [path, blob] of files) {
      if (contents.has(blob)) continue;
      const content = readIfBlob(join(this.workspaceRoot, path), blob);
      if (content) contents.set(blob, content);
      else fromGit.push(blob);
    }
    for (const [blob, content] of this.readBlobs(fromGit)) contents.set(blob, content);
    return contents;
  }

  /** The contents of many blobs in one `git cat-file --batch`. */
  private readBlobs(blobs: Iterable<string>): Map<string, Buffer> {
    const ids = [...new Set(blobs)];
    const contents = new Map<string, Buffer>();
    if (ids.length === 0) return contents;
    const output = runGit(this.workspaceRoot, ['cat-file', '--batch'], `${ids.join('\n')}\n`);
    let offset = 0;
    while (offset < output.length) {
      const newline = output.indexOf(10, offset);
      const header = output.subarray(offset, newline).toString('utf8').split(' ');
      offset = newline + 1;
      if (header[1] === 'missing') continue;
      const size = Number(header[2]);
      contents.set(header[0], output.subarray(offset, offset + size));
      offset += size + 1;
    }
    return contents;
  }

  /**
   * The workspace's files that differ in the working tree from the checked-out commit (changed,
   * deleted, untracked and not ignored; both paths of a rename), workspace-relative; empty when the
   * working tree is exactly the commit. Undefined when git names a folder instead (an untracked
   * folder, listed whole, or a submodule): what is in it is not known file by file. Asynchronous:
   * scanning the working tree is the slowest git read, and the caller reads the commit meanwhile.
   */
  workingTreeChanges(): Promise<string[] | undefined> {
    return new Promise((resolve, reject) => {
      const child = spawn('git', ['status', '--porcelain', '-z', '--untracked-files=normal', '.'], {
        cwd: this.workspaceRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.on('error', reject);
      child.on('close', (status) =>
        status === 0
          ? resolve(this.changedPaths(Buffer.concat(stdout).toString('utf8')))
          : reject(
              new Error(`git status failed in ${this.workspaceRoot}: ${Buffer.concat(stderr).toString('utf8').trim()}`),
            ),
      );
    });
  }

  /** `git status --porcelain -z` entries (`XY path`, a rename's or copy's source path after it) as workspace paths. */
  private changedPaths(output: string): string[] | undefined {
    const fields = output.split('\0');
    const paths: string[] = [];
    for (let index = 0; index < fields.length; index++) {
      const entry = fields[index];
      if (entry.length === 0) continue;
      if (entry.length < 4 || entry[2] !== ' ') return undefined;
      const renamed = entry[0] === 'R' || entry[0] === 'C';
      for (const path of renamed ? [entry.slice(3), fields[++index] ?? ''] : [entry.slice(3)]) {
        // Porcelain paths are the repository's; a folder (untracked, or a submodule) ends in '/'.
        if (path.length === 0 || path.endsWith('/') || !path.startsWith(this.prefix)) return undefined;
        paths.push(path.slice(this.prefix.length));
      }
    }
    return paths;
  }
}

/** Per workspace root: the folder and commits the command line's check read, for the next `open` alone. */
const justOpened = new Map<string, { prefix: string; commits: Map<string, string> }>();

/**
 * Hands the next `GitTree.open(workspaceRoot)` what a check of the same command just read in one
 * `git rev-parse --show-prefix <ref>^{commit}…`: the workspace's folder in the repository and the
 * commit of each ref. Taken once (by the next open, whatever it asks), so it never outlives the
 * command that read it: one git process instead of two before the analysis starts.
 */
export function rememberOpened(workspaceRoot: string, prefix: string, commits: ReadonlyMap<string, string>): void {
  justOpened.set(workspaceRoot, { prefix, commits: new Map(commits) });
}

/** `git diff --raw` of the analysis: status, paths and both blob ids, limited to the workspace. */
function diffArgs(base: string, head: string, renames: '-M' | '--no-renames'): string[] {
  return ['diff', '--raw', '-z', renames, '--no-abbrev', '--no-color', '--relative', base, head];
}

/** The raw tree diff a kept file list is brought to head with: no renames, submodules as entries. */
function treeChangeArgs(from: string, to: string): string[] {
  return [
    'diff',
    '--raw',
    '-z',
    '--no-renames',
    '--no-abbrev',
    '--ignore-submodules=none',
    '--no-ext-diff',
    '--relative',
    from,
    to,
  ];
}

/** The file's bytes when they hash to `blob` as git hashes a blob (sha1 of `blob <size>\0` + bytes). */
function readIfBlob(path: string, blob: string): Buffer | undefined {
  if (blob.length !== 40) return undefined; // a SHA-256 repository: leave it to git
  let content: Buffer;
  try {
    content = readFileSync(path);
  } catch {
    return undefined;
  }
  const hash = createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
  return hash === blob ? content : undefined;
}

function runGit(cwd: string, args: string[], input?: string): Buffer {
  const result = spawnSync('git', args, { cwd, input, maxBuffer: 4 * 1024 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(
      `git ${args.join(' ')} failed in ${cwd}: ${(result.stderr?.toString('utf8') || String(result.error ?? '')).trim()}`,
    );
  }
  return result.stdout;
}
