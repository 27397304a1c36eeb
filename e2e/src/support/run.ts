import { spawnSync } from 'node:child_process';

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Return a failed result instead of throwing. */
  allowFailure?: boolean;
  input?: string;
  timeoutMs?: number;
}

export interface RunResult {
  command: string;
  code: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for assertions on what a person sees. */
  output: string;
}

/**
 * Runs a command and waits for it. A string runs through bash (pipes, globs); an array runs the
 * program directly, without a shell. Throws on a non-zero exit unless `allowFailure` is set, with
 * the command, cwd and both streams in the message so a failing e2e says why.
 */
export function run(command: string | string[], options: RunOptions = {}): RunResult {
  const [program, args] = typeof command === 'string' ? ['bash', ['-c', command]] : [command[0]!, command.slice(1)];
  const shown = typeof command === 'string' ? command : command.join(' ');
  const result = spawnSync(program, args, {
    cwd: options.cwd,
    env: options.env ?? process.env,
    input: options.input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: options.timeoutMs ?? 300_000,
  });
  if (result.error) throw new Error(`${shown}: ${result.error.message}`);
  const stdout = result.stdout ?? '';
  const stderr = result.stderr ?? '';
  const code = result.status ?? 1;
  if (code !== 0 && !options.allowFailure) {
    throw new Error(
      `Command failed (exit ${code}) in ${options.cwd ?? process.cwd()}:\n$ ${shown}\n--- stdout\n${stdout}\n--- stderr\n${stderr}`,
    );
  }
  return { command: shown, code, stdout, stderr, output: `${stdout}${stderr}` };
}
