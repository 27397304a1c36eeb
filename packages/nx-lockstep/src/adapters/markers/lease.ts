/**
 * The deploy lease on the remote: one deploy of a deployable to an environment at a time.
 * Every change of the lease ref is a compare-and-swap:
 * - take it: `git push --force-with-lease=<ref>:` (empty expected value: the ref must not exist);
 * - take over an expired one, renew or release: `--force-with-lease=<ref>:<object read>`.
 * The server applies each update under its ref lock against the old value the push names, so two
 * deploys never both hold the lease. Without a remote (pushMarker=false), `git update-ref <ref>
 * <new> <old>` is the same swap on the local repository.
 */
import {
  decideLeaseStep,
  formatLeaseMessage,
  leaseRefName,
  parseLeaseMessage,
  type LeaseFields,
  type LeaseStep,
} from '../../core/lease';
import { git, gitOrThrow, gitRetryingLocks, isAncestor, NO_AUTO_MAINTENANCE } from './git';
import { taggerIdent } from './write-marker';

export interface LeaseRequest {
  project: string;
  /** The ref-safe form of the project name. */
  projectRef: string;
  env: string;
  prefix: string;
  remote: string;
  /** false: the lease lives in the local repository (no remote to share it). */
  push: boolean;
  /** The commit this run deploys. */
  commit: string;
  holder: string;
  timeoutSeconds: number;
  expirySeconds: number;
  /** Stop when a newer commit holds the lease (default true); false (--force) waits for it instead. */
  yieldToNewer?: boolean;
  log(line: string): void;
  /** Test seams. */
  now?: () => Date;
  pollMs?: number;
}

/** The lease as found on the ref. */
export interface LeaseState extends Omit<LeaseFields, 'project' | 'env'> {
  object: string;
}

export type AcquireOutcome =
  | { state: 'held'; lease: HeldLease; waited: boolean }
  /** A newer commit holds it: this (older) one must not deploy after it. */
  | { state: 'newer-holder'; holder: LeaseState };

export interface HeldLease {
  ref: string;
  /** Pushes a fresh expiry; false when the lease was lost (taken over after expiry). */
  renew(): boolean;
  /** Deletes the lease if still ours; false when it was no longer ours. */
  release(): boolean;
}

export async function acquireLease(root: string, request: LeaseRequest): Promise<AcquireOutcome> {
  const ref = leaseRefName(request.prefix, request.env, request.projectRef);
  const now = request.now ?? (() => new Date());
  const deadline = new Date(now().getTime() + request.timeoutSeconds * 1000);
  let announced: string | null = null;
  let waited = false;

  for (;;) {
    const held = readLease(root, request, ref);
    const holderIsNewer =
      request.yieldToNewer !== false &&
      held !== null &&
      held.commit !== request.commit &&
      /^[0-9a-f]{40,64}$/.test(held.commit) &&
      isAncestor(root, request.commit, held.commit) === true;
    const decided = decideLeaseStep({ held, now: now(), deadline, holderIsNewer });
    // Wait at least once (and say for whom) before giving up, however slow the first read was.
    const step: LeaseStep = decided.action === 'give-up' && !waited ? { action: 'wait' } : decided;
    switch (step.action) {
      case 'acquire':
      case 'take-over': {
        if (step.action === 'take-over') {
          request.log(
            `lease ${ref}: taking over the expired lease of ${held!.holder} (deploying ${short(held!.commit)}, expired at ${held!.expiresAt}).`,
          );
        }
        const acquiredAt = now();
        const object = createLeaseObject(root, request, acquiredAt, acquiredAt);
        if (swap(root, request, ref, object, held ? held.object : null)) {
          return { state: 'held', lease: heldLease(root, request, ref, object, acquiredAt), waited };
        }
        continue; // Someone else swapped first: read again.
      }
      case 'yield-to-newer':
        return { state: 'newer-holder', holder: held! };
      case 'give-up':
        throw new Error(
          `another deploy of ${request.project} to ${request.env} holds the lease ${ref}: ${describeLease(held!)}. ` +
            `Waited ${request.timeoutSeconds}s (option leaseTimeout); nothing was deployed. If that deploy is still running, ` +
            `run again when it is done. If it died, its lease expires at ${held!.expiresAt} and the next run takes it over; ` +
            `to release it now: ${releaseCommand(request, ref)}`,
        );
      case 'wait': {
        if (announced !== held!.object) {
          request.log(
            `waiting for ${ref}: another deploy holds it (${describeLease(held!)}); ` +
              `waiting up to ${request.timeoutSeconds}s, then deciding again from the marker.`,
          );
          announced = held!.object;
        }
        waited = true;
        await sleep(request.pollMs ?? 2000);
      }
    }
  }
}

