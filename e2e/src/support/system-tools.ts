import { spawnSync } from 'node:child_process';

/**
 * System programs some e2e need beyond Node and git. `npm ci && npm test` must pass on a machine
 * with Node and git only, so a missing tool skips the test that needs it with a message saying how
 * to get it; `.ci/run` installs the tools and sets LOCKSTEP_E2E_REQUIRE_TOOLS=1, which turns a
 * missing tool into a failure there (CI must run those tests for real).
 */
export interface SystemTool {
  name: string;
  /** Why the test needs it, for the skip message. */
  neededBy: string;
  install: string;
}

export const RSYNC: SystemTool = {
  name: 'rsync',
  neededBy: 'gitlab-ci-local copies the repository into its job folder with rsync',
  install: 'apt-get install rsync (Debian/Ubuntu), brew install rsync (macOS)',
};

/** Debian's Chromium (or LOCKSTEP_CHROMIUM), which playwright-core drives for the HTML graph tests. */
export const CHROMIUM: SystemTool = {
  name: process.env.LOCKSTEP_CHROMIUM ?? '/usr/bin/chromium',
  neededBy: 'the HTML graph is opened in a real browser, driven by playwright-core',
  install: 'apt-get install chromium (Debian/Ubuntu), or set LOCKSTEP_CHROMIUM to a Chromium binary',
};

export function hasTool(tool: SystemTool, env: NodeJS.ProcessEnv = process.env): boolean {
  const found = spawnSync(tool.name, ['--version'], { env, stdio: 'ignore' });
  return !found.error && found.status === 0;
}

/**
 * null when the tool is there; otherwise the skip message. Throws instead when the environment
 * requires every tool (LOCKSTEP_E2E_REQUIRE_TOOLS=1, set by .ci/run).
 */
export function missingToolMessage(tool: SystemTool, env: NodeJS.ProcessEnv = process.env): string | null {
  if (hasTool(tool, env)) return null;
  const message =
    `${tool.name} is not installed (${tool.neededBy}): this test is skipped. ` +
    `Install it to run it: ${tool.install}.`;
  if (env.LOCKSTEP_E2E_REQUIRE_TOOLS === '1') {
    throw new Error(`${message.replace(': this test is skipped.', '.')} LOCKSTEP_E2E_REQUIRE_TOOLS=1 requires it.`);
  }
  return message;
}
