import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASELINE_FILE, formatBaseline, parseBaseline, withSection, type Baseline } from '../../core/coupling/baseline';

/** The baseline at the workspace root, or undefined when there is none yet. */
export function readBaseline(workspaceRoot: string, file = BASELINE_FILE): Baseline | undefined {
  const path = join(workspaceRoot, file);
  if (!existsSync(path)) return undefined;
  return parseBaseline(readFileSync(path, 'utf8'), file);
}

/** Rewrites one command's section, keeping the other's. Returns the path written. */
export function updateBaseline<Key extends 'report' | 'history'>(
  workspaceRoot: string,
  key: Key,
  section: NonNullable<Baseline[Key]>,
  file = BASELINE_FILE,
): string {
  const path = join(workspaceRoot, file);
  writeFileSync(path, formatBaseline(withSection(readBaseline(workspaceRoot, file), key, section, new Date())));
  return path;
}
