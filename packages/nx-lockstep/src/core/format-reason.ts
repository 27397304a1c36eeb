/**
 * Reasons in words, for every surface that shows them to a person (safety rule 3): a reporter
 * over the result model alone. Three lengths of the same sentence:
 * - `summarizeReason`: a table cell (`lockstep affected`);
 * - `formatReasonLine`: one line with the full import chain and what changed (CI logs of
 *   affected-deploy, `lockstep status`);
 * - `describeReason`: several lines, the chain one file per line (`lockstep explain`).
 */
import type { ChangeNotShipped, Reason } from './result';

/** One short line for a table cell. */
export function summarizeReason(reason: Reason): string {
  switch (reason.kind) {
    case 'own-file-changed':
    case 'imported-file-changed':
      return `${headline(reason)}${reason.via && reason.via.length > 1 ? ` (${hops(reason.via)} from ${reason.via[0]})` : ''}`;
    default:
      return headline(reason);
  }
}

/** One line with every detail: a CI log line must explain the deploy on its own. */
export function formatReasonLine(reason: Reason): string {
  const details: string[] = [];
  let explanation = '';
  switch (reason.kind) {
    case 'own-file-changed':
    case 'imported-file-changed':
      if (reason.declarations?.length)
        details.push(`changed: ${describeDeclarations(reason.declarations, reason.file)}`);
      if (reason.via && reason.via.length > 1) details.push(`via ${reason.via.join(' → ')}`);
      if (reason.kind === 'imported-file-changed' && reason.input) details.push(reason.input);
      break;
    case 'dependency-project-changed':
      if (reason.input) details.push(`build input ${reason.input}`);
      if (reason.via.length > 1) details.push(`via ${reason.via.join(' → ')}`);
      break;
    case 'external-package-changed':
      if (reason.importedBy) details.push(`imported by ${reason.importedBy}`);
      break;
    case 'base-unavailable':
      explanation = `: ${reason.hint}`;
      break;
    case 'analysis-uncertain':
      explanation = `: ${reason.detail}`;
      if (reason.via && reason.via.length > 1) details.push(`via ${reason.via.join(' → ')}`);
      break;
    default:
      break;
  }
  return `${headline(reason)}${explanation}${details.length ? ` (${details.join('; ')})` : ''}`;
}

/** Several lines for `lockstep explain`: the reason, then its chain and details, indented. */
export function describeReason(reason: Reason): string[] {
  const lines = [summarizeReason(reason)];
  const chain = (via: string[]) => via.map((file, index) => `    ${index === 0 ? '  ' : '→ '}${file}`);
  switch (reason.kind) {
    case 'own-file-changed':
    case 'imported-file-changed':
      if (reason.via && reason.via.length > 1) lines.push('  import chain:', ...chain(reason.via));
      if (reason.declarations?.length)
        lines.push(`  changed: ${describeDeclarations(reason.declarations, reason.file)}`);
      if (reason.kind === 'imported-file-changed' && reason.input) lines.push(`  ${reason.input}`);
      break;
    case 'dependency-project-changed':
      if (reason.input) lines.push(`  a file the build reads through its input ${reason.input}`);
      if (reason.via.length > 1) lines.push(`  project chain: ${reason.via.join(' → ')}`);
      break;
    case 'external-package-changed':
      if (reason.importedBy) lines.push(`  imported by ${reason.importedBy}`);
      break;
    case 'base-unavailable':
      lines.push(`  ${reason.hint}`);
      break;
    case 'analysis-uncertain':
      lines.push(`  ${reason.detail}`);
      if (reason.via && reason.via.length > 1) lines.push('  import chain:', ...chain(reason.via));
      break;
    default:
      break;
  }
  return lines;
}

