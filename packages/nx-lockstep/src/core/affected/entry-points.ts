import { normalize } from '../resolve/workspace-paths';
import { isSourceFile, isStoryFile, isTestFile } from '../extract/file-kinds';

/** Tooling configs that never run in the deployed artifact: not entry points (they still count as own files). */
export const TOOL_CONFIG =
  /(^|\/)(?:(?:jest|vitest|eslint|playwright|cypress|karma|stylelint|prettier|commitlint|lint-staged|jest\.preset)\.config|\.eslintrc|jest\.preset)\.[^/]+$/;

/** A tooling config (jest, eslint, …): never part of what a project ships at run time. */
export function isToolConfig(file: string): boolean {
  return TOOL_CONFIG.test(file);
}

/**
 * A deployable's entry points for reaching libraries: all of its own non-test source files
 * (DESIGN.md: its own root ships whole; frameworks reach its files by convention), except
 * tooling configs (jest, eslint, …) and files its build inputs exclude (`ships`: code-pushup's
 * `production` leaves out `code-pushup.config.ts`, which imports every plugin library), and its
 * stories when it is a Storybook. An excluded file that a shipped one imports is still reached
 * from that one. `owns` says whether a file belongs to the deployable and not to a project nested
 * in its root. The `entryPoints` plugin option, when set, wins. `known.storybook`: whether the
 * root holds a `.storybook/` config, when the caller knows (then `files` may be the project's own).
 */
export function ownEntryPoints(
  root: string,
  files: Iterable<string>,
  owns: (file: string) => boolean,
  configured?: readonly string[],
  ships: (file: string) => boolean = () => true,
  known: { storybook?: boolean } = {},
): string[] {
  if (configured && configured.length > 0) return configured.map((file) => normalize(file) ?? file);
  const prefix = root === '' || root === '.' ? '' : `${root}/`;
  const entries: string[] = [];
  const stories: string[] = [];
  let storybook = known.storybook ?? false;
  for (const file of files) {
    if (!file.startsWith(prefix)) continue;
    if (known.storybook === undefined && file.startsWith(`${prefix}.storybook/`)) storybook = true;
    if (!isSourceFile(file) || TOOL_CONFIG.test(file) || !owns(file)) continue;
    if (!isTestFile(file)) {
      if (ships(file)) entries.push(file);
    } else if (isStoryFile(file)) stories.push(file);
  }
  // A Storybook (its config in `.storybook/`) ships its stories: they are what reaches the libraries.
  return (storybook ? [...entries, ...stories] : entries).sort();
}

/** A deployable whose root holds a Storybook config: its own stories ship (spartan's ui-storybook). */
export function isStorybookRoot(root: string, files: Iterable<string>): boolean {
  const config = `${root === '' || root === '.' ? '' : `${root}/`}.storybook/`;
  for (const file of files) if (file.startsWith(config)) return true;
  return false;
}
