import { Command, CommanderError } from 'commander';
import type { FindContractChanges } from '../adapters/coupling/analyze-coupling';
import { describeFailure } from './cli-errors';
import { processIo, type CliIo } from './cli-io';
import { register as registerAffected } from './commands/affected';
import { register as registerExplain } from './commands/explain';
import { register as registerGraph } from './commands/graph';
import { register as registerHistory } from './commands/history';
import { register as registerReport } from './commands/report';
import { register as registerStatus } from './commands/status';
import { register as registerVerifyTargets } from './commands/verify-targets';

/**
 * The `lockstep` command line. Each command lives in commands/<name>.ts and registers itself;
 * exit codes (cli-errors.ts): 0 done, 1 the analysis failed, 2 usage error (a bad option or plugin
 * option, an unknown project, a missing --base), 3 a coupling gate (--fail-on) failed.
 */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const program = new Command('lockstep')
    .description('deploy each Nx deployable only when a change reaches it')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      // Every error reads `lockstep: …`, whether commander or a command found it.
      outputError: (message, write) => write(`lockstep: ${message.replace(/^error: /, '')}`),
    });
  registerAffected(program, io);
  registerExplain(program, io);
  registerStatus(program, io);
  registerReport(program, io, classifyContracts);
  registerGraph(program, io);
  registerHistory(program, io);
  registerVerifyTargets(program, io);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const failure = describeFailure(error);
    io.stderr(`lockstep: ${failure.message}\n`);
    return failure.exitCode;
  }
}

/** The package's own version; package.json sits two folders up from both src/cli and dist/cli. */
function packageVersion(): string {
  return (require('../../package.json') as { version: string }).version;
}

/**
 * The contracts classifier loads ts-morph's type checker: imported only when a report compares
 * contracts (a dynamic import, which Node and vitest both resolve), never on other commands.
 */
const classifyContracts: FindContractChanges = async (question) =>
  (await import('../adapters/coupling/classify-contracts.js')).classifyContracts(question);
