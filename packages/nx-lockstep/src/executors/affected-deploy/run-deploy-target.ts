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
      env: { ...process.env, ...env },
    });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
}
