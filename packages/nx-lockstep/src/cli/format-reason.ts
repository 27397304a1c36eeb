import type { Reason } from '../core/result';

/** One line for a table cell. */
export function summarizeReason(reason: Reason): string {
  switch (reason.kind) {
    case 'own-file-changed':
      return `own file changed: ${reason.file}`;
    case 'imported-file-changed':
      return `imported file changed: ${reason.file} (${reason.via.length - 1} import${reason.via.length === 2 ? '' : 's'} from ${reason.via[0]})`;
    case 'dependency-project-changed':
      return `dependency ${reason.project} changed: ${reason.file}`;
    case 'external-package-changed':
      return `package ${reason.package} ${reason.from ?? '(none)'} → ${reason.to ?? '(removed)'} in ${reason.lockfile}`;
    case 'global-input-changed':
      return `global input changed: ${reason.file}${reason.detail ? ` (${reason.detail})` : ''}`;
    case 'never-deployed':
      return `never deployed to ${reason.env}`;
    case 'base-unavailable':
      return `base ${reason.base} unavailable`;
    case 'analysis-uncertain':
      return `uncertain: ${reason.file}`;
    case 'forced':
      return 'forced';
  }
}

/** Several lines for `lockstep explain`: the reason, then its chain or detail, indented. */
export function describeReason(reason: Reason): string[] {
  const lines = [summarizeReason(reason)];
  const chain = (via: string[]) => via.map((file, index) => `    ${index === 0 ? '  ' : '→ '}${file}`);
  switch (reason.kind) {
    case 'own-file-changed':
    case 'imported-file-changed':
      if (reason.via) lines.push('  import chain:', ...chain(reason.via));
      if (reason.declarations?.length) lines.push(`  changed: ${reason.declarations.map(describeDeclaration).join(', ')}`);
      break;
    case 'dependency-project-changed':
      lines.push(`  project chain: ${reason.via.join(' → ')}`);
      break;
    case 'external-package-changed':
      if (reason.importedBy) lines.push(`  imported by ${reason.importedBy}`);
      break;
    case 'base-unavailable':
    case 'analysis-uncertain':
      lines.push(`  ${reason.kind === 'base-unavailable' ? reason.hint : reason.detail}`);
      if (reason.kind === 'analysis-uncertain' && reason.via && reason.via.length > 1) lines.push('  import chain:', ...chain(reason.via));
      break;
    default:
      break;
  }
  return lines;
}

/** Symbol precision's declaration ids, in words: `#3` is an anonymous top-level statement. */
function describeDeclaration(id: string): string {
  if (id === '#load') return 'what the module runs when loaded';
  if (id.startsWith('export:')) return `export ${id.slice('export:'.length)}`;
  if (id.startsWith('load:')) return `the import of ${id.slice('load:'.length)}`;
  if (/^#\d+$/.test(id)) return `top-level statement ${id} (runs on load)`;
  return id;
}
