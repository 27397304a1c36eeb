import { DEPENDENCY_FIELDS, parseManifest } from '../lockfile/root-manifest';
import type { FileChange } from './file-change';

/** Reads one tsconfig of a commit (after `extends`), or says why it cannot. */
interface TsconfigSource {
  readTsconfig(file: string): { compilerOptions: Record<string, unknown>; problem?: string };
}

/** Global inputs that changed; a tsconfig counts only when its compilerOptions (after `extends`) changed. */
export function globalInputChanges(
  globalInputs: readonly string[],
  changes: readonly FileChange[],
  head: TsconfigSource,
  base: () => TsconfigSource,
): Array<{ file: string; detail?: string }> {
  const changedPaths = new Set(changes.flatMap((change) => [change.path, ...(change.oldPath ? [change.oldPath] : [])]));
  const found: Array<{ file: string; detail?: string }> = [];
  for (const input of globalInputs) {
    if (!changedPaths.has(input)) continue;
    if (!/tsconfig[^/]*\.json$/.test(input)) {
      found.push({ file: input });
      continue;
    }
    const baseSnapshot = base();
    const { compilerOptions: before, problem: beforeProblem } = baseSnapshot.readTsconfig(input);
    const { compilerOptions: after, problem } = head.readTsconfig(input);
    // A tsconfig that cannot be read counts as changed (safety rule 1), with why.
    if (problem ?? beforeProblem) {
      found.push({ file: input, detail: (problem ?? beforeProblem)! });
      continue;
    }
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
      (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
    );
    if (keys.length > 0) found.push({ file: input, detail: `compilerOptions changed: ${keys.sort().join(', ')}` });
  }
  return found;
}

/** Fields of the root package.json whose effect the lockfile comparison already judges, package by package. */
const JUDGED_BY_PACKAGE = new Set([...DEPENDENCY_FIELDS, 'peerDependenciesMeta']);

/**
 * The root package.json's other fields (`version`, `scripts`, `engines`, `workspaces`, `overrides`,
 * `packageManager` …) reach deployables in ways no import shows: an image that copies the file and
 * an app that reads its `version` at run time (ghostfolio's api on every release commit), a build
 * run through its `scripts`. The analysis cannot follow those, so a change to them counts for every
 * deployable, as Nx counts it. A manifest that cannot be read counts too (safety rule 1).
 */
export function rootManifestChanges(
  changes: readonly FileChange[],
  head: { readText(path: string): string | undefined },
  base: () => { readText(path: string): string | undefined },
): Array<{ file: string; detail?: string }> {
  if (!changes.some((change) => change.path === 'package.json' || change.oldPath === 'package.json')) return [];
  const read = (text: string | undefined) => (text === undefined ? {} : parseManifest(text));
  const before = read(base().readText('package.json'));
  const after = read(head.readText('package.json'));
  if (!before || !after) return [{ file: 'package.json', detail: 'cannot be read as JSON' }];
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (key) => !JUDGED_BY_PACKAGE.has(key) && JSON.stringify(before[key]) !== JSON.stringify(after[key]),
  );
  return fields.length > 0 ? [{ file: 'package.json', detail: `fields changed: ${fields.sort().join(', ')}` }] : [];
}
