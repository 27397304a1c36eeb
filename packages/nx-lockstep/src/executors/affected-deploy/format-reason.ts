import type { Reason } from '../../core/result';

/** One line a person can read for each reason (safety rule 3: no decision without one). */
export function formatReason(reason: Reason): string {
  switch (reason.kind) {
    case 'own-file-changed':
      return `own file changed: ${reason.file}${declarations(reason.declarations)}`;
    case 'imported-file-changed':
      return `imported file changed: ${reason.file}${declarations(reason.declarations)} (via ${reason.via.join(' → ')})`;
    case 'dependency-project-changed':
      return `dependency project ${reason.project} changed: ${reason.file}${reason.via.length ? ` (via ${reason.via.join(' → ')})` : ''}`;
    case 'external-package-changed':
      return `package ${reason.package} changed ${reason.from ?? 'none'} → ${reason.to ?? 'none'} in ${reason.lockfile}${reason.importedBy ? ` (imported by ${reason.importedBy})` : ''}`;
    case 'global-input-changed':
      return `global input changed: ${reason.file}${reason.detail ? ` (${reason.detail})` : ''}`;
    case 'never-deployed':
      return `never deployed to ${reason.env} (no marker)`;
    case 'base-unavailable':
      return `base ${reason.base.slice(0, 12)} unavailable: ${reason.hint}`;
    case 'analysis-uncertain':
      return `analysis uncertain at ${reason.file}: ${reason.detail}`;
    case 'forced':
      return 'forced (--force)';
  }
}

function declarations(names: string[] | undefined): string {
  return names && names.length ? ` [${names.join(', ')}]` : '';
}
