import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/** Where commands write; injected so tests run `main` in-process and read what it printed. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  cwd: string;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  cwd: process.cwd(),
};

/** A failure a command reports with a message and an exit code (2 usage, 1 failure). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** The nearest folder at or above `from` with an nx.json. */
export function findWorkspaceRoot(from: string): string {
  let dir = resolve(from);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new CliError(`no nx.json found in ${from} or any parent folder: run lockstep inside an Nx workspace, or pass --root <dir>`, 2);
    dir = parent;
  }
}
