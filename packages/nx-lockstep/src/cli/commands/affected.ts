import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { analyzeAffected } from '../../adapters/analyze';
import { analyzeFromMarkers } from '../../adapters/markers/analyze-from-markers';
import type { AffectedResult } from '../../core/result';
import { explainNoDeployables } from '../../plugin/no-deployables';
import { addAnalysisOptions, type AnalysisCliOptions } from '../analysis-options';
import type { CliIo } from '../cli-io';
import { renderReport } from '../../report/reporters';
import { checkBaseRef, openWorkspace } from '../cli-workspace';

/** `lockstep affected`: every deployable, affected or not, with its first reason (or `--json`). */
export function register(program: Command, io: CliIo): void {
  addAnalysisOptions(
    program.command('affected').description('list the deployables a change reaches, with the reason for each'),
  )
    .option('--json', 'print the versioned JSON result (schema/affected-result.schema.json)')
    .addOption(
      new Option('--format <format>', 'text, json or markdown (a pull-request comment)').choices([
        'text',
        'json',
        'markdown',
      ]),
    )
    .action(async (options: AnalysisCliOptions & { json?: boolean; format?: 'text' | 'json' | 'markdown' }) => {
      const result = await runAnalysis(options, io);
      // "0 of 0 affected" says nothing: say why nothing is deployable and how to declare one.
      const none = result.deployables.length === 0 ? noDeployables(options, io) : undefined;
      const format = options.json ? 'json' : (options.format ?? 'text');
      if (format !== 'text') {
        io.stdout(renderReport('affected', format, result));
        if (none)
          io.stderr(`lockstep: ${none}
`);
      } else
        io.stdout(
          none
            ? `${none}
`
            : renderReport('affected', 'text', result),
        );
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

function noDeployables(options: AnalysisCliOptions, io: CliIo): string {
  const nxJsonPath = join(openWorkspace(options.root, io.cwd), 'nx.json');
  return explainNoDeployables(existsSync(nxJsonPath) ? JSON.parse(readFileSync(nxJsonPath, 'utf8')) : undefined);
}
