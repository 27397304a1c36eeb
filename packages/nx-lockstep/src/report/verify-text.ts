import { formatReasonLine } from '../core/format-reason';
import { runManyArgs, type VerifyScope } from '../core/verify/verify-scope';
import type { ReportOptions } from './report-options';

/** `lockstep verify-targets`: per deployable, why its closure is verified, each project with its targets, the command. */
export function verifyText(scopes: VerifyScope[], _options: ReportOptions = {}): string {
  return `${scopes.map(verifyBlock).join('\n')}`;
}

function verifyBlock(scope: VerifyScope): string {
  const since = scope.base ? `since ${scope.base.slice(0, 8)}` : 'never deployed';
  const lines = [`${scope.project}: verify ${since} (head ${scope.head.slice(0, 8)}, precision project)`];
  if (scope.projects.length === 0) {
    lines.push(
      scope.reasons.length === 0
        ? `  nothing to verify: no project of its closure changed`
        : `  nothing to verify: no changed project of its closure has a target among ${scope.targets.join(', ')}`,
    );
    return `${lines.join('\n')}\n`;
  }
  for (const reason of scope.reasons.slice(0, 5)) lines.push(`  - ${formatReasonLine(reason)}`);
  if (scope.reasons.length > 5) lines.push(`  - … ${scope.reasons.length - 5} more`);
  const width = Math.max(7, ...scope.projects.map((entry) => entry.project.length));
  lines.push('', `  ${'PROJECT'.padEnd(width)}  TARGETS`);
  for (const entry of scope.projects) lines.push(`  ${entry.project.padEnd(width)}  ${entry.targets.join(', ')}`);
  if (scope.withoutTargets.length > 0)
    lines.push(`  (changed, none of the targets: ${scope.withoutTargets.join(', ')})`);
  lines.push('', `  nx ${runManyArgs(scope).join(' ')}`);
  return `${lines.join('\n')}\n`;
}
