import type { Command } from 'commander';
import { describeChangeNotShipped, describeReason } from '../../core/format-reason';
import { addAnalysisOptions, type AnalysisCliOptions } from '../analysis-options';
import type { CliIo } from '../cli-io';
import { runAnalysis } from './affected';

/** `lockstep explain <project>`: one deployable's decision with every reason and import chain. */
export function register(program: Command, io: CliIo): void {
  addAnalysisOptions(
    program
      .command('explain')
      .argument('<project>', 'the deployable to explain')
      .description('explain why a deployable is, or is not, affected'),
  ).action(async (project: string, options: AnalysisCliOptions) => {
    const result = await runAnalysis(options, io, [project]);
    const decision = result.deployables[0];
    const lines = [
      `${decision.project}: ${decision.affected ? 'AFFECTED — deploy' : 'not affected — no deploy needed'}`,
      `  base ${decision.base ?? '(none)'}  head ${result.head}  precision ${result.precision}`,
      '',
    ];
    if (decision.reasons.length === 0)
      lines.push('No change between base and head reaches what this deployable ships.');
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
    io.stdout(`${lines.join('\n')}\n`);
  });
}
