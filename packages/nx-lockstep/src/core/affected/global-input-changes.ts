import { readTsconfigPaths } from '../resolve/tsconfig-paths';
import type { FileChange } from './file-change';

/** Reads one file of a commit, undefined when it has none. */
interface TextSource {
  readText(path: string): string | undefined;
}

/** Global inputs that changed; a tsconfig counts only when its compilerOptions (after `extends`) changed. */
export function globalInputChanges(
  globalInputs: readonly string[],
  changes: readonly FileChange[],
  head: TextSource,
  base: () => TextSource,
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
    const before = readTsconfigPaths(input, (file) => baseSnapshot.readText(file)).compilerOptions;
    const after = readTsconfigPaths(input, (file) => head.readText(file)).compilerOptions;
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
      (key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]),
    );
    if (keys.length > 0) found.push({ file: input, detail: `compilerOptions changed: ${keys.sort().join(', ')}` });
  }
  return found;
}
