/**
 * The few git calls deploy markers need, run synchronously with argument arrays (never a shell),
 * so tag names and refs cannot be interpreted by a shell.
 */
import { spawnSync } from 'node:child_process';

export interface GitOutput {
  code: number;
  stdout: string;
  stderr: string;
}

export function git(cwd: string, args: string[], input?: string): GitOutput {
  const result = spawnSync('git', args, {
    cwd,
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    // Never wait for a credential prompt in CI: fail and say so.
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
  });
  if (result.error) throw new Error(`git ${subcommand(args)} could not run: ${result.error.message}`);
  return { code: result.status ?? 1, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
}

/** The git command `args` run (`fetch` in `-c key=value fetch …`), for messages. */
function subcommand(args: readonly string[]): string {
  for (let index = 0; index < args.length; index++) {
    if (args[index] === '-c') index++;
    else if (!args[index].startsWith('-')) return args[index];
  }
  return args[0] ?? '';
}

/**
 * Put before `fetch`: fetching a few tags starts no `git maintenance run --auto` (a process per
 * run, and a gc whose lock parallel deploy tasks would wait on). Older git ignores the key.
 */
export const NO_AUTO_MAINTENANCE = ['-c', 'maintenance.auto=false'] as const;

// Parallel affected-deploy tasks fetch into the same repository; git then fails to take a ref or
// shallow lock. Such failures are retried briefly instead of failing a deploy.
const LOCK_ERROR = /cannot lock ref|unable to create '[^']*\.lock'|\.lock': File exists|could not lock/i;

/** git, retried a few times while another git process holds a lock in the same repository. */
export function gitRetryingLocks(cwd: string, args: string[], attempts = 8): GitOutput {
  let out = git(cwd, args);
  for (let attempt = 1; attempt < attempts && out.code !== 0 && LOCK_ERROR.test(out.stderr); attempt++) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100 + Math.floor(Math.random() * 200) * attempt);
    out = git(cwd, args);
  }
  return out;
}

/** Runs git and returns trimmed stdout, or throws with git's own message. */
export function gitOrThrow(cwd: string, args: string[], input?: string): string {
  const out = git(cwd, args, input);
  if (out.code !== 0) {
    throw new Error(`git ${args.join(' ')} failed (exit ${out.code}): ${out.stderr.trim() || out.stdout.trim()}`);
  }
  return out.stdout.trim();
}

export function hasRemote(cwd: string, remote: string): boolean {
  return git(cwd, ['remote', 'get-url', remote]).code === 0;
}

export function isShallow(cwd: string): boolean {
  return git(cwd, ['rev-parse', '--is-shallow-repository']).stdout.trim() === 'true';
}

export function hasCommit(cwd: string, sha: string): boolean {
  return git(cwd, ['cat-file', '-e', `${sha}^{commit}`]).code === 0;
}

/** true / false, or null when git cannot tell (an object is missing). */
export function isAncestor(cwd: string, ancestor: string, descendant: string): boolean | null {
  const out = git(cwd, ['merge-base', '--is-ancestor', ancestor, descendant]);
  if (out.code === 0) return true;
  if (out.code === 1) return false;
  return null;
}

/** How two commits relate: each one's ancestry of the other. */
export interface Ancestry {
  /** `a` is an ancestor of `b` (or the same commit). */
  aInB: boolean;
  /** `b` is an ancestor of `a` (or the same commit). */
  bInA: boolean;
}

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Both `isAncestor` answers for two commits from one git process: `git merge-base --all a b`
 * lists `a` exactly when `a` is an ancestor of `b` (their best common ancestor is then `a` alone).
 * No merge base (unrelated histories, or a shallow clone's cut) is false both ways, as
 * `--is-ancestor` answers. Null when git cannot tell (an object is missing or is no commit): the
 * caller then asks the separate questions, whose answers say which. Full shas only: a merge base
 * is printed as one.
 */
export function ancestry(cwd: string, a: string, b: string): Ancestry | null {
  if (!FULL_SHA.test(a) || !FULL_SHA.test(b)) {
    const aInB = isAncestor(cwd, a, b);
    const bInA = isAncestor(cwd, b, a);
    return aInB === null || bInA === null ? null : { aInB, bInA };
  }
  const out = git(cwd, ['merge-base', '--all', a, b]);
  if (out.code === 1 && out.stdout.trim() === '') return { aInB: false, bInA: false };
  if (out.code !== 0) return null;
  const bases = out.stdout.split('\n');
  return { aInB: bases.includes(a), bInA: bases.includes(b) };
}

export function resolveCommit(cwd: string, ref: string): string {
  const out = git(cwd, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (out.code !== 0) {
    throw new Error(
      `"${ref}" is not a commit in this repository. Pass a commit sha, branch or tag, for example "HEAD" or "origin/main".`,
    );
  }
  return out.stdout.trim();
}

/** `git check-ref-format`, the authority on what a tag may be called. */
export function isValidRef(cwd: string, ref: string): boolean {
  return git(cwd, ['check-ref-format', ref]).code === 0;
}
