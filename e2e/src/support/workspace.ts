import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { createExampleRepo, type ExampleCommit } from '../../../scripts/example-repo.mjs';
import { commitAll, git } from './git';
import { nx, nxJson, projectGraph, showProject, showProjects } from './nx';
import { E2E_HOME } from './paths';
import { packPlugin, REPO_NX_VERSION, REPO_ROOT } from './plugin';
import { run, type RunOptions, type RunResult } from './run';

export interface WorkspaceOptions {
  /** A short name for the folder, e.g. the test file's subject. */
  name?: string;
  /** Commit the scripted history after the initial import (default true). */
  withHistory?: boolean;
  /**
   * `'plugin'` (default): nx, typescript and the packed plugin are installed and committed as
   * "Add nx-lockstep". `'nx'`: only the example's own devDependencies (for `nx add` tests).
   * `false`: nothing installed.
   */
  install?: 'plugin' | 'nx' | false;
  /** Run `nx g nx-lockstep:init` and commit it as "Register nx-lockstep" (default false). */
  init?: boolean;
  /**
   * With `install: 'plugin'`: this nx version from npm instead of the example's (e.g. '22.5.2').
   * One install per version and tarball, shared by every workspace that asks for it.
   */
  nxVersion?: string;
}

export interface Workspace {
  root: string;
  /** The local bare repository that is `origin`. */
  origin: string;
  /** The example's commits, oldest first (before any commit this helper adds). */
  commits: ExampleCommit[];
  /** The packed plugin tarball, when installed. */
  tarball?: string;
  run(command: string | string[], options?: RunOptions): RunResult;
  nx(args: string[], options?: RunOptions): RunResult;
  nxJson<T = unknown>(args: string[], options?: RunOptions): T;
  git(...args: string[]): string;
  commitAll(message: string): string;
  /** Pushes HEAD to origin/main (the commits this helper adds are local until then). */
  push(): void;
  showProject: (name: string) => ReturnType<typeof showProject>;
  showProjects: (withTarget?: string) => string[];
  projectGraph: () => ReturnType<typeof projectGraph>;
  readJson<T = unknown>(path: string): T;
  read(path: string): string;
  /** Deletes the workspace and its origin, unless LOCKSTEP_E2E_KEEP=1. */
  remove(): void;
}

export const DEPLOYABLES = ['catalog-api', 'email-worker', 'orders-api', 'storefront'] as const;
export const LIBRARIES = [
  'catalog-search',
  'email-templates',
  'http-kit',
  'money',
  'orders-contracts',
  'shared-logger',
  'shared-utils',
] as const;

const NPM_INSTALL_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];

/**
 * Creates a git repository from examples/shop (see scripts/example-repo.mjs) in a new folder under
 * $TMPDIR/nx-lockstep-e2e, with `origin` a local bare repository, and installs nx and the packed
 * plugin into it. The npm install is done once per plugin tarball and copied (hard links) into
 * each workspace, so a workspace costs about a second. `origin/main` holds the example's history;
 * the "Add nx-lockstep" / "Register nx-lockstep" commits stay local until `ws.push()`.
 */
