import { setFlagsFromString } from 'node:v8';

/**
 * A run that parses many files (a cold 50,000-file workspace) leaves most of what it allocates
 * in V8's old generation until the next full collection, which by default comes only when the
 * heap has grown to several times what survived the last one: peak RSS 970–1,000 MiB at 50,150
 * files, against a 1 GiB budget. Letting the heap grow by half at most between full collections
 * (`--heap-growing-percent=50`), from the 10,000th file parsed on, keeps it ~100 MiB lower for
 * ~5 % more time. A warm run never parses that many files and keeps V8's default (set for all runs, it cost a 50,150-file hub
 * edit ~150 ms). Only the `lockstep` command line opts in (its launcher sets the global
 * `Symbol.for('nx-lockstep.compact-heap')`): inside Nx's own process V8's flags are left alone.
 */
export function largeParse(files: number): boolean {
  if (applied || files < LARGE_PARSE) return false;
  if ((globalThis as Record<symbol, unknown>)[Symbol.for('nx-lockstep.compact-heap')] !== true) return false;
  applied = true;
  setFlagsFromString('--heap-growing-percent=50');
  return true;
}

/** Counts one file parsed by this process (see `largeParse`). */
export function countParse(): void {
  largeParse(++parsed);
}

/** Files parsed from which a run counts as large. */
const LARGE_PARSE = 10_000;
let applied = false;
let parsed = 0;
