import { statSync } from 'node:fs';

/**
 * The package version plus when this build was made (this module's modification time), so a
 * rebuilt engine never reuses what an earlier build remembered: the CLI's results and resolved
 * imports, and the Nx plugin's remembered resolutions. package.json sits two folders up from
 * src/adapters, dist/adapters and the CLI bundle (dist/cli/main.bundle.js) alike.
 */
export const BUILD_VERSION = `${(require('../../package.json') as { version: string }).version}+${buildStamp()}`;

function buildStamp(): number {
  try {
    return statSync(__filename).mtimeMs;
  } catch {
    return 0;
  }
}
