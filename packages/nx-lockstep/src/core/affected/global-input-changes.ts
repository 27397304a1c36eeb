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
