import { describe, expect, it } from 'vitest';
import type { CliIo } from './cli-io';
import { progressReporter } from './progress';

function io(stderrIsTTY: boolean): CliIo & { err: string } {
  const out = { err: '', cwd: '/', stdout: () => undefined, stderrIsTTY } as CliIo & { err: string };
  out.stderr = (text) => void (out.err += text);
  return out;
}

describe('progressReporter', () => {
  it('on a terminal: one bar redrawn in place, cleared when done', () => {
    const terminal = io(true);
    const progress = progressReporter(terminal, 'replaying');
    progress.update(0, 4);
    progress.update(2, 4);
    progress.done();
    const frames = terminal.err.split('\r').filter(Boolean);
    expect(frames[0]).toMatch(/^replaying \[-{30}\] 0\/4 commits \d+\.\d s$/);
    expect(frames[1]).toMatch(/^replaying \[#{15}-{15}\] 2\/4 commits \d+\.\d s$/);
    expect(frames[2]).toBe('\x1b[2K');
    expect(terminal.err).not.toContain('\n');
  });

  it('elsewhere (a CI log): a plain line per tenth of the work and at the end', () => {
    const log = io(false);
    const progress = progressReporter(log, 'replaying');
    for (let done = 0; done <= 25; done++) progress.update(done, 25);
    progress.done();
    expect(
      log.err
        .split('\n')
        .filter(Boolean)
        .map((line) => line.replace(/ \(.*\)$/, '')),
    ).toEqual([0, 3, 6, 9, 12, 15, 18, 21, 24, 25].map((done) => `lockstep: replaying ${done}/25 commits`));
    expect(log.err).not.toContain('\r');
  });
});
