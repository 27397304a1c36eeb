import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { analyzeAffected } from '../../adapters/analyze';
import { readMarkerBases } from '../../adapters/markers/marker-bases';
import { summarizeReason } from '../../core/format-reason';
import type { AffectedResult } from '../../core/result';
import { explainNoDeployables } from '../../plugin/no-deployables';
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
      // "0 of 0 affected" says nothing: say why nothing is deployable and how to declare one.
      const none = result.deployables.length === 0 ? noDeployables(options, io) : undefined;
      if (options.json) {
        io.stdout(`${JSON.stringify(result, null, 2)}\n`);
        if (none) io.stderr(`lockstep: ${none}\n`);
      } else io.stdout(none ? `${none}\n` : formatTable(result));
    });
}

export async function runAnalysis(
  options: AnalysisCliOptions,
  io: CliIo,
  projects?: string[],
): Promise<AffectedResult> {
  const workspaceRoot = openWorkspace(options.root, io.cwd, options.base !== undefined ? [options.base] : []);
  if (options.base !== undefined) checkBaseRef(workspaceRoot, options.base);
  // Without --base, each deployable is compared from its own deploy marker for --env (none: never deployed).
  const bases = options.base
    ? undefined
    : await readMarkerBases(workspaceRoot, {
        env: options.env,
        projects,
        onWarning: (message) => io.stderr(`warning: ${message}\n`),
      });
  return analyzeAffected({
    workspaceRoot,
    base: options.base,
    bases,
    head: options.head,
    env: options.env,
    precision: options.precision,
    projects,
  });
}

function noDeployables(options: AnalysisCliOptions, io: CliIo): string {
  const nxJsonPath = join(openWorkspace(options.root, io.cwd), 'nx.json');
  return explainNoDeployables(existsSync(nxJsonPath) ? JSON.parse(readFileSync(nxJsonPath, 'utf8')) : undefined);
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
