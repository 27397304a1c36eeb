import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { run } from './run';

/** Runs git in `cwd` and returns its trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return run(['git', ...args], { cwd }).stdout.trim();
}

export function headSha(cwd: string, ref = 'HEAD'): string {
  return git(cwd, 'rev-parse', ref);
}

/** Writes files (workspace-relative path → content), creating folders. */
export function writeFiles(cwd: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(cwd, path)), { recursive: true });
    writeFileSync(join(cwd, path), content);
  }
}

/** Stages everything and commits; returns the new sha. */
export function commitAll(cwd: string, message: string): string {
  git(cwd, 'add', '-A');
  git(cwd, 'commit', '-q', '--allow-empty', '-m', message);
  return headSha(cwd);
}

/** Lists files changed in the working tree (porcelain), empty when clean. */
export function dirtyFiles(cwd: string): string[] {
  return git(cwd, 'status', '--porcelain').split('\n').filter(Boolean);
}
