import { spawn } from 'node:child_process';

/**
 * `nx run <project>:<target>` in a child process: unlike runExecutor, it runs the target's
 * dependsOn (build before deploy) through Nx's task runner, with its cache.
 */
export function runDeployTarget(
  workspaceRoot: string,
  project: string,
  target: string,
  env: Record<string, string>,
): Promise<boolean> {
  const nxBin = require.resolve('nx/bin/nx.js', { paths: [workspaceRoot] });
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [nxBin, 'run', `${project}:${target}`], {
      cwd: workspaceRoot,
      stdio: 'inherit',
      env: { ...process.env, ...colourEnv(process.env, process.stdout.isTTY === true), ...env },
    });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}

/**
 * Nx runs every task with FORCE_COLOR=true unless the user set it, so the inner `nx run` would
 * print colour codes into a CI log or a file. The task's own stdout says whether a terminal is
 * attached (Nx gives tasks a pseudo-terminal only when it has one): without one, colours are off
 * unless the user asked for them with another FORCE_COLOR value (e.g. FORCE_COLOR=1 for a CI log
 * viewer that renders them).
 */
export function colourEnv(env: NodeJS.ProcessEnv, isTerminal: boolean): Record<string, string> {
  if (isTerminal) return {};
  if (env.FORCE_COLOR === undefined || env.FORCE_COLOR === 'true') return { FORCE_COLOR: '0' };
  return {};
}
