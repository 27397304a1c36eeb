/** Where commands write; injected so tests run `main` in-process and read what it printed. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
  /** Whether stderr is a terminal (a progress bar redraws there; elsewhere it prints lines). */
  stderrIsTTY?: boolean;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
  stderrIsTTY: process.stderr.isTTY === true,
};

/** A failure a command reports with a message and an exit code (2 usage, 1 failure, 3 a failed --fail-on gate). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 | 3,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
