/**
 * Deploy marker files: which files make a project deployable, what kind of deploy each implies,
 * and which one wins when a root holds several (the order of MARKER_KINDS is the precedence).
 *
 * Precedence rationale: a platform's own config (fly.toml, wrangler, vercel, …) says exactly how
 * the project is deployed — and those platforms build a Dockerfile next to it themselves — so it
 * beats a bare container file. Helm and App Engine describe a deploy too. A Dockerfile only says
 * "this ships as an image". A Procfile says how to run a process, not where: weakest signal.
 */
import { isGlobMatch } from '../config/glob-match';
import type { LockstepOptions } from '../config/options';

export type MarkerKind =
  | 'fly'
  | 'wrangler'
  | 'vercel'
  | 'netlify'
  | 'serverless'
  | 'cdk'
  | 'app-engine'
  | 'helm'
  | 'container'
  | 'procfile'
  /** Matched by a user glob (`markers` option) whose file name is none of the above. */
  | 'custom';

export interface MarkerKindInfo {
  kind: MarkerKind;
  /** File-name globs (matched against the marker's base name). */
  globs: string[];
  technologies: string[];
}

export const MARKER_KINDS: readonly MarkerKindInfo[] = [
  { kind: 'fly', globs: ['fly.toml'], technologies: ['fly'] },
  { kind: 'wrangler', globs: ['wrangler.{toml,json,jsonc}'], technologies: ['cloudflare'] },
  // vercel.ts is the typed successor of vercel.json.
  { kind: 'vercel', globs: ['vercel.json', 'vercel.ts'], technologies: ['vercel'] },
  { kind: 'netlify', globs: ['netlify.toml'], technologies: ['netlify'] },
  { kind: 'serverless', globs: ['serverless.{yml,yaml,ts}'], technologies: ['serverless'] },
  { kind: 'cdk', globs: ['cdk.json'], technologies: ['aws-cdk'] },
  { kind: 'app-engine', globs: ['app.yaml'], technologies: ['gcloud'] },
  { kind: 'helm', globs: ['Chart.yaml'], technologies: ['helm'] },
  { kind: 'container', globs: ['Dockerfile', 'Containerfile', '*.Dockerfile'], technologies: ['docker'] },
  { kind: 'procfile', globs: ['Procfile'], technologies: ['procfile'] },
];

/** The default marker globs, relative to a project root (so they match only files directly in it). */
export const DEFAULT_MARKER_GLOBS: readonly string[] = MARKER_KINDS.flatMap((info) => info.globs);

export interface MarkerFile {
  /** Path relative to the project root, '/'-separated; workspace-relative when `outsideRoot`. */
  file: string;
  kind: MarkerKind;
  /** A container file outside the project that names it (see outside-marker-files.ts). */
  outsideRoot?: boolean;
}

/** The marker globs in effect: defaults minus `excludeMarkers` entries, plus `markers`. */
export function effectiveMarkerGlobs(options: Pick<LockstepOptions, 'markers' | 'excludeMarkers'>): string[] {
  const defaults = DEFAULT_MARKER_GLOBS.filter((glob) => !options.excludeMarkers.includes(glob));
  return [...new Set([...defaults, ...options.markers])];
}

/**
 * The marker files among `files` (paths relative to one project root), best first.
 * A file matching an `excludeMarkers` glob never counts, even if a `markers` glob matches it.
 */
export function findMarkers(
  files: readonly string[],
  options: Pick<LockstepOptions, 'markers' | 'excludeMarkers'>,
): MarkerFile[] {
  const globs = effectiveMarkerGlobs(options);
  const matched = files.filter(
    (file) =>
      isGlobMatch(file, globs, { dot: true }) &&
      !(options.excludeMarkers.length > 0 && isGlobMatch(file, options.excludeMarkers, { dot: true })),
  );
  const markers = matched.map((file) => ({ file, kind: markerKindOf(file) }));
  const rank = (kind: MarkerKind) => {
    const index = MARKER_KINDS.findIndex((info) => info.kind === kind);
    return index === -1 ? MARKER_KINDS.length : index;
  };
  // Same kind: the file nearest the root first, then by name, so the choice is stable.
  return markers.sort(
    (a, b) =>
      rank(a.kind) - rank(b.kind) ||
      a.file.split('/').length - b.file.split('/').length ||
      a.file.localeCompare(b.file),
  );
}

export function markerKindOf(file: string): MarkerKind {
  const name = file.slice(file.lastIndexOf('/') + 1);
  return MARKER_KINDS.find((info) => isGlobMatch(name, info.globs, { dot: true }))?.kind ?? 'custom';
}

export function technologiesOf(kind: MarkerKind): string[] {
  return [...(MARKER_KINDS.find((info) => info.kind === kind)?.technologies ?? [])];
}
