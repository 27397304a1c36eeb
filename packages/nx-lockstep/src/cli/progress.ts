import type { CliIo } from './cli-io';

const WIDTH = 30;

/**
 * Progress of a long command on stderr: a bar redrawn in place when stderr is a terminal, else a
 * plain line every tenth of the work (a CI log gets a dozen lines, not a thousand carriage returns).
 */
export function progressReporter(
  io: CliIo,
  label: string,
): { update(done: number, total: number): void; done(): void } {
  const started = Date.now();
  let drawn = false;
  let lastLine = -1;
  return {
    update(done, total) {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (io.stderrIsTTY) {
        const filled = total === 0 ? WIDTH : Math.round((done / total) * WIDTH);
        io.stderr(
          `\r${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${done}/${total} commits ${seconds} s`,
        );
        drawn = true;
        return;
      }
      const step = Math.max(1, Math.ceil(total / 10));
      if (done === lastLine || (done % step !== 0 && done !== total)) return;
      lastLine = done;
      io.stderr(`lockstep: ${label} ${done}/${total} commits (${seconds} s)\n`);
    },
    done() {
      // Clear the bar so the report starts on a clean line.
      if (drawn) io.stderr('\r\x1b[2K');
    },
  };
}
