/**
 * `lockstep report [--base <ref>] [--head <ref>] [--format text|json|markdown|sarif]
 * [--fail-on <rules>] [--update-baseline]`: what still makes deployables deploy together
 * (docs/report.md). With --fail-on, exits 3 when a finding breaks a rule and the baseline
 * (lockstep-baseline.json) does not accept it.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { analyzeCoupling, type FindContractChanges } from '../../adapters/coupling/analyze-coupling';
import { readBaseline, updateBaseline } from '../../adapters/coupling/baseline-file';
import { BASELINE_FILE } from '../../core/coupling/baseline';
import { applyGate, baselineOf } from '../../core/coupling/gate';
import { FailOnError, parseFailOn, rulesFor, type FailOnRule } from '../../config/fail-on';
import { formatsOf, renderReport, type ReportFormat } from '../../report/reporters';
import { envOption, precisionOption, rootOption } from '../analysis-options';
import { CliError, type CliIo } from '../cli-io';
import { checkBaseRef, openWorkspace } from '../cli-workspace';
import { packageVersion } from '../package-version';

/** The exit code of a failed gate: distinct from 1 (the analysis failed) and 2 (usage error). */
export const GATE_FAILED_EXIT_CODE = 3;

interface ReportCliOptions {
  base?: string;
  head: string;
  env: string;
  precision?: 'project' | 'file' | 'symbol';
  root?: string;
  format: ReportFormat;
  failOn: FailOnRule[];
  updateBaseline?: boolean;
}

/** `findContractChanges`: the TypeScript contracts classifier, when the build has one. */
export function register(program: Command, io: CliIo, findContractChanges?: FindContractChanges): void {
  program
    .command('report')
    .description('report what makes deployables deploy together: imports between them, blast radius, contracts, cycles')
    .option('--base <ref>', 'compare from this commit: deploy decisions and contract changes (e.g. origin/main)')
    .option('--head <ref>', 'the commit to analyse', 'HEAD')
    .addOption(new Option('--format <format>', 'output format').choices(formatsOf('report')).default('text'))
    .addOption(
      new Option(
        '--fail-on <rules>',
        'exit 3 on findings the baseline does not accept: deployable-import, breaking-contract, blast-radius>N, cycle (comma-separated)',
      )
        .argParser(collectRules)
        .default([], 'none'),
    )
    .option('--update-baseline', `accept every current finding: rewrite the "report" key of ${BASELINE_FILE}`)
    .addOption(envOption('the environment of the deploy decisions'))
    .addOption(precisionOption())
    .addOption(rootOption())
    .action(async (options: ReportCliOptions) => {
      const workspaceRoot = openWorkspace(options.root, io.cwd, options.base !== undefined ? [options.base] : []);
      if (options.base !== undefined) checkBaseRef(workspaceRoot, options.base);
      const blastRule = options.failOn.find((rule) => rule.rule === 'blast-radius');
      const report = await analyzeCoupling(
        {
          workspaceRoot,
          base: options.base,
          head: options.head,
          env: options.env,
          precision: options.precision,
          blastRadiusThreshold: blastRule?.threshold,
        },
        findContractChanges,
      );
      if (options.updateBaseline) {
        const path = updateBaseline(workspaceRoot, 'report', baselineOf(report));
        io.stderr(`lockstep: wrote the report baseline to ${path} (${report.findings.length} findings accepted)\n`);
      }
      if (options.failOn.length > 0)
        report.gate = applyGate(report, options.failOn, readBaseline(workspaceRoot)?.report);
      io.stdout(renderReport('report', options.format, report, { toolVersion: packageVersion() }));
      if (report.gate?.failed)
        throw new CliError(
          `the coupling gate failed: ${report.gate.failures.length} finding${report.gate.failures.length === 1 ? '' : 's'} ` +
            `break --fail-on ${report.gate.rules.join(',')} and are not in ${BASELINE_FILE}. Fix them, or accept them with --update-baseline`,
          GATE_FAILED_EXIT_CODE,
        );
    });
}

/** Repeated --fail-on flags add up; a word the gate does not know is a usage error. */
function collectRules(value: string, previous: FailOnRule[]): FailOnRule[] {
  try {
    return rulesFor([...previous, ...parseFailOn(value)], 'report');
  } catch (error) {
    if (error instanceof FailOnError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}
