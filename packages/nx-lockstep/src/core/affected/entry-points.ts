import { normalize } from '../resolve/workspace-paths';
import { isSourceFile, isTestFile } from '../extract/file-kinds';

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
