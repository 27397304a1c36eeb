/**
 * Where an Nx workspace sits inside its git repository. CI providers read pipelines at the
 * repository root (`.github/workflows`, `.gitlab-ci.yml`), so a workspace in a folder
 * (`repo/mono/nx.json`) needs its pipelines written there, with paths from there.
 */
import { spawnSync } from 'node:child_process';

/** 'mono' for `repo/mono`, '' at the repository root or outside any git repository. */
export function workspaceFolderInRepository(workspaceRoot: string): string {
  const out = spawnSync('git', ['rev-parse', '--show-prefix'], { cwd: workspaceRoot, encoding: 'utf8' });
  if (out.error || out.status !== 0) return '';
  return out.stdout.trim().replace(/\/+$/, '');
}

/** The Tree path (relative to the workspace) of a path relative to the repository root. */
export function fromRepositoryRoot(workspaceFolder: string): (path: string) => string {
  if (!workspaceFolder) return (path) => path;
  const up = workspaceFolder
    .split('/')
    .map(() => '..')
    .join('/');
  return (path) => `${up}/${path}`;
}
