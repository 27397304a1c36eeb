/**
 * The generated pipelines run `nx` and `lockstep` through a shell function that takes the
 * workspace's `node_modules/.bin` and falls back to npx: checked here with the real shells the
 * providers use (bash: GitHub, Azure, GitLab's shell executor; dash as `sh`: GitLab images), for
 * arguments with spaces and quotes, the exit status, and the fallback.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommand, installedCommand } from '../src/core/pipelines/verify-and-plan';

const SHELLS = ['bash', 'sh'].filter((shell) => spawnSync(shell, ['-c', 'true']).status === 0);

describe.each(SHELLS)('installedCommand in %s', (shell) => {
  let dir: string;
  let installed: string;
  let elsewhere: string;
  let fakeBin: string;

  /** A script that prints who ran it and each argument on a line, and exits with $EXIT. */
  const recorder = (file: string, name: string) => {
    writeFileSync(file, `#!/bin/sh\necho "${name}"\nfor a in "$@"; do echo "[$a]"; done\nexit "\${EXIT:-0}"\n`);
    chmodSync(file, 0o755);
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lockstep-installed-'));
    installed = join(dir, 'installed');
    mkdirSync(join(installed, 'node_modules', '.bin'), { recursive: true });
    recorder(join(installed, 'node_modules', '.bin', 'nx'), 'installed nx');
    elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    fakeBin = join(dir, 'bin');
    mkdirSync(fakeBin);
    recorder(join(fakeBin, 'npx'), 'npx');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const run = (cwd: string, script: string, env: Record<string, string> = {}) =>
    spawnSync(shell, ['-e', '-c', script], {
      cwd,
      encoding: 'utf8',
      env: { PATH: `${fakeBin}:/usr/bin:/bin`, LOCKSTEP_PROJECT: 'orders api "v2"', ...env },
    });

  it('runs the installed binary with every argument as written', () => {
    const out = run(installed, deployCommand('affected-deploy', 'staging'));
    expect(out.status).toBe(0);
    expect(out.stdout).toBe('installed nx\n[run]\n[orders api "v2":affected-deploy]\n[--env=staging]\n');
  });

  it('falls back to npx where node_modules/.bin has no such binary', () => {
    const out = run(elsewhere, installedCommand('lockstep', 'report --base "$LOCKSTEP_PROJECT"'));
    expect(out.status).toBe(0);
    expect(out.stdout).toBe('npx\n[lockstep]\n[report]\n[--base]\n[orders api "v2"]\n');
  });

  it("fails the step with the binary's exit status", () => {
    const out = run(installed, `${deployCommand('affected-deploy', 'staging')}\necho not reached`, { EXIT: '3' });
    expect(out.status).toBe(3);
    expect(out.stdout).not.toContain('not reached');
  });
});
