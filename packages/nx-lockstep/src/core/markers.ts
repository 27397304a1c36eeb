/**
 * Deploy markers, the pure part: how a (project, environment) marker is named, which names are
 * valid, and what its annotated tag message records. Reading and writing tags is in
 * adapters/markers/.
 */

import { encodeProjectRefName, validateEnvironmentName } from '../config/names';

export const DEFAULT_MARKER_PREFIX = 'lockstep';
export const DEFAULT_ENV = 'production';
export const DEFAULT_REMOTE = 'origin';

/** Where a deployable stands in one environment: the commit deployed last, and when. */
export interface DeployMarker {
  project: string;
  env: string;
  /** Commit the marker points at (the tag peeled). */
  sha: string;
  /** ISO time of the deploy, from the tag message (or the tagger date when the message lacks it). */
  date: string | null;
  /** CI run that deployed it, when the CI exposed one. */
  runId?: string;
  /** The tag object itself (what a lease compares against); equals `sha` for a lightweight tag. */
  tagObject: string;
}

/** Env var names holding a CI run id, in the order they are consulted. */
export const CI_RUN_ID_VARIABLES = ['GITHUB_RUN_ID', 'CI_PIPELINE_ID', 'BUILD_BUILDID'] as const;

// One tag component: letters, digits, '.', '_', '-'; no leading '.' or '-' and no '..' or '.lock'
// suffix, so `<prefix>/<env>/<project>` always passes `git check-ref-format` and stays readable
// in CI variable names and URLs.
const ENV_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** The one environment-name rule (config/names.ts), shared with options and pipelines. */
export function validateEnvName(env: unknown): string {
  return validateEnvironmentName(env, 'env');
}

export function validateMarkerPrefix(prefix: unknown): string {
  if (typeof prefix !== 'string' || prefix.length === 0) {
    throw new Error(
      `Invalid markerPrefix ${JSON.stringify(prefix)}: expected a non-empty tag prefix, for example "lockstep".`,
    );
  }
  const parts = prefix.split('/');
  for (const part of parts) {
    if (!ENV_PATTERN.test(part) || part.includes('..') || part.endsWith('.') || part.endsWith('.lock')) {
      throw new Error(
        `Invalid markerPrefix "${prefix}": each "/"-separated part may only contain letters, digits, ".", "_" and "-". ` +
          `Example: "lockstep" or "deploy/markers".`,
      );
    }
  }
  return prefix;
}

/**
 * Tag name (without `refs/tags/`) of the marker of `project` in `env`; the project in its
 * ref-safe encoding (config/names.ts), so any Nx project name has a marker.
 */
export function markerTagName(prefix: string, env: string, project: string): string {
  return `${prefix}/${env}/${encodeProjectRefName(project)}`;
}

/** The name versions before the encoding gave the tag (the raw project name); read when the new one is absent. */
export function legacyMarkerTagName(prefix: string, env: string, project: string): string {
  return `${prefix}/${env}/${project}`;
}

/** Ref namespace holding every marker of `env` (with `refs/tags/`, trailing slash). */
export function markerRefNamespace(prefix: string, env: string): string {
  return `refs/tags/${prefix}/${env}/`;
}

/** The run id of the current CI job, or undefined outside CI. */
export function ciRunId(env: Record<string, string | undefined>): string | undefined {
  for (const name of CI_RUN_ID_VARIABLES) {
    const value = env[name];
    if (value && value.trim()) return value.trim();
  }
  return undefined;
}

export interface MarkerMessageFields {
  project: string;
  env: string;
  date: string;
  runId?: string;
  /** The marker's previous commit, for a readable trail in `git show`. */
  previous?: string | null;
}

/** Annotated tag message: a title line, then `key: value` lines that parseMarkerMessage reads back. */
export function formatMarkerMessage(fields: MarkerMessageFields): string {
  const lines = [
    `lockstep: deployed ${fields.project} to ${fields.env}`,
    '',
    `project: ${fields.project}`,
    `env: ${fields.env}`,
    `deployed-at: ${fields.date}`,
  ];
  if (fields.runId) lines.push(`run-id: ${fields.runId}`);
  if (fields.previous) lines.push(`previous: ${fields.previous}`);
  return lines.join('\n') + '\n';
}

export function parseMarkerMessage(message: string): { date: string | null; runId?: string } {
  const field = (key: string) => {
    const match = new RegExp(`^${key}:[ \\t]*(.+)$`, 'm').exec(message);
    return match ? match[1].trim() : undefined;
  };
  const runId = field('run-id');
  return { date: field('deployed-at') ?? null, ...(runId ? { runId } : {}) };
}

/**
 * What to do with a marker at `current` when a deploy of `head` succeeded. The ancestry facts
 * come from git; the rule is here: never move to an ancestor of where it is, and move only when
 * that can be proved.
 */
export type MarkerMove =
  | { action: 'create' }
  | { action: 'move' }
  | { action: 'keep'; why: 'already-at-head' | 'newer-marker' | 'ancestry-unknown' };

export function decideMarkerMove(facts: {
  current: string | null;
  head: string;
  /** head is an ancestor of current (current is newer). */
  headIsAncestor: boolean;
  /** current is an ancestor of head (head is newer). */
  currentIsAncestor: boolean;
  /** The clone is shallow, so "not an ancestor" may only mean "history missing". */
  shallow: boolean;
}): MarkerMove {
  if (facts.current === null) return { action: 'create' };
  if (facts.current === facts.head) return { action: 'keep', why: 'already-at-head' };
  if (facts.headIsAncestor) return { action: 'keep', why: 'newer-marker' };
  if (facts.currentIsAncestor) return { action: 'move' };
  // Diverged lines of history (a deploy from another branch): what was just deployed is head,
  // so the marker follows it. In a shallow clone the same answer may hide a newer marker whose
  // history is missing, so the marker stays and the next run deploys again (the safe side).
  return facts.shallow ? { action: 'keep', why: 'ancestry-unknown' } : { action: 'move' };
}

/** Human age of a marker, "3d 4h" style, for status output. */
export function formatAge(fromIso: string | null, now: Date): string {
  if (!fromIso) return 'unknown';
  const from = Date.parse(fromIso);
  if (Number.isNaN(from)) return 'unknown';
  let seconds = Math.max(0, Math.round((now.getTime() - from) / 1000));
  const days = Math.floor(seconds / 86_400);
  seconds -= days * 86_400;
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m`;
  return `${seconds}s`;
}
