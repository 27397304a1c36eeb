/**
 * Which package.json files are Nx projects. Nx treats a package.json as a project only when the
 * package manager's workspaces list it (package.json "workspaces", pnpm-workspace.yaml,
 * lerna.json) or a project.json sits next to it; the workspace root's own package.json counts only
 * when it has an "nx" field. Inferring targets for any other package.json would make Nx invent a
 * project (or fail on a nameless one), so the plugin follows the same rule.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isGlobMatch } from '../config/glob-match';

export type PackageJsonMatcher = (packageJsonPath: string) => boolean;

export function packageJsonProjectMatcher(workspaceRoot: string): PackageJsonMatcher {
  if (process.env.NX_INFER_ALL_PACKAGE_JSONS === 'true') return () => true;
  const patterns = packageJsonProjectPatterns(workspaceRoot);
  const positive = patterns.filter((p) => !p.startsWith('!'));
  const negative = patterns.filter((p) => p.startsWith('!')).map((p) => p.slice(1));
  return (path) => isGlobMatch(path, positive) && !(negative.length > 0 && isGlobMatch(path, negative));
}

/** package.json globs, e.g. ["apps/*\/package.json", "!apps/legacy/package.json"]. */
export function packageJsonProjectPatterns(workspaceRoot: string): string[] {
  const rootPackageJson = readJson(join(workspaceRoot, 'package.json'));
  const patterns: string[] = [];
  const workspaces = rootPackageJson?.workspaces;
  patterns.push(...toStrings(Array.isArray(workspaces) ? workspaces : workspaces?.packages));
  const pnpm = join(workspaceRoot, 'pnpm-workspace.yaml');
  if (existsSync(pnpm)) {
    try {
      patterns.push(...toStrings(parseYaml(readFileSync(pnpm, 'utf-8'))?.packages));
    } catch {
      // Nx itself only warns on a broken pnpm-workspace.yaml; its package.json files are then not projects.
    }
  }
  const lerna = readJson(join(workspaceRoot, 'lerna.json'));
  if (lerna) patterns.push(...(toStrings(lerna.packages).length > 0 ? toStrings(lerna.packages) : ['packages/*']));

  const globs = patterns.map((pattern) => {
    const negated = pattern.startsWith('!');
    const body = (negated ? pattern.slice(1) : pattern).replace(/^\.\//, '').replace(/\/+$/, '');
    const glob = body.endsWith('package.json') ? body : `${body}/package.json`;
    return negated ? `!${glob}` : glob;
  });
  if (rootPackageJson?.nx) globs.push('package.json');
  return globs;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of unknown shape, narrowed where it is read
function readJson(path: string): any {
  try {
    return JSON.parse(readFileSync(path, 'utf-8'));
  } catch {
    return undefined;
  }
}

function toStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/**
 * The YAML library, loaded only for a pnpm workspace: the plugin is loaded by every Nx command,
 * and loading the library cost each one ~20 ms.
 */
function parseYaml(text: string): { packages?: unknown } | null | undefined {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('yaml') as typeof import('yaml')).parse(text) as { packages?: unknown } | null | undefined;
}
