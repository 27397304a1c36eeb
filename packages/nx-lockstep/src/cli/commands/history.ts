/**
 * `lockstep history [--commits <n>] [--since <date>] [--format text|json|markdown]
 * [--fail-on <rules>] [--update-baseline]`: replays first-parent history with the engine and
 * reports deploys saved, lock-step groups with their causes, and drift; the gate compares the
 * groups with the `history` key of lockstep-baseline.json (exit 3 when it fails).
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { readBaseline, updateBaseline } from '../../adapters/coupling/baseline-file';
import { replayHistory } from '../../adapters/history/replay-history';
import { FailOnError, parseFailOn, rulesFor } from '../../config/fail-on';
import { BASELINE_FILE, BaselineError } from '../../core/coupling/baseline';
import { analyzeHistory } from '../../core/coupling/history-analysis';
import { historyBaseline, historyGate } from '../../core/coupling/history-gate';
import { DEFAULT_HISTORY_OPTIONS, type HistoryOptions } from '../../core/coupling/history-result';
import type { Precision } from '../../core/result';
import { formatsOf, renderReport, type ReportFormat } from '../../report/reporters';
import { precisionOption, rootOption } from '../analysis-options';
import { CliError, type CliIo } from '../cli-io';
import { openWorkspace } from '../cli-workspace';
import { progressReporter } from '../progress';

interface HistoryCliOptions extends Partial<HistoryOptions> {
  commits?: number;
  since?: string;
  format: ReportFormat;
  failOn?: string[];
  updateBaseline?: boolean;
  precision?: Precision;
  root?: string;
}

export function register(program: Command, io: CliIo): void {
  const d = DEFAULT_HISTORY_OPTIONS;
  program
    .command('history')
    .description(
      'replay first-parent history: deploys saved against Nx and lock-step, deployables that keep deploying together and why, drift',
    )
    .option(
      '--commits <n>',
      'replay at most this many commits (default 200, or all since --since)',
      positiveInteger('--commits', '--commits 50'),
    )
    .option('--since <date>', 'only commits after this date, e.g. 2026-01-01 or "3 months ago"', sinceDate)
    .addOption(new Option('--format <format>', 'output format').choices(formatsOf('history')).default('text'))
    .option(
      '--fail-on <rules>',
      'fail (exit 3) on new-lockstep-group and/or group-grew, against lockstep-baseline.json',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--update-baseline', `accept the current groups: write the history key of ${BASELINE_FILE}`)
    .addOption(precisionOption())
    .option(
      '--min-deploys <n>',
      `coupling: deploys each deployable needs (default ${d.minDeploys})`,
      positiveInteger('--min-deploys', '--min-deploys 5'),
    )
    .option(
      '--min-shared <n>',
      `coupling: commits deploying both (default ${d.minShared})`,
      positiveInteger('--min-shared', '--min-shared 5'),
    )
    .option(
      '--min-degree <ratio>',
      `coupling: shared ÷ mean deploys, 0-1 or a percentage (default ${d.minDegree})`,
      degree,
    )
    .option(
      '--max-deployables <n>',
      `coupling: ignore commits deploying more than this (default ${d.maxDeployables})`,
      positiveInteger('--max-deployables', '--max-deployables 30'),
    )
    .option(
      '--window <n>',
      `drift: commits per window (default ${d.window})`,
      positiveInteger('--window', '--window 50'),
    )
    .addOption(rootOption())
    .action(async (options: HistoryCliOptions) => {
      const rules = failOnRules(options.failOn);
      const workspaceRoot = openWorkspace(options.root, io.cwd);
      const baseline = readBaselineOrExplain(workspaceRoot);
      const progress = progressReporter(io, 'replaying');
      const replay = await replayHistory({
        workspaceRoot,
        commits: options.commits,
        since: options.since,
        precision: options.precision,
        onProgress: progress.update,
      });
      progress.done();
      const result = analyzeHistory(replay, {
        ...(options.minDeploys !== undefined ? { minDeploys: options.minDeploys } : {}),
        ...(options.minShared !== undefined ? { minShared: options.minShared } : {}),
        ...(options.minDegree !== undefined ? { minDegree: options.minDegree } : {}),
        ...(options.maxDeployables !== undefined ? { maxDeployables: options.maxDeployables } : {}),
        ...(options.window !== undefined ? { window: options.window } : {}),
      });
      const groups = result.groups.map((group) => group.deployables);
      if (rules.length > 0) result.gate = historyGate(groups, rules, baseline?.history);
      io.stdout(renderReport('history', options.format, result));
      if (options.updateBaseline) {
        const path = updateBaseline(workspaceRoot, 'history', historyBaseline(groups));
        io.stderr(
          `lockstep: wrote the history key of ${path} (${groups.length} group${groups.length === 1 ? '' : 's'})\n`,
        );
        // Accepting the current groups is what --update-baseline asks: the gate does not fail the run.
        return;
      }
      if (result.gate && !result.gate.passed)
        throw new CliError(
          `the coupling gate failed: ${result.gate.findings.map((finding) => finding.message).join('; ')}. ` +
            `Fix the coupling, or accept it with lockstep history --update-baseline (commit ${BASELINE_FILE}).`,
          3,
        );
    });
}

function failOnRules(values: string[] | undefined): string[] {
  if (!values) return [];
  try {
    return rulesFor(parseFailOn(values), 'history').map((rule) => rule.rule);
  } catch (error) {
    if (error instanceof FailOnError) throw new CliError(error.message, 2);
    throw error;
  }
}

function readBaselineOrExplain(workspaceRoot: string) {
  try {
    return readBaseline(workspaceRoot);
  } catch (error) {
    if (error instanceof BaselineError) throw new CliError(error.message, 2);
    throw error;
  }
}

function positiveInteger(option: string, example: string) {
  return (value: string): number => {
    const number = Number(value);
    if (!Number.isInteger(number) || number <= 0)
      throw new InvalidArgumentError(`${option} takes a positive whole number, e.g. ${example}`);
    return number;
  };
}

function degree(value: string): number {
  const percentage = /^(\d+(?:\.\d+)?)\s*%$/.exec(value);
  const number = percentage ? Number(percentage[1]) / 100 : Number(value);
  if (!Number.isFinite(number) || number < 0 || number > 1)
    throw new InvalidArgumentError(
      '--min-degree takes a ratio from 0 to 1 or a percentage, e.g. --min-degree 0.3 or --min-degree 30%',
    );
  return number;
}

/** Dates git's --since understands that we can check: a calendar date or "<n> <unit>s ago". */
const RELATIVE = /^\d+[ .](second|minute|hour|day|week|month|year)s?[ .]ago$/;

function sinceDate(value: string): string {
  if (RELATIVE.test(value.trim()) || !Number.isNaN(Date.parse(value))) return value;
  throw new InvalidArgumentError(`--since takes a date, e.g. --since 2026-01-01 or --since "3 months ago"`);
}
