/**
 * Moves a deploy marker to the commit just deployed. Guarded twice:
 * - never backwards: a pipeline that finishes late, for an older commit, leaves a newer marker;
 * - never two winners: the push carries a lease on the tag object it read
 *   (`--force-with-lease=refs/tags/<tag>:<old object or empty>`); when another writer got there
 *   first the lease fails, the marker is read again and the ancestry rule applied again.
 */
import {
  decideMarkerMove,
  formatMarkerMessage,
  markerTagName,
  validateEnvName,
  validateMarkerPrefix,
  type MarkerMove,
} from '../../core/markers';
import {
  ancestry,
  git,
  gitOrThrow,
  gitRetryingLocks,
  hasCommit,
  hasRemote,
  isAncestor,
  isShallow,
  isValidRef,
  NO_AUTO_MAINTENANCE,
} from './git';

export interface WriteMarkerOptions {
  project: string;
  env: string;
  prefix: string;
  remote: string;
  /** The commit that was deployed. */
  head: string;
  /** Push to the remote (default true); false keeps the marker in the local tag only. */
  push?: boolean;
  runId?: string;
  now?: Date;
  /** Lease retries before giving up (default 5). */
  attempts?: number;
  /** Test seam: runs after the marker was read and before the push, to stage a concurrent writer. */
  beforePush?: () => void;
}

export interface WriteMarkerResult {
  tag: string;
  outcome: 'created' | 'moved' | 'kept';
  /** Why the marker stayed, when it did. */
  why?: Extract<MarkerMove, { action: 'keep' }>['why'];
  /** Where the marker pointed before (null: none). */
  previous: string | null;
  /** Where the marker points now. */
  sha: string | null;
  pushed: boolean;
  attempts: number;
}

const ZERO = '0000000000000000000000000000000000000000';

// Long on purpose: the few git steps of recording a marker, in order, with a message per failure.
export function writeMarker(workspaceRoot: string, options: WriteMarkerOptions): WriteMarkerResult {
  const env = validateEnvName(options.env);
  const prefix = validateMarkerPrefix(options.prefix);
  const tag = markerTagName(prefix, env, options.project);
  const ref = `refs/tags/${tag}`;
  if (!isValidRef(workspaceRoot, ref)) {
    throw new Error(
      `Project "${options.project}" cannot be part of the marker tag "${tag}" (git check-ref-format rejects it).`,
    );
  }
  if (!hasCommit(workspaceRoot, options.head))
    throw new Error(`Commit ${options.head} to mark as deployed is not in this repository.`);
  const push = options.push !== false;
  if (push && !hasRemote(workspaceRoot, options.remote)) {
    throw new Error(
      `Cannot push the deploy marker "${tag}": there is no git remote "${options.remote}". ` +
        `Add it (git remote add ${options.remote} <url>), set the "remote" plugin option, or pass --pushMarker=false to keep the marker in a local tag.`,
    );
  }
  const shallow = isShallow(workspaceRoot);
  const maxAttempts = options.attempts ?? 5;

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const current = push ? readRemoteTag(workspaceRoot, options.remote, ref) : readLocalTag(workspaceRoot, ref);
    const currentSha = current ? current.commit : null;
    // Both ancestries from one git process; apart only when it cannot tell (an object missing).
    const known = currentSha ? ancestry(workspaceRoot, options.head, currentSha) : null;
    const move = decideMarkerMove({
      current: currentSha,
      head: options.head,
      headIsAncestor: currentSha
        ? (known?.aInB ?? isAncestor(workspaceRoot, options.head, currentSha)) === true
        : false,
      currentIsAncestor: currentSha
        ? (known?.bInA ?? isAncestor(workspaceRoot, currentSha, options.head)) === true
        : false,
      // A missing object makes ancestry unknowable, like a shallow clone.
      shallow: shallow || (currentSha !== null && !known && !hasCommit(workspaceRoot, currentSha)),
    });
    if (move.action === 'keep') {
      return {
        tag,
        outcome: 'kept',
        why: move.why,
        previous: currentSha,
        sha: currentSha,
        pushed: false,
        attempts: attempt,
      };
    }

    const tagObject = createTagObject(workspaceRoot, tag, options, env, currentSha);
    options.beforePush?.();
    const outcome = move.action === 'create' ? 'created' : 'moved';
    const recorded = (pushed: boolean): WriteMarkerResult => ({
      tag,
      outcome,
      previous: currentSha,
      sha: options.head,
      pushed,
      attempts: attempt,
    });
    if (!push) {
      // update-ref with the old value is a local compare-and-swap.
      const swap = git(workspaceRoot, ['update-ref', ref, tagObject, current ? current.object : ZERO]);
      if (swap.code === 0) return recorded(false);
      continue;
    }
    const lease = `--force-with-lease=${ref}:${current ? current.object : ''}`;
    const pushed = git(workspaceRoot, ['push', '--porcelain', lease, options.remote, `${tagObject}:${ref}`]);
    if (pushed.code === 0) {
      // The remote is the truth; a failed local update only means a stale local tag until the next fetch.
      gitRetryingLocks(workspaceRoot, ['update-ref', ref, tagObject]);
      return recorded(true);
    }
    // Lost the lease (someone else moved the marker): read again and re-apply the rule.
    // Anything else (permissions, network) is not retried.
    const now = remoteTagObject(workspaceRoot, options.remote, ref);
    if (now === (current ? current.object : null)) {
      throw new Error(
        `Pushing deploy marker "${tag}" to "${options.remote}" failed: ${(pushed.stderr || pushed.stdout).trim()}`,
      );
    }
  }
  throw new Error(
    `Deploy marker "${tag}" kept changing on "${options.remote}" during ${maxAttempts} attempts; giving up without moving it.`,
  );
}

