import { probe, joinPath, normalize } from '../resolve/workspace-paths';
import { isSourceFile, isTestFile } from '../extract/file-kinds';

export interface EntryPointSource {
  root: string;
  /** Target name → its options (from the Nx project graph). */
  targets: Record<string, { options?: Record<string, unknown> }>;
  /** The project's package.json, parsed, if it has one. */
  packageJson?: { main?: unknown; module?: unknown };
}

const ENTRY_OPTIONS = ['main', 'entry', 'entryFile', 'browser', 'server', 'input'];
const ENTRY_ARRAY_OPTIONS = ['additionalEntryPoints', 'entryPoints', 'entries'];
const CONVENTIONAL = ['src/main', 'src/index', 'src/server', 'main', 'index', 'server'];

/**
 * The entry points of a deployable, first found wins: the `entryPoints` plugin option, the
 * options of its build target(s) (`main`, `entry`, …), its package.json `main`, then
 * `src/main|index|server`. Entries that name no file are returned as given so the caller can
 * report them rather than silently ship nothing.
 */
export function findEntryPoints(
  source: EntryPointSource,
  files: ReadonlySet<string>,
  configured?: readonly string[],
): string[] {
  if (configured && configured.length > 0) return configured.map((file) => normalize(file) ?? file);
  const fromTargets = new Set<string>();
  for (const [name, target] of Object.entries(source.targets)) {
    if (!/build|bundle|compile|serve|esbuild|webpack|vite|rollup|tsc/i.test(name)) continue;
    const options = target.options ?? {};
    for (const key of ENTRY_OPTIONS) addOption(options[key], fromTargets);
    for (const key of ENTRY_ARRAY_OPTIONS) addOption(options[key], fromTargets);
  }
  const resolved = [...fromTargets].map((entry) => resolveEntry(entry, source.root, files));
  if (resolved.length > 0) return resolved;
  for (const main of [source.packageJson?.main, source.packageJson?.module]) {
    if (typeof main !== 'string') continue;
    const file =
      probe(normalize(joinPath(source.root, main)) ?? main, files) ?? probeBuiltSource(main, source.root, files);
    if (file) return [file];
  }
  for (const candidate of CONVENTIONAL) {
    const file = probe(joinPath(source.root, candidate), files);
    if (file && file.startsWith(source.root)) return [file];
  }
  return [];
}

function addOption(value: unknown, into: Set<string>): void {
  if (typeof value === 'string' && /\.[cm]?[jt]sx?$/.test(value)) into.add(value.replace(/^\.\//, ''));
  else if (Array.isArray(value))
    for (const item of value)
      addOption(
        typeof item === 'object' && item
          ? ((item as { entryPath?: unknown; input?: unknown }).entryPath ?? (item as { input?: unknown }).input)
          : item,
        into,
      );
  else if (value && typeof value === 'object') for (const item of Object.values(value)) addOption(item, into);
}

/** Build options are workspace-relative (Nx convention), or sometimes project-relative. */
function resolveEntry(entry: string, root: string, files: ReadonlySet<string>): string {
  const workspaceRelative = entry.replace('{projectRoot}/', root ? `${root}/` : '').replace('{workspaceRoot}/', '');
  return probe(workspaceRelative, files) ?? probe(joinPath(root, workspaceRelative), files) ?? workspaceRelative;
}

function probeBuiltSource(main: string, root: string, files: ReadonlySet<string>): string | undefined {
  const match = /^(?:\.\/)?(?:dist|build|lib|out)\/(.*?)(?:\.(?:js|mjs|cjs))?$/.exec(main);
  return match ? probe(joinPath(root, `src/${match[1]}`), files) : undefined;
}

/** Tooling configs that never run in the deployed artifact: not entry points (they still count as own files). */
const TOOL_CONFIG =
  /(^|\/)(?:(?:jest|vitest|eslint|playwright|cypress|karma|stylelint|prettier|commitlint|lint-staged|jest\.preset)\.config|\.eslintrc|jest\.preset)\.[^/]+$/;

/**
 * A deployable's entry points for reaching libraries: all of its own non-test source files
 * (DESIGN.md: its own root ships whole; frameworks reach its files by convention), except
 * tooling configs (jest, eslint, …). `owns` says whether a file belongs to the deployable and
 * not to a project nested in its root. The `entryPoints` plugin option, when set, wins.
 */
export function ownEntryPoints(
  root: string,
  files: Iterable<string>,
  owns: (file: string) => boolean,
  configured?: readonly string[],
): string[] {
  if (configured && configured.length > 0) return configured.map((file) => normalize(file) ?? file);
  const prefix = root === '' || root === '.' ? '' : `${root}/`;
  const entries: string[] = [];
  for (const file of files) {
    if (!file.startsWith(prefix) || !isSourceFile(file) || isTestFile(file) || TOOL_CONFIG.test(file)) continue;
    if (owns(file)) entries.push(file);
  }
  return entries.sort();
}