/** A changed file a deployable imports but does not ship a change of, for `lockstep explain`. */
export function describeChangeNotShipped(change: ChangeNotShipped): string[] {
  const why =
    change.because === 'no-runtime-change'
      ? 'no change to its runtime code (comments, types or layout only)'
      : change.declarations?.length
        ? `changed ${describeDeclarations(change.declarations, change.file)}, which this deployable does not use`
        : 'changed, but nothing of it that this deployable uses';
  const lines = [`${change.file}: ${why}`];
  if (change.via.length > 1)
    lines.push('  import chain:', ...change.via.map((file, index) => `    ${index === 0 ? '  ' : '→ '}${file}`));
  return lines;
}

/** The sentence every variant starts with, so a reason reads the same on every surface. */
function headline(reason: Reason): string {
  switch (reason.kind) {
    case 'own-file-changed':
      return `own file changed: ${reason.file}`;
    case 'imported-file-changed':
      return `imported file changed: ${reason.file}`;
    case 'dependency-project-changed':
      return `dependency project ${reason.project} changed: ${reason.file}`;
    case 'external-package-changed':
      return `package ${reason.package} ${packageChange(reason.from, reason.to)} in ${reason.lockfile}`;
    case 'global-input-changed':
      return `global input changed: ${reason.file}${reason.detail ? ` (${reason.detail})` : ''}`;
    case 'never-deployed':
      return `never deployed to ${reason.env} (no marker)`;
    case 'base-unavailable':
      return `base ${/^[0-9a-f]{40}$/.test(reason.base) ? reason.base.slice(0, 12) : reason.base} unavailable`;
    case 'analysis-uncertain':
      return reason.file ? `analysis uncertain at ${reason.file}` : 'analysis uncertain';
    case 'forced':
      return 'forced (--force)';
  }
}

function packageChange(from: string | null, to: string | null): string {
  if (from && to) return `${from} → ${to}`;
  if (to) return `added at ${to}`;
  if (from) return `removed (was ${from})`;
  return 'changed';
}

function hops(via: string[]): string {
  return `${via.length - 1} import${via.length === 2 ? '' : 's'}`;
}

/**
 * Symbol precision's declaration ids in words. Besides declaration names the engine records
 * pseudo ids (core/symbols: MODULE_LOAD, PACKAGE_RESOLUTION, `export:` and `load:` hits); they
 * are matched as text here so a log line does not load the TypeScript-based symbol engine.
 */
/**
 * A declaration id as the result (JSON) names it: the engine's internal ids (`#4`, `#load`,
 * `load:./x`) become words a reader can use, statements numbered from 1 as in the text output.
 * Names of declarations and `export:<name>` stay as they are.
 */
export function publicDeclarationId(id: string): string {
  if (id === '#load') return 'module-load';
  if (id === '#resolution') return 'package-resolution';
  if (id.startsWith('load:')) return `import:${id.slice('load:'.length)}`;
  const statement = /^#(\d+)$/.exec(id);
  return statement ? `statement-${Number(statement[1]) + 1}` : id;
}

export function describeDeclaration(id: string, file = ''): string {
  if (id === 'module-load') return "the module's side effects or load order";
  if (id === 'package-resolution') return 'which file an import of this package loads';
  if (id.startsWith('import:')) return `import of \`${id.slice('import:'.length)}\` added or removed`;
  const publicStatement = /^statement-(\d+)$/.exec(id);
  if (publicStatement) return `top-level statement ${publicStatement[1]} that runs on load`;
  if (id === '#load') return "the module's side effects or load order";
  if (id === '#resolution') return 'which file an import of this package loads';
  if (id.startsWith('export:')) return `export \`${id.slice('export:'.length)}\` now points elsewhere`;
  if (id.startsWith('load:')) return `import of \`${id.slice('load:'.length)}\` added or removed`;
  const statement = /^#(\d+)$/.exec(id);
  if (statement) return `top-level statement ${Number(statement[1]) + 1} that runs on load`;
  if (file === 'package.json' || file.endsWith('/package.json')) return `field \`${id}\``;
  return `\`${id}\``;
}

function describeDeclarations(ids: string[], file: string): string {
  return ids.map((id) => describeDeclaration(id, file)).join(', ');
}