interface TagState {
  object: string;
  commit: string;
}

function readLocalTag(cwd: string, ref: string): TagState | null {
  const object = git(cwd, ['rev-parse', '--verify', '--quiet', ref]);
  if (object.code !== 0) return null;
  const commit = gitOrThrow(cwd, ['rev-parse', '--verify', `${ref}^{commit}`]);
  return { object: object.stdout.trim(), commit };
}

function remoteTagObject(cwd: string, remote: string, ref: string): string | null {
  const out = gitOrThrow(cwd, ['ls-remote', remote, ref]);
  const line = out.split('\n').find((l) => l.endsWith(`\t${ref}`));
  return line ? line.split('\t')[0] : null;
}

/** The remote's marker, fetched so its commit is local for the ancestry checks. */
function readRemoteTag(cwd: string, remote: string, ref: string): TagState | null {
  const object = remoteTagObject(cwd, remote, ref);
  if (!object) return null;
  const fetched = gitRetryingLocks(cwd, [
    ...NO_AUTO_MAINTENANCE,
    'fetch',
    '--no-tags',
    '--force',
    remote,
    `+${ref}:${ref}`,
  ]);
  if (fetched.code !== 0)
    throw new Error(`Could not fetch deploy marker ${ref} from "${remote}": ${fetched.stderr.trim()}`);
  // What was fetched is what the lease compares against; if the remote moved meanwhile, the
  // push fails its lease and the loop reads again.
  return readLocalTag(cwd, ref);
}

function createTagObject(
  cwd: string,
  tag: string,
  options: WriteMarkerOptions,
  env: string,
  previous: string | null,
): string {
  const date = (options.now ?? new Date()).toISOString();
  const message = formatMarkerMessage({ project: options.project, env, date, runId: options.runId, previous });
  const body = [`object ${options.head}`, 'type commit', `tag ${tag}`, `tagger ${taggerIdent(cwd)}`, '', message].join(
    '\n',
  );
  return gitOrThrow(cwd, ['mktag'], body);
}

/** The configured committer, or a fixed identity on CI runners that have none. */
export function taggerIdent(cwd: string): string {
  const out = git(cwd, ['var', 'GIT_COMMITTER_IDENT']);
  if (out.code === 0 && out.stdout.trim()) return out.stdout.trim();
  return `nx-lockstep <nx-lockstep@localhost> ${Math.floor(Date.now() / 1000)} +0000`;
}
