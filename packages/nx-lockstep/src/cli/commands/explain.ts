import type { Command } from 'commander';
import { renderReport } from '../../report/reporters';
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
  )
    .option('--json', 'print the decision as the versioned JSON result (schema/affected-result.schema.json)')
    .action(async (project: string, options: AnalysisCliOptions & { json?: boolean }) => {
      const result = await runAnalysis(options, io, [project]);
      io.stdout(renderReport('explain', options.json ? 'json' : 'text', result, { project }));
    });
}
