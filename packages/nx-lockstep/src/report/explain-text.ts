import { describeChangeNotShipped, describeReason } from '../core/format-reason';
import type { AffectedResult } from '../core/result';
import type { ReportOptions } from './report-options';
import { explainedDecision } from './explained-decision';

/** `lockstep explain <project>`: one deployable's decision with every reason and import chain. */
export function explainText(result: AffectedResult, options: ReportOptions = {}): string {
  const decision = explainedDecision(result, options);
  const lines = [
    `${decision.project}: ${decision.affected ? 'AFFECTED — deploy' : 'not affected — no deploy needed'}`,
    `  base ${decision.base ?? '(none)'}  head ${result.head}  precision ${result.precision}`,
    '',
  ];
  if (decision.reasons.length === 0) lines.push('No change between base and head reaches what this deployable ships.');
  decision.reasons.forEach((reason, index) => {
    const [first, ...rest] = describeReason(reason);
    lines.push(`${index + 1}. ${first}`, ...rest.map((line) => `   ${line}`));
  });
  if (decision.changesNotShipped?.length) {
    lines.push('', `Changed, imported, but not shipped (${result.precision} precision):`);
    for (const change of decision.changesNotShipped) {
      const [first, ...rest] = describeChangeNotShipped(change);
      lines.push(`- ${first}`, ...rest.map((line) => `  ${line}`));
    }
  }
  for (const warning of result.warnings ?? []) lines.push(`warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}
