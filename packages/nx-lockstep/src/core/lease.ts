/**
 * Deploy leases, the pure part: one deploy of a deployable to an environment at a time.
 * A lease is a ref `refs/<prefix>/leases/<env>/<project>` on the remote, pointing at an annotated
 * tag object whose message records who holds it, which commit it deploys and until when. This
 * module names the ref, writes and reads the message, and decides what a waiting deploy does.
 */

/** Seconds a deploy waits for another deploy of the same deployable and environment. */
export const DEFAULT_LEASE_TIMEOUT = 1800;
/** Seconds a lease stays valid without renewal; the holder renews it while its deploy runs. */
export const DEFAULT_LEASE_EXPIRY = 600;

export interface LeaseFields {
  project: string;
  env: string;
  /** The commit being deployed. */
  commit: string;
  /** Who holds it: host, pid and CI job, for the waiting message. */
  holder: string;
  acquiredAt: string;
  expiresAt: string;
}

/** Ref of the lease of (project, env); `projectRef` is the ref-safe project name. */
export function leaseRefName(prefix: string, env: string, projectRef: string): string {
  return `refs/${prefix}/leases/${env}/${projectRef}`;
}

/** CI job ids, most specific first, for the holder description. */
const CI_JOB_VARIABLES = [
  ['GITHUB_RUN_ID', 'github run'],
  ['GITHUB_JOB', 'github job'],
  ['CI_JOB_ID', 'gitlab job'],
  ['CI_JOB_URL', 'gitlab'],
  ['BUILD_BUILDID', 'azure build'],
  ['SYSTEM_JOBID', 'azure job'],
] as const;

/** "host build-7 pid 4242, github run 123, github job deploy" */
export function describeHolder(host: string, pid: number, env: Record<string, string | undefined>): string {
  const parts = [`host ${host} pid ${pid}`];
  for (const [name, label] of CI_JOB_VARIABLES) {
    const value = env[name]?.trim();
    if (value) parts.push(`${label} ${value}`);
  }
  // One line: the message is key: value lines.
  return parts.join(', ').replace(/[\r\n]+/g, ' ');
}

export function formatLeaseMessage(fields: LeaseFields): string {
  return [
    `lockstep lease: deploying ${fields.project} to ${fields.env}`,
    '',
    `project: ${fields.project}`,
    `env: ${fields.env}`,
    `commit: ${fields.commit}`,
    `holder: ${fields.holder}`,
    `acquired-at: ${fields.acquiredAt}`,
    `expires-at: ${fields.expiresAt}`,
    '',
  ].join('\n');
}

/** The fields back from a lease message; a field missing (a hand-made ref) reads as unknown/expired. */
export function parseLeaseMessage(message: string): Omit<LeaseFields, 'project' | 'env'> {
  const field = (key: string) => new RegExp(`^${key}:[ \\t]*(.+)$`, 'm').exec(message)?.[1].trim() ?? '';
  return {
    commit: field('commit'),
    holder: field('holder') || 'an unknown holder',
    acquiredAt: field('acquired-at'),
    expiresAt: field('expires-at'),
  };
}

/** An unreadable expiry counts as expired: a lease nobody can date must not block deploys forever. */
export function isLeaseExpired(expiresAt: string, now: Date): boolean {
  const at = Date.parse(expiresAt);
  return Number.isNaN(at) || at <= now.getTime();
}

/** What a deploy does about the lease it found on the remote. */
export type LeaseStep =
  | { action: 'acquire' }
  | { action: 'take-over' }
  /** A newer commit is being deployed: deploying this one after it would roll it back. */
  | { action: 'yield-to-newer' }
  | { action: 'wait' }
  | { action: 'give-up' };

export function decideLeaseStep(facts: {
  /** null: nobody holds it. */
  held: { expiresAt: string; commit: string } | null;
  now: Date;
  deadline: Date;
  /** The holder deploys a commit that contains ours (ours is its ancestor, and differs). */
  holderIsNewer: boolean;
}): LeaseStep {
  if (!facts.held) return { action: 'acquire' };
  if (isLeaseExpired(facts.held.expiresAt, facts.now)) return { action: 'take-over' };
  if (facts.holderIsNewer) return { action: 'yield-to-newer' };
  if (facts.now.getTime() >= facts.deadline.getTime()) return { action: 'give-up' };
  return { action: 'wait' };
}

/** Validates a positive whole number of seconds, naming the option and a valid example. */
export function validateSeconds(name: string, value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new Error(
      `Invalid ${name} ${JSON.stringify(value)}: expected a whole number of seconds greater than 0, ` +
        `for example --${name}=${fallback}.`,
    );
  }
  return value;
}
