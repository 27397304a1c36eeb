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
import { git, gitRetryingLocks, hasRemote, NO_AUTO_MAINTENANCE } from './git';

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
  const out = gitRetryingLocks(workspaceRoot, [
    ...NO_AUTO_MAINTENANCE,
    'fetch',
    '--no-tags',
    '--force',
    '--prune',
    remote,
    spec,
  ]);
  if (out.code !== 0) {
    const detail = out.stderr.trim() || `exit ${out.code}`;
    return { state: 'failed', detail: missingObjectDetail(workspaceRoot, prefix, remote, detail) ?? detail };
  }
  return { state: 'fetched' };
}

/**
 * `not our ref <sha>`: a marker tag on the remote names an object the remote does not have (a
 * tag pushed by hand from a clone with unpushed commits, or history rewritten and pruned). Git
 * names only the object; this names the tag and the fix.
 */
function missingObjectDetail(
  workspaceRoot: string,
  prefix: string,
  remote: string,
  detail: string,
): string | undefined {
  const missing = /not our ref ([0-9a-f]{40,64})/.exec(detail)?.[1];
  if (!missing) return undefined;
  const listed = git(workspaceRoot, ['ls-remote', remote, `refs/tags/${prefix}/*`]);
  const tags = listed.stdout
    .split('\n')
    .map((line) => line.split('\t'))
    .filter(([sha, ref]) => sha === missing && ref)
    .map(([, ref]) => ref.replace(/^refs\/tags\//, '').replace(/\^\{\}$/, ''));
  if (tags.length === 0) return undefined;
  const tag = tags[0];
  return (
    `the deploy marker ${tags.join(', ')} on remote "${remote}" points at ${missing.slice(0, 12)}, an object the remote does not have ` +
    `(a tag pushed by hand from a clone with unpushed commits, or history rewritten and pruned). ` +
    `Delete it (git push ${remote} :refs/tags/${tag}) so the next deploy records a new one, ` +
    `or move it to the commit last deployed (git tag -f -a ${tag} -m deployed <commit> && git push -f ${remote} ${tag}). ` +
    `(git: not our ref ${missing})`
  );
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
  const out = git(workspaceRoot, ['for-each-ref', `--format=${MARKER_FORMAT}`, namespace]);
  // A marker naming an object this clone lacks makes the listing fail: list without reading it.
  if (out.code !== 0 && /missing object/i.test(out.stderr)) return listMarkersOneByOne(workspaceRoot, env, namespace);
  if (out.code !== 0) throw new Error(`git for-each-ref ${namespace} failed: ${out.stderr.trim()}`);
  return parseMarkers(out.stdout, env, namespace);
}

const MARKER_FORMAT =
  ['%(refname)', '%(objectname)', '%(*objectname)', '%(taggerdate:iso-strict)', '%(contents)'].join('%00') + '%1e';

function parseMarkers(stdout: string, env: string, namespace: string): Record<string, DeployMarker> {
  const markers: Record<string, DeployMarker> = {};
  // Tags named by earlier versions (the raw project name) count only where no encoded tag exists.
  const legacy: Record<string, DeployMarker> = {};
  for (const record of stdout.split('\x1e')) {
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

/**
 * The markers of `env` when some of them name a missing object: each one read alone, a broken one
 * recorded with the commit it names (a lightweight tag, or the target its tag object names), so
 * the marker decision reports that commit as not in this clone (deploy, with the fix) instead of
 * every command failing.
 */
function listMarkersOneByOne(workspaceRoot: string, env: string, namespace: string): Record<string, DeployMarker> {
  const out = git(workspaceRoot, ['for-each-ref', '--format=%(refname)%00%(objectname)', namespace]);
  if (out.code !== 0) throw new Error(`git for-each-ref ${namespace} failed: ${out.stderr.trim()}`);
  const markers: Record<string, DeployMarker> = {};
  for (const line of out.stdout.split('\n').filter(Boolean)) {
    const [refname, object] = line.split('\x00');
    const refName = refname.slice(namespace.length);
    const project = decodeProjectRefName(refName) ?? refName;
    const alone = git(workspaceRoot, ['for-each-ref', `--format=${MARKER_FORMAT}`, refname]);
    if (alone.code === 0) {
      Object.assign(markers, parseMarkers(alone.stdout, env, namespace));
      continue;
    }
    const tag = git(workspaceRoot, ['cat-file', 'tag', object]);
    const target = tag.code === 0 ? /^object ([0-9a-f]+)$/m.exec(tag.stdout)?.[1] : undefined;
    markers[project] = { project, env, sha: target ?? object, date: null, tagObject: object };
  }
  return markers;
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
