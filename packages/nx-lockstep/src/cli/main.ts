import { Command, CommanderError } from 'commander';
import type { FindContractChanges } from '../adapters/coupling/analyze-coupling';
import { describeFailure } from './cli-errors';
import { processIo, type CliIo } from './cli-io';
import { packageVersion } from './package-version';

/**
 * Each command's module, loaded only when it runs (or for help and an unknown command, when all
 * are listed): `lockstep affected` never loads the graph renderer, the history replay or the
 * report's gates.
 */
const COMMANDS: Record<string, () => Promise<(program: Command, io: CliIo) => void>> = {
  affected: async () => (await import('./commands/affected.js')).register,
  explain: async () => (await import('./commands/explain.js')).register,
  status: async () => (await import('./commands/status.js')).register,
  report: async () => {
    const { register } = await import('./commands/report.js');
    return (program, io) => register(program, io, classifyContracts);
  },
  graph: async () => (await import('./commands/graph.js')).register,
  history: async () => (await import('./commands/history.js')).register,
  'verify-targets': async () => (await import('./commands/verify-targets.js')).register,
};

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
  try {
    // The command named first is the one that runs; anything else (help, a typo) lists them all.
    const only = Object.hasOwn(COMMANDS, argv[0] ?? '') ? [argv[0]] : Object.keys(COMMANDS);
    for (const name of only) (await COMMANDS[name]())(program, io);
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    const failure = describeFailure(error);
    io.stderr(`lockstep: ${failure.message}\n`);
    return failure.exitCode;
  }
}

/**
 * The contracts classifier loads ts-morph's type checker: imported only when a report compares
 * contracts (a dynamic import, which Node and vitest both resolve), never on other commands.
 */
const classifyContracts: FindContractChanges = async (question) =>
  (await import('../adapters/coupling/classify-contracts.js')).classifyContracts(question);
