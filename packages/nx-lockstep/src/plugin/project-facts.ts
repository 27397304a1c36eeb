/**
 * Reads, for one project root on disk, what deployable inference needs: the project's name, tags,
 * own targets and candidate marker files. Also returns the raw inputs, so the caller can hash them
 * for the inference cache.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseJson as parseJsonc } from 'nx/src/devkit-exports';
import type { ProjectFacts } from './infer-deployable';

export interface ProjectConfigFiles {
  root: string;
  /** Workspace-relative paths of the config files that define this project. */
  projectJson?: string;
  packageJson?: string;
}

export interface ReadProjectFacts {
  facts: ProjectFacts;
  /** Everything the inference depends on besides options: config file texts and the file list. */
  hashInputs: string[];
}

export function readProjectFacts(
  workspaceRoot: string,
  config: ProjectConfigFiles,
  markerGlobs: readonly string[],
): ReadProjectFacts {
  const projectJsonText = config.projectJson
    ? readFileSync(join(workspaceRoot, config.projectJson), 'utf-8')
    : undefined;
  const packageJsonText = config.packageJson
    ? readFileSync(join(workspaceRoot, config.packageJson), 'utf-8')
    : undefined;
  const projectJson = projectJsonText === undefined ? undefined : parseJson(projectJsonText, config.projectJson!);
  const packageJson = packageJsonText === undefined ? undefined : parseJson(packageJsonText, config.packageJson!);
  const nx = isRecord(packageJson?.nx) ? packageJson.nx : {};

  const name = firstString(projectJson?.name, nx.name, packageJson?.name) ?? defaultName(workspaceRoot, config.root);
  const tags = [...strings(projectJson?.tags), ...strings(nx.tags)];
  const ownTargets = [
    ...Object.keys(isRecord(projectJson?.targets) ? projectJson.targets : {}),
    ...Object.keys(isRecord(nx.targets) ? nx.targets : {}),
    ...packageScripts(packageJson, nx),
  ];
  const files = candidateMarkerFiles(join(workspaceRoot, config.root), markerGlobs);
  return {
    facts: { name, root: config.root, tags, ownTargets: [...new Set(ownTargets)], files },
    hashInputs: [config.root, projectJsonText ?? '', packageJsonText ?? '', files.join('\n')],
  };
}

/**
 * The files directly in the root (where default markers live), plus files matched by user globs
 * that reach into sub-folders (e.g. `deploy/Dockerfile`). A marker in a nested folder counts only
 * through such a glob.
 */
function candidateMarkerFiles(rootDir: string, markerGlobs: readonly string[]): string[] {
  const direct = readdirSync(rootDir, { withFileTypes: true })
    .filter((entry) => entry.isFile() || entry.isSymbolicLink())
    .map((entry) => entry.name);
  const nestedGlobs = markerGlobs.filter((glob) => glob.includes('/'));
  const nested =
    nestedGlobs.length > 0
      ? // Loaded only for such globs: the plugin is loaded by every Nx command (~20 ms each).
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        (require('tinyglobby') as typeof import('tinyglobby')).globSync(nestedGlobs, {
          cwd: rootDir,
          dot: true,
          onlyFiles: true,
          ignore: ['**/node_modules/**'],
        })
      : [];
  return [...new Set([...direct, ...nested])].sort();
}

// Nx runs package.json scripts as targets, unless "nx.includedScripts" narrows them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of unknown shape, narrowed where it is read
function packageScripts(packageJson: any, nx: Record<string, any>): string[] {
  const scripts = Object.keys(isRecord(packageJson?.scripts) ? packageJson.scripts : {});
  return Array.isArray(nx.includedScripts) ? scripts.filter((s) => nx.includedScripts.includes(s)) : scripts;
}

function defaultName(workspaceRoot: string, root: string): string {
  return (root === '.' ? basename(workspaceRoot) : basename(root)).toLowerCase();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of unknown shape, narrowed where it is read
function parseJson(text: string, file: string): any {
  try {
    return parseJsonc(text); // project.json may hold comments, as Nx allows
  } catch (error) {
    throw new Error(`nx-lockstep: cannot read ${file}: ${(error as Error).message}`, { cause: error });
  }
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((v): v is string => typeof v === 'string' && v !== '');
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of unknown shape, narrowed where it is read
function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
