/**
 * Where a command runs, checked before any analysis: an Nx workspace inside a git checkout with
 * at least one commit. Each check fails with what to do instead of a raw git or Nx error.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { rememberOpened } from '../adapters/git-tree';
import { git } from '../adapters/markers/git';
import { nearestWorkspaceRoot } from '../adapters/workspace-data';
import { CliError } from './cli-io';

/**
 * The workspace root for `--root` (or the current folder), checked to be a git checkout with
 * commits. `knownRefs` (say `--base`) are checked in the same git call when they exist; one that
 * does not is the caller's to check (`checkBaseRef`).
 */
export function openWorkspace(root: string | undefined, cwd: string, knownRefs: readonly string[] = []): string {
  if (root !== undefined && !isDirectory(resolve(cwd, root))) {
    throw new CliError(`--root ${root} is not a folder: pass the folder that holds nx.json, e.g. --root .`, 2);
  }
  const workspaceRoot = findWorkspaceRoot(resolve(cwd, root ?? '.'));
  // The usual case in one process: a work tree with commits (and every ref given exists).
  const refs = [...new Set(['HEAD', ...knownRefs])];
  if (refs.every((ref) => !ref.startsWith('-'))) {
    const quick = git(workspaceRoot, [
      'rev-parse',
      '--is-inside-work-tree',
      '--show-prefix',
      ...refs.map((ref) => `${ref}^{commit}`),
    ]);
    const lines = quick.stdout.split('\n');
    if (quick.code === 0 && lines[0] === 'true' && lines.length >= refs.length + 2) {
      for (const ref of refs) verified.add(`${workspaceRoot}\0${ref}`);
      // The analysis that follows opens the repository with what was just read.
      rememberOpened(workspaceRoot, lines[1].trim(), new Map(refs.map((ref, index) => [ref, lines[index + 2].trim()])));
      return workspaceRoot;
    }
  }
  const inside = git(workspaceRoot, ['rev-parse', '--is-inside-work-tree']);
  const dubious = /detected dubious ownership in repository at '([^']*)'/.exec(inside.stderr);
  if (dubious) {
    // Git refuses a repository another user owns (CVE-2022-24765): it is a git repository, just not trusted.
    throw new CliError(
      `git refuses the repository at ${dubious[1]}: it is owned by another user than the one running lockstep ("dubious ownership"). ` +
        `Run lockstep as the owner, or mark the repository safe: git config --global --add safe.directory ${dubious[1]} ` +
        '(in a container or CI job that checks out as another user, add that line before lockstep runs)',
      2,
    );
  }
  if (inside.code !== 0 || inside.stdout.trim() !== 'true') {
    throw new CliError(
      `${workspaceRoot} is not in a git repository: lockstep compares commits and reads deploy markers from git tags, so run it in a git checkout of the workspace (or git init and commit it first)`,
      2,
    );
  }
  if (git(workspaceRoot, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).code !== 0) {
    throw new CliError(
      `the git repository at ${workspaceRoot} has no commits yet: commit the workspace first (git add -A && git commit -m "initial")`,
      2,
    );
  }
  return workspaceRoot;
}

/** The nearest folder at or above `from` with an nx.json. */
export function findWorkspaceRoot(from: string): string {
  const root = nearestWorkspaceRoot(from);
  if (root === undefined)
    throw new CliError(
      `no nx.json found in ${from} or any parent folder: run lockstep inside an Nx workspace, or pass --root <dir>`,
      2,
    );
  return root;
}

/**
 * An explicit `--base` must name a commit. A sha this clone lacks (a shallow clone) is left to
 * the analysis, which deploys with the fix in the reason; any other unknown name is a typo.
 */
export function checkBaseRef(workspaceRoot: string, base: string): void {
  if (verified.has(`${workspaceRoot}\0${base}`)) return;
  if (git(workspaceRoot, ['rev-parse', '--verify', '--quiet', `${base}^{commit}`]).code === 0) return;
  if (/^[0-9a-f]{7,40}$/i.test(base)) return;
  throw new CliError(
    `--base ${base} is not a commit, branch or tag in this repository: pass the last deployed commit, e.g. --base origin/main~1 or --base <sha> (a branch missing from a shallow clone: git fetch origin <branch> first)`,
    2,
  );
}

/** Refs `openWorkspace` found to be commits, per workspace root. */
const verified = new Set<string>();

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