/** The command that deletes a lease by hand (a stale one, after its deploy died). */
export function releaseCommand(request: Pick<LeaseRequest, 'push' | 'remote'>, ref: string): string {
  return request.push ? `git push ${request.remote} :${ref}` : `git update-ref -d ${ref}`;
}

function describeLease(lease: LeaseState): string {
  return `held by ${lease.holder}, deploying ${short(lease.commit)} since ${lease.acquiredAt || 'an unknown time'}, expires at ${lease.expiresAt || 'an unknown time'}`;
}

function heldLease(root: string, request: LeaseRequest, ref: string, first: string, acquiredAt: Date): HeldLease {
  let object: string | null = first;
  const now = request.now ?? (() => new Date());
  return {
    ref,
    renew: () => {
      if (!object) return false;
      const next = createLeaseObject(root, request, acquiredAt, now());
      if (!swap(root, request, ref, next, object)) {
        object = null;
        return false;
      }
      object = next;
      return true;
    },
    release: () => {
      if (!object) return false;
      const released = swap(root, request, ref, null, object);
      object = null;
      return released;
    },
  };
}

/** The lease on the ref (fetched, so its commit is here for the ancestry check), or null. */
function readLease(root: string, request: LeaseRequest, ref: string): LeaseState | null {
  let object: string | null;
  if (request.push) {
    const listed = gitOrThrow(root, ['ls-remote', request.remote, ref]);
    const line = listed.split('\n').find((l) => l.endsWith(`\t${ref}`));
    object = line ? line.split('\t')[0] : null;
    if (object) {
      const fetched = gitRetryingLocks(root, [
        ...NO_AUTO_MAINTENANCE,
        'fetch',
        '--no-tags',
        '--no-write-fetch-head',
        request.remote,
        ref,
      ]);
      // Released between ls-remote and fetch: read again next round (as "not held" it is a swap attempt).
      if (fetched.code !== 0) return null;
    }
  } else {
    const local = git(root, ['rev-parse', '--verify', '--quiet', ref]);
    object = local.code === 0 ? local.stdout.trim() : null;
  }
  if (!object) return null;
  const content = git(root, ['cat-file', '-p', object]);
  // A hand-made ref to something that is not a lease tag: unreadable fields read as expired.
  const message = content.code === 0 ? content.stdout.slice(content.stdout.indexOf('\n\n') + 2) : '';
  return { object, ...parseLeaseMessage(message) };
}

/** Compare-and-swap of the lease ref: `next` null deletes; `expected` null means "must not exist". */
function swap(root: string, request: LeaseRequest, ref: string, next: string | null, expected: string | null): boolean {
  if (!request.push) {
    const args = next
      ? ['update-ref', ref, next, expected ?? ZERO]
      : ['update-ref', '-d', ref, ...(expected ? [expected] : [])];
    return gitRetryingLocks(root, args).code === 0;
  }
  const lease = `--force-with-lease=${ref}:${expected ?? ''}`;
  const pushed = git(root, ['push', '--porcelain', lease, request.remote, `${next ?? ''}:${ref}`]);
  if (pushed.code === 0) return true;
  // A lost race reads as a rejected "stale info"/"fetch first"; anything else (network, permissions)
  // must not turn into an endless wait.
  if (
    !/stale info|fetch first|rejected|already exists|failed to update ref|cannot lock ref/i.test(
      pushed.stdout + pushed.stderr,
    )
  ) {
    throw new Error(
      `Could not update the deploy lease ${ref} on "${request.remote}": ${(pushed.stderr || pushed.stdout).trim()}`,
    );
  }
  return false;
}

const ZERO = '0000000000000000000000000000000000000000';

function createLeaseObject(root: string, request: LeaseRequest, acquiredAt: Date, now: Date): string {
  const message = formatLeaseMessage({
    project: request.project,
    env: request.env,
    commit: request.commit,
    holder: request.holder,
    acquiredAt: acquiredAt.toISOString(),
    expiresAt: new Date(now.getTime() + request.expirySeconds * 1000).toISOString(),
  });
  const body = [
    'object ' + request.commit,
    'type commit',
    'tag lockstep-lease',
    `tagger ${taggerIdent(root)}`,
    '',
    message,
  ];
  return gitOrThrow(root, ['mktag'], body.join('\n'));
}

function short(sha: string): string {
  return sha ? sha.slice(0, 8) : 'an unknown commit';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
