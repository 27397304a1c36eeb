/**
 * `lockstep <argv>` in-process through `main(argv)`, its output captured: what the CLI tests
 * call. Importing it also sets Nx up for tests (no daemon, no cloud, CI output).
 */
import type { CliIo } from '../../src/cli/cli-io';
import { main } from '../../src/cli/main';

process.env.NX_DAEMON = 'false';
process.env.NX_ISOLATE_PLUGINS = 'false';
process.env.NX_NO_CLOUD = 'true';
process.env.CI = 'true';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCli(cwd: string, ...argv: string[]): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { cwd, stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}
