/**
 * How a failure reaches the user of the `lockstep` CLI: one line (or a few) naming the cause and
 * the fix, and an exit code — 0 done, 1 the analysis failed, 2 a usage error (a bad option,
 * command-line argument or plugin option in nx.json, an unknown project, a missing --base, an
 * unreadable baseline), 3 the coupling gate of `lockstep report --fail-on` failed. Never
 * a stack trace for a mistake the user can fix.
 */
import { AnalyzeUsageError } from '../adapters/analyze';
import { LockstepOptionsError } from '../config/options';
import { BaselineError } from '../core/coupling/baseline';
import { CliError } from './cli-io';

export interface CliFailure {
  message: string;
  /** 3: a coupling gate (`--fail-on`) failed; the report was printed. */
  exitCode: 1 | 2 | 3;
}

// Nx runs the plugin's createNodes in another process, so an invalid plugin option thrown there
// comes back as text ("- LockstepOptionsError: <message>\n    at …"): its first line is the message.
const OPTIONS_ERROR_IN_OUTPUT = /LockstepOptionsError: (.*)/;

export function describeFailure(error: unknown): CliFailure {
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof AnalyzeUsageError || error instanceof LockstepOptionsError || error instanceof BaselineError)
    return { message: error.message, exitCode: 2 };
  const message = error instanceof Error ? error.message : String(error);
  const optionsError = OPTIONS_ERROR_IN_OUTPUT.exec(message);
  if (optionsError) return { message: optionsError[1].trim(), exitCode: 2 };
  return { message, exitCode: 1 };
}
