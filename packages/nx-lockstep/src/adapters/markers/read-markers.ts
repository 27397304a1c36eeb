/**
 * Reads deploy markers: annotated tags `<prefix>/<env>/<project>`, fetched from the remote first
 * when there is one, so every pipeline sees the markers every other pipeline pushed.
 */
import {
  markerRefNamespace,
  parseMarkerMessage,
  validateEnvName,
  validateMarkerPrefix,
  type DeployMarker,
} from '../../core/markers';
import { decodeProjectRefName } from '../../config/names';
import { git, gitRetryingLocks, hasRemote } from './git';

export interface ReadMarkersOptions {
  env: string;
  prefix: string;
  remote: string;
  /** Only these projects (each present in the result, null when it has no marker); default all found. */
  projects?: string[];
  /** Fetch from the remote first (default true). */
  fetch?: boolean;
  /** Non-fatal notes (no remote, fetch failed); default: printed to stderr. */
  onWarning?: (message: string) => void;
}

export type MarkerMap = Record<string, DeployMarker | null>;

export interface FetchMarkersResult {
  /** 'fetched', or why the local tags are all there is. */
  state: 'fetched' | 'no-remote' | 'failed';
  detail?: string;
}

/** Mirrors the remote's markers of every environment into local tags (the remote wins). */
export function fetchMarkers(workspaceRoot: string, prefix: string, remote: string): FetchMarkersResult {
  if (!hasRemote(workspaceRoot, remote)) return { state: 'no-remote' };
  const spec = `+refs/tags/${prefix}/*:refs/tags/${prefix}/*`;
  // --prune: a marker deleted on the remote (to force a redeploy) disappears locally too.
  const out = gitRetryingLocks(workspaceRoot, ['fetch', '--no-tags', '--force', '--prune', remote, spec]);
  if (out.code !== 0) return { state: 'failed', detail: out.stderr.trim() || `exit ${out.code}` };
  return { state: 'fetched' };
}

export function fetchWarning(result: FetchMarkersResult, remote: string): string | undefined {
  if (result.state === 'no-remote') {
    return `no git remote "${remote}": deploy markers are read from local tags only (set the "remote" plugin option if your remote has another name).`;
  }
  if (result.state === 'failed') {
    return `could not fetch deploy markers from remote "${remote}": ${result.detail}. Using local tags, which may be older (deploys more, never less).`;
  }
  return undefined;
}

/** Local markers of one environment, without fetching. */
export function listLocalMarkers(workspaceRoot: string, env: string, prefix: string): Record<string, DeployMarker> {
  const namespace = markerRefNamespace(prefix, env);
  const format =
    ['%(refname)', '%(objectname)', '%(*objectname)', '%(taggerdate:iso-strict)', '%(contents)'].join('%00') + '%1e';
  const out = git(workspaceRoot, ['for-each-ref', `--format=${format}`, namespace]);
  if (out.code !== 0) throw new Error(`git for-each-ref ${namespace} failed: ${out.stderr.trim()}`);
  const markers: Record<string, DeployMarker> = {};
  // Tags named by earlier versions (the raw project name) count only where no encoded tag exists.
  const legacy: Record<string, DeployMarker> = {};
  for (const record of out.stdout.split('\x1e')) {
    const fields = record.replace(/^\n/, '').split('\x00');
    if (fields.length < 5 || !fields[0]) continue;
    const [refname, object, peeled, taggerDate, contents] = fields;
    const refName = refname.slice(namespace.length);
    const decoded = decodeProjectRefName(refName);
    const project = decoded ?? refName;
    const parsed = parseMarkerMessage(contents);
    (decoded === null ? legacy : markers)[project] = {
      project,
      env,
      // A lightweight tag (made by hand) has no peeled object: it names the commit itself.
      sha: peeled || object,
      date: parsed.date ?? (taggerDate || null),
      ...(parsed.runId ? { runId: parsed.runId } : {}),
      tagObject: object,
    };
  }
  return { ...legacy, ...markers };
}

/** Each project's marker for `env` (null when it has none). */
export async function readMarkers(workspaceRoot: string, options: ReadMarkersOptions): Promise<MarkerMap> {
  const env = validateEnvName(options.env);
  const prefix = validateMarkerPrefix(options.prefix);
  const warn = options.onWarning ?? ((message: string) => process.stderr.write(`lockstep: warning: ${message}\n`));
  if (options.fetch !== false) {
    const warning = fetchWarning(fetchMarkers(workspaceRoot, prefix, options.remote), options.remote);
    if (warning) warn(warning);
  }
  const local = listLocalMarkers(workspaceRoot, env, prefix);
  if (!options.projects) return local;
  const result: MarkerMap = {};
  for (const project of options.projects) result[project] = local[project] ?? null;
  return result;
}

/** The `bases` an analysis needs: each project's marker commit, or null (never deployed). */
export function markerBases(markers: MarkerMap): Record<string, string | null> {
  const bases: Record<string, string | null> = {};
  for (const [project, marker] of Object.entries(markers)) bases[project] = marker ? marker.sha : null;
  return bases;
}
