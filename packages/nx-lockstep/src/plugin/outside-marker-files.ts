/**
 * Container files that live outside the app they build — `.deploy/api/Dockerfile`,
 * `docker/api/Dockerfile`, `deploy/api.Dockerfile`, `apps/api.Dockerfile`,
 * `Dockerfile.api` — belong to a project when the name they carry (the folder holding a plain
 * `Dockerfile`, or the `<name>` of `<name>.Dockerfile` / `Dockerfile.<name>`) is that project's
 * name or its root's last segment, and to no other project. Pure: callers list the files.
 */
import { isGlobMatch } from '../config/glob-match';
import type { MarkerFile } from './deploy-marker-files';
import type { LockstepOptions } from '../config/options';

/** Workspace-relative globs of the container files that may sit outside every project root. */
export const OUTSIDE_MARKER_GLOBS: readonly string[] = [
  '**/Dockerfile',
  '**/Containerfile',
  '**/*.Dockerfile',
  '**/Dockerfile.*',
];

/** How to write the patterns in messages. */
export const OUTSIDE_MARKER_EXAMPLES =
  '.deploy/<project>/Dockerfile, docker/<project>/Dockerfile, deploy/<project>.Dockerfile, Dockerfile.<project>';

export interface ProjectRef {
  name: string;
  /** Workspace-relative root ('.' or '' for the workspace root). */
  root: string;
}

/** A container file outside every project whose name matches none or several projects. */
export interface UnassignedOutsideMarker {
  file: string;
  /** The name the file carries. */
  key: string;
  /** The projects it could stand for (empty: none). */
  candidates: string[];
}

export interface OutsideMarkers {
  /** project name → its outside markers (workspace-relative `file`, `outsideRoot` set). */
  byProject: Map<string, MarkerFile[]>;
  unassigned: UnassignedOutsideMarker[];
}

/** The name a container file carries, from its path; undefined for a file that carries none. */
export function outsideMarkerKey(path: string): string | undefined {
  const segments = path.split('/');
  const name = segments[segments.length - 1];
  if (name === 'Dockerfile' || name === 'Containerfile') return segments.length > 1 ? segments.at(-2) : undefined;
  const suffixed = /^(.+)\.Dockerfile$/.exec(name)?.[1];
  if (suffixed) return suffixed;
  return /^Dockerfile\.(.+)$/.exec(name)?.[1];
}

/**
 * Assigns the container files among `files` (workspace-relative) that lie outside every project
 * root (the workspace-root project aside) to the one project each names.
 */
export function assignOutsideMarkers(
  files: readonly string[],
  projects: readonly ProjectRef[],
  options: Pick<LockstepOptions, 'excludeMarkers'>,
): OutsideMarkers {
  const roots = projects.map((project) => project.root).filter((root) => root !== '' && root !== '.');
  const insideProject = (file: string) => roots.some((root) => file.startsWith(`${root}/`));
  const byKey = new Map<string, string[]>();
  for (const project of projects) {
    const lastSegment = project.root.split('/').at(-1);
    for (const key of new Set([project.name, ...(lastSegment && lastSegment !== '.' ? [lastSegment] : [])])) {
      byKey.set(key, [...(byKey.get(key) ?? []), project.name]);
    }
  }
  const byProject = new Map<string, MarkerFile[]>();
  const unassigned: UnassignedOutsideMarker[] = [];
  for (const file of [...files].sort()) {
    if (
      !isGlobMatch(file, OUTSIDE_MARKER_GLOBS, { dot: true }) ||
      insideProject(file) ||
      file.includes('node_modules/')
    )
      continue;
    const name = file.slice(file.lastIndexOf('/') + 1);
    if (options.excludeMarkers.length > 0 && isGlobMatch(file, options.excludeMarkers, { dot: true })) continue;
    if (options.excludeMarkers.length > 0 && isGlobMatch(name, options.excludeMarkers, { dot: true })) continue;
    const key = outsideMarkerKey(file);
    if (!key) continue;
    const candidates = [...new Set(byKey.get(key) ?? [])].sort();
    if (candidates.length !== 1) {
      unassigned.push({ file, key, candidates });
      continue;
    }
    const markers = byProject.get(candidates[0]) ?? [];
    markers.push({ file, kind: 'container', outsideRoot: true });
    byProject.set(candidates[0], markers);
  }
  return { byProject, unassigned };
}

/** One line per unassigned file, saying how to declare the deployable it is for. */
export function describeUnassigned(marker: UnassignedOutsideMarker, deployTargetName: string): string {
  const why =
    marker.candidates.length === 0
      ? `no project is named "${marker.key}" (nor has a root ending in /${marker.key})`
      : `"${marker.key}" could be ${marker.candidates.join(' or ')}`;
  return (
    `${marker.file}: ${why}. To deploy a project with it, tag the project "deployable" and give it a ` +
    `"${deployTargetName}" target, e.g. "${deployTargetName}": { "command": "docker build -f ${marker.file} ." }`
  );
}
