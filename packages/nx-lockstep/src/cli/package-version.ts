/**
 * The package's own version. package.json sits two folders up from src/cli and dist/cli, and from
 * the CLI bundle (dist/cli/main.bundle.js) that inlines every command: keep this module here.
 */
export function packageVersion(): string {
  return (require('../../package.json') as { version: string }).version;
}
