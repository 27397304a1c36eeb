import type { Command } from 'commander';
import { analyzeAffected } from '../../adapters/analyze';
import { analyzeFromMarkers } from '../../adapters/markers/analyze-from-markers';
import { summarizeReason } from '../../core/format-reason';
import type { AffectedResult } from '../../core/result';
import { addAnalysisOptions, type AnalysisCliOptions } from '../analysis-options';
import type { CliIo } from '../cli-io';
import { checkBaseRef, openWorkspace } from '../cli-workspace';

/** `lockstep affected`: every deployable, affected or not, with its first reason (or `--json`). */
export function register(program: Command, io: CliIo): void {
  addAnalysisOptions(
    program.command('affected').description('list the deployables a change reaches, with the reason for each'),
  )
    .option('--json', 'print the versioned JSON result (schema/affected-result.schema.json)')
    .action(async (options: AnalysisCliOptions & { json?: boolean }) => {
      const result = await runAnalysis(options, io);
      io.stdout(options.json ? `${JSON.stringify(result, null, 2)}\n` : formatTable(result));
    });
}

export async function runAnalysis(
  options: AnalysisCliOptions,
  io: CliIo,
  projects?: string[],
): Promise<AffectedResult> {
  const workspaceRoot = openWorkspace(options.root, io.cwd, options.base !== undefined ? [options.base] : []);
  if (options.base !== undefined) checkBaseRef(workspaceRoot, options.base);
  // Without --base, each deployable is compared from its own deploy marker for --env, settled by
  // the same marker decision as `lockstep status` and the executor.
  if (!options.base)
    return analyzeFromMarkers(
      {
        workspaceRoot,
        env: options.env,
        head: options.head,
        precision: options.precision,
        projects,
        onWarning: (message) => io.stderr(`warning: ${message}\n`),
      },
      analyzeAffected,
    );
  return analyzeAffected({
    workspaceRoot,
    base: options.base,
    head: options.head,
    env: options.env,
    precision: options.precision,
    projects,
  });
}

export function formatTable(result: AffectedResult): string {
  const rows = result.deployables.map((decision) => [
    decision.project,
    decision.affected ? 'yes' : 'no',
    decision.reasons[0]
      ? summarizeReason(decision.reasons[0]) +
        (decision.reasons.length > 1 ? ` (+${decision.reasons.length - 1} more)` : '')
      : '-',
  ]);
  const header = ['DEPLOYABLE', 'AFFECTED', 'REASON'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ');
  const affected = result.deployables.filter((decision) => decision.affected).length;
  const out = [
    `head ${result.head.slice(0, 12)}, precision ${result.precision}`,
    '',
    line(header),
    ...rows.map(line),
    '',
    `${affected} of ${result.deployables.length} deployable${result.deployables.length === 1 ? '' : 's'} affected`,
    ...(result.warnings ?? []).map((warning) => `warning: ${warning}`),
  ];
  return `${out.join('\n')}\n`;
}
