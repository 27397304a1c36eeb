/** What affected-deploy prints: one line per outcome, each saying what happens next. */
import { SHALLOW_HINT } from '../../adapters/markers/marker-decision';
import type { DeployMarker } from '../../core/markers';
import type { WriteMarkerResult } from '../../adapters/markers/write-marker';
import type { LeaseState } from '../../adapters/markers/lease';

export function short(sha: string): string {
  return sha.slice(0, 8);
}

function markerAt(marker: DeployMarker): string {
  return `${short(marker.sha)} (${marker.date ?? 'date unknown'})`;
}

export function skippedMessage(
  project: string,
  head: string,
  base: string | null,
  marker: DeployMarker | null,
  headBehindMarker: boolean,
): string {
  if (marker && headBehindMarker) {
    return (
      `skipped: ${project} is already deployed at ${markerAt(marker)}, which contains ${short(head)}; ` +
      `deploying ${short(head)} would roll it back (pass --force to roll back deliberately).`
    );
  }
  const since = marker && base === marker.sha ? markerAt(marker) : short(base ?? head);
  return `skipped: ${project} unchanged since ${since}`;
}

export function markerMessage(result: WriteMarkerResult, remote: string | undefined): string {
  const where = remote ? `pushed to ${remote}` : 'local tag only';
  switch (result.outcome) {
    case 'created':
      return `marker ${result.tag} created at ${short(result.sha!)} (${where}).`;
    case 'moved':
      return `marker ${result.tag} moved ${short(result.previous!)} → ${short(result.sha!)} (${where}).`;
    case 'kept':
      if (result.why === 'newer-marker')
        return `marker ${result.tag} left at ${short(result.sha!)}: it already marks a newer deploy.`;
      if (result.why === 'already-at-head') return `marker ${result.tag} already at ${short(result.sha!)}.`;
      return `marker ${result.tag} left at ${short(result.sha!)}: this shallow clone cannot prove the deployed commit is newer (${SHALLOW_HINT}); the next run deploys again.`;
  }
}

/** An older commit arriving while a newer one deploys: it must not deploy after it. */
export function newerDeployMessage(project: string, env: string, head: string, holder: LeaseState): string {
  return (
    `skipped: a newer commit of ${project}, ${short(holder.commit)}, is being deployed to ${env} (${holder.holder}, ` +
    `since ${holder.acquiredAt || 'an unknown time'}); it contains ${short(head)}, and deploying ${short(head)} ` +
    `after it would roll it back (pass --force to wait for it and roll back deliberately).`
  );
}
