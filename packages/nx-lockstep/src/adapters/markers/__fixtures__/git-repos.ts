/**
 * Real git repositories for marker tests: a bare `origin` and clones of it, in a temp folder.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const IDENTITY = {
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
};

export function sh(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...IDENTITY },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export interface Repos {
  dir: string;
  origin: string;
  /** A clone with one commit on main, pushed to origin. */
  main: string;
  clone(name: string, ...cloneArgs: string[]): string;
  commit(repo: string, file: string, content: string): string;
  remove(): void;
}

export function createRepos(): Repos {
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-markers-'));
  const origin = join(dir, 'origin.git');
  sh(dir, 'init', '-q', '--bare', '-b', 'main', origin);
  const main = join(dir, 'main');
  sh(dir, 'init', '-q', '-b', 'main', main);
  sh(main, 'remote', 'add', 'origin', origin);
  const commit = (repo: string, file: string, content: string) => {
    mkdirSync(dirname(join(repo, file)), { recursive: true });
    writeFileSync(join(repo, file), content);
    sh(repo, 'add', '-A');
    sh(repo, 'commit', '-q', '-m', `edit ${file}`);
    return sh(repo, 'rev-parse', 'HEAD');
  };
  commit(main, 'README.md', 'start\n');
  sh(main, 'push', '-q', 'origin', 'main');
  return {
    dir,
    origin,
    main,
    commit,
    clone: (name, ...cloneArgs) => {
      const target = join(dir, name);
      sh(dir, 'clone', '-q', ...cloneArgs, `file://${origin}`, target);
      return target;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
