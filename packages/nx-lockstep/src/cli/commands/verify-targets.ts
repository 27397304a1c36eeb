/**
 * `lockstep verify-targets <project> --env <env>`: the projects of the deployable's own
 * dependency closure that changed since its marker for the environment, with the verify targets
 * each has (project precision: see docs/pipelines.md), so its pipeline runs
 * `nx run-many -t <targets> -p <projects>` with Nx's cache — or, with `--run`, runs it.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { analyzeVerifyScopes } from '../../adapters/verify/analyze-verify-scope';
import { runNx } from '../../adapters/verify/run-nx';
import { targetNameProblem } from '../../config/option-names';
import { runManyArgs } from '../../core/verify/verify-scope';
import { renderReport } from '../../report/reporters';
import { envOption, rootOption } from '../analysis-options';
import { CliError, type CliIo } from '../cli-io';
import { checkBaseRef, openWorkspace } from '../cli-workspace';

interface VerifyCliOptions {
  env: string;
  base?: string;
  head: string;
  targets?: string[];
  root?: string;
  json?: boolean;
  run?: boolean;
}

export function register(program: Command, io: CliIo, run: typeof runNx = runNx): void {
  program
    .command('verify-targets')
    .argument('<project>', 'the deployable whose pipeline verifies')
    .description("list the changed projects of a deployable's own dependency closure and their verify targets")
    .addOption(envOption("the environment whose deploy marker is the base (the pipeline's first)"))
    .option('--base <ref>', 'compare from this commit instead of the marker, e.g. origin/main~1')
    .option('--head <ref>', 'the commit to verify', 'HEAD')
    .addOption(targetsOption())
    .addOption(rootOption())
    .option('--json', 'print the scope as versioned JSON')
    .option('--run', 'then run `nx run-many -t <targets> -p <projects>` (nothing when nothing changed)')
    .action(async (project: string, options: VerifyCliOptions) => {
      const workspaceRoot = openWorkspace(options.root, io.cwd, options.base !== undefined ? [options.base] : []);
      if (options.base !== undefined) checkBaseRef(workspaceRoot, options.base);
      const scopes = await analyzeVerifyScopes({
        workspaceRoot,
        projects: [project],
        env: options.env,
        base: options.base,
        head: options.head,
        targets: options.targets,
        onWarning: (message) => io.stderr(`warning: ${message}\n`),
      });
      io.stdout(renderReport('verify', options.json ? 'json' : 'text', scopes));
      if (!options.run) return;
      const args = runManyArgs(scopes[0]);
      if (args.length === 0) return;
      io.stderr(`lockstep: running nx ${args.join(' ')}\n`);
      const code = run(workspaceRoot, args);
      if (code !== 0) throw new CliError(`nx ${args.join(' ')} failed (exit code ${code})`, 1);
    });
}

function targetsOption(): Option {
  return new Option(
    '--targets <names>',
    'comma-separated verify targets (default: the plugin option verifyTargets, else lint,test,typecheck,build)',
  ).argParser((value: string) => {
    const targets = value
      .split(',')
      .map((target) => target.trim())
      .filter(Boolean);
    if (targets.length === 0) throw new InvalidArgumentError('give at least one target, e.g. --targets lint,test');
    for (const target of targets) {
      const problem = targetNameProblem(target);
      if (problem) throw new InvalidArgumentError(`"${target}" is not ${problem}; e.g. --targets lint,test,build`);
    }
    return [...new Set(targets)];
  });
}
