/**
 * Builds a tiny Nx workspace in a temporary folder with real git history: a bare `origin`
 * repository and a clone to work in. Tests write files, commit, and run the engine on it.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Lockstep Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Lockstep Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...GIT_ENV },
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export interface FixtureWorkspace {
  dir: string;
  root: string;
  origin: string;
  write(files: Record<string, string | null>): void;
  /** Writes (null deletes) and commits; returns the new sha. */
  commit(message: string, files: Record<string, string | null>): string;
  remove(): void;
}

export function createFixtureWorkspace(files: Record<string, string>): FixtureWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-engine-'));
  const origin = join(dir, 'origin.git');
  const root = join(dir, 'workspace');
  mkdirSync(root);
  git(dir, 'init', '--bare', '--initial-branch=main', origin);
  git(root, 'init', '--initial-branch=main');
  git(root, 'remote', 'add', 'origin', origin);
  const write = (entries: Record<string, string | null>) => {
    for (const [path, content] of Object.entries(entries)) {
      const file = join(root, path);
      if (content === null) rmSync(file, { force: true });
      else {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, content);
      }
    }
  };
  const commit = (message: string, entries: Record<string, string | null>) => {
    write(entries);
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '--allow-empty', '-m', message);
    git(root, 'push', '-q', 'origin', 'main');
    return git(root, 'rev-parse', 'HEAD');
  };
  commit('initial', { '.gitignore': '.nx/\nnode_modules/\n', ...files });
  return { dir, root, origin, write, commit, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A project.json with a deploy target, which makes the project a deployable. */
export function deployableProject(name: string, root: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    name,
    root,
    sourceRoot: `${root}/src`,
    projectType: 'application',
    targets: { deploy: { command: `echo deploy ${name}` }, ...extra },
  });
}

export function libraryProject(name: string, root: string): string {
  return JSON.stringify({ name, root, sourceRoot: `${root}/src`, projectType: 'library', targets: {} });
}

/** The fields every fixture's nx.json starts with: no analytics prompt, no cloud, `main` as base. */
const NX_JSON_HEADER = { analytics: false, neverConnectToCloud: true, defaultBase: 'main' };

export const NX_JSON = JSON.stringify({
  ...NX_JSON_HEADER,
  namedInputs: { default: ['{projectRoot}/**/*'] },
});

/** What create-nx-workspace's `production` leaves out: spec and test files. */
export const TEST_FILES_INPUT = '!{projectRoot}/**/?(*.)+(spec|test).[jt]s?(x)?(.snap)';

/**
 * An nx.json in the shape real workspaces have: `production` is `default` minus `excludes`, and
 * `default` takes `sharedGlobals` unless `sharedGlobals: false`. `extra` adds top-level fields.
 */
export function fixtureNxJson(options: {
  excludes: string[];
  targetDefaults: Record<string, unknown>;
  sharedGlobals?: boolean;
  extra?: Record<string, unknown>;
}): string {
  const shared = options.sharedGlobals ?? true;
  return JSON.stringify({
    ...NX_JSON_HEADER,
    ...options.extra,
    namedInputs: {
      default: shared ? ['{projectRoot}/**/*', 'sharedGlobals'] : ['{projectRoot}/**/*'],
      ...(shared ? { sharedGlobals: [] } : {}),
      production: ['default', ...options.excludes],
    },
    targetDefaults: options.targetDefaults,
  });
}