export function createWorkspaceFromExample(options: WorkspaceOptions = {}): Workspace {
  const { name = 'shop', withHistory = true, install = 'plugin', init = false, nxVersion } = options;
  mkdirSync(E2E_HOME, { recursive: true });
  const root = mkdtempSync(join(E2E_HOME, `ws-${name}-`));
  const repo = createExampleRepo({ dir: root, withHistory });
  let tarball: string | undefined;

  if (install === 'nx') {
    run(['npm', 'install', ...NPM_INSTALL_FLAGS], { cwd: root });
  } else if (install === 'plugin') {
    const packed = packPlugin();
    tarball = packed.tarball;
    const template = installTemplate(packed.tarball, packed.hash, nxVersion);
    copyNodeModules(join(template, 'node_modules'), join(root, 'node_modules'));
    for (const file of ['package.json', 'package-lock.json']) cpSync(join(template, file), join(root, file));
    commitAll(root, 'Add nx-lockstep');
  }

  const workspace: Workspace = {
    root,
    origin: repo.origin,
    commits: repo.commits,
    tarball,
    run: (command, runOptions = {}) => run(command, { cwd: root, ...runOptions }),
    nx: (args, runOptions) => nx(root, args, runOptions),
    nxJson: (args, runOptions) => nxJson(root, args, runOptions),
    git: (...args) => git(root, ...args),
    commitAll: (message) => commitAll(root, message),
    push: () => void git(root, 'push', '-q', 'origin', 'HEAD:main'),
    showProject: (project) => showProject(root, project),
    showProjects: (withTarget) => showProjects(root, withTarget),
    projectGraph: () => projectGraph(root),
    readJson: (path) => JSON.parse(readFileSync(join(root, path), 'utf8')),
    read: (path) => readFileSync(join(root, path), 'utf8'),
    remove: () => {
      if (process.env.LOCKSTEP_E2E_KEEP === '1') return;
      rmSync(root, { recursive: true, force: true });
      rmSync(repo.origin, { recursive: true, force: true });
    },
  };

  if (init) {
    workspace.nx(['g', 'nx-lockstep:init', '--no-interactive']);
    workspace.commitAll('Register nx-lockstep');
  }
  return workspace;
}

/**
 * A folder with the example's package.json and `npm install`ed nx, typescript and the tarball,
 * keyed by the tarball, the example's package.json and the nx version asked for. Built in a
 * private folder and renamed into place, so concurrent test processes never see a half-done install.
 */
function installTemplate(tarball: string, tarballHash: string, nxVersion?: string): string {
  const examplePackageJson = JSON.parse(readFileSync(join(REPO_ROOT, 'examples', 'shop', 'package.json'), 'utf8'));
  examplePackageJson.devDependencies.nx = nxVersion ?? REPO_NX_VERSION;
  const packageJsonText = `${JSON.stringify(examplePackageJson, null, 2)}\n`;
  const key = createHash('sha256')
    .update(tarballHash)
    .update(packageJsonText)
    .update(process.version)
    .digest('hex')
    .slice(0, 16);
  const template = join(E2E_HOME, `install-${key}`);
  if (existsSync(join(template, 'node_modules', 'nx-lockstep', 'package.json'))) {
    utimesSync(template, new Date(), new Date()); // marks it in use for pruneOldInstalls
    return template;
  }

  pruneOldInstalls();
  const staging = mkdtempSync(join(E2E_HOME, `.install-${key}-`));
  writeFileSync(join(staging, 'package.json'), packageJsonText);
  // The relative path npm records (../tarballs/<hash>/…) holds in every ws-* folder too.
  run(['npm', 'install', '-D', ...NPM_INSTALL_FLAGS, relative(staging, tarball)], { cwd: staging });
  try {
    renameSync(staging, template);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another process won the race
  }
  return template;
}

function copyNodeModules(from: string, to: string): void {
  // Hard links are fast and take no space; fall back to a real copy across file systems.
  const linked = run(['cp', '-al', from, to], { allowFailure: true });
  if (linked.code !== 0) {
    rmSync(to, { recursive: true, force: true });
    cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  }
}

/**
 * Each plugin build makes a new ~100 MB install: drop installs unused for an hour and leftovers
 * (kept workspaces, interrupted packs and installs) older than a day, so $TMPDIR does not fill up.
 */
function pruneOldInstalls(): void {
  const now = Date.now();
  for (const entry of readdirSync(E2E_HOME)) {
    const maxAgeMs = /^install-/.test(entry)
      ? 3600_000
      : /^(ws-|\.install-|\.pack-)/.test(entry)
        ? 24 * 3600_000
        : undefined;
    if (maxAgeMs === undefined) continue;
    const path = join(E2E_HOME, entry);
    try {
      if (now - statSync(path).mtimeMs > maxAgeMs) rmSync(path, { recursive: true, force: true });
    } catch {
      // removed by a concurrent run meanwhile
    }
  }
}
