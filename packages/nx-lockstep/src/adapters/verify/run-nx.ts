import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/**
 * Runs the workspace's own `nx` with an argument array (never a shell, so project names cannot
 * be read as shell syntax), its output going straight to this process's, and returns its exit code.
 */
export function runNx(workspaceRoot: string, args: string[]): number {
  const requireFromWorkspace = createRequire(join(workspaceRoot, 'package.json'));
  let bin: string;
  try {
    bin = requireFromWorkspace.resolve('nx/bin/nx.js');
  } catch {
    bin = require.resolve('nx/bin/nx.js');
  }
  const result = spawnSync(process.execPath, [bin, ...args], { cwd: workspaceRoot, stdio: 'inherit' });
  if (result.error) throw new Error(`nx ${args.join(' ')} could not run: ${result.error.message}`);
  return result.status ?? 1;
}
