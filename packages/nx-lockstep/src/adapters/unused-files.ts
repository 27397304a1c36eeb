import { readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Caches kept under a key (the compiler's code caches, the plugin's inference files) gather one
 * file per key: an upgrade of Node, of nx-lockstep or of TypeScript, other plugin options. In the
 * workspace data that CI restores and saves on every job, each is carried along for good. So a
 * file's modification time says when it was last used — written, or read when its time is over a
 * day old (`markUsed`) — and a run that writes one removes those of its kind unused for 14 days
 * (`removeUnused`), not those of another running setup (a Node matrix, two option sets).
 */
export const UNUSED_FOR_MS = 14 * 24 * 60 * 60 * 1000;
const MARK_AFTER_MS = 24 * 60 * 60 * 1000;

/** Marks `file` used now when its modification time (`mtimeMs`) is over a day old. */
export function markUsed(file: string, mtimeMs: number, now = Date.now()): void {
  if (now - mtimeMs < MARK_AFTER_MS) return;
  try {
    const time = new Date(now);
    utimesSync(file, time, time);
  } catch {
    // a read-only folder: the file may be removed as unused one day, and is then made again
  }
}

/**
 * Removes the files of `folder` whose names `kind` matches, but `keep`, unused (not modified)
 * for 14 days; with each, the files named `<name><suffix>` for every suffix in `companions`.
 */
export function removeUnused(
  folder: string,
  kind: RegExp,
  keep: string,
  companions: readonly string[] = [],
  now = Date.now(),
): void {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return;
  }
  for (const name of names) {
    if (name === keep || !kind.test(name)) continue;
    try {
      if (now - statSync(join(folder, name)).mtimeMs < UNUSED_FOR_MS) continue;
      for (const file of [name, ...companions.map((suffix) => `${name}${suffix}`)])
        rmSync(join(folder, file), { force: true });
    } catch {
      // gone already (another process), or not ours to remove: left as it is
    }
  }
}
