import { getHeapSpaceStatistics } from 'node:v8';
import { setV8Flag } from './v8-flags';

/**
 * A run that parses many files (a cold 50,000-file workspace) leaves most of what it allocates in
 * V8's old generation until the next full collection, which by default comes only when the heap has
 * grown to several times what survived the last one: peak RSS 970–1,000 MiB at 50,150 files,
 * against a 1 GiB budget. Letting the heap grow by half at most between full collections
 * (`--heap-growing-percent=50`), from the 10,000th file parsed on, keeps it ~100 MiB lower for ~5 %
 * more time. A warm run never parses that many files and keeps V8's default (set for all runs, it
 * cost a 50,150-file hub edit ~150 ms). Only the `lockstep` command line opts in (its launcher sets
 * the global `Symbol.for('nx-lockstep.compact-heap')`): inside Nx's own process V8's flags are left
 * alone.
 */
export function largeParse(files: number): boolean {
  if (applied || files < LARGE_PARSE || !compactHeap()) return false;
  applied = true;
  return setV8Flag('heap-growing-percent', 50, 0);
}

/** Counts one file parsed by this process (see `largeParse` and `capYoungGeneration`). */
export function countParse(): void {
  largeParse(++parsed);
  if (!youngCapped && parsed % 16 === 1) capYoungGeneration();
}

/**
 * Node 24's V8 lets the young generation grow to 64 MB a semi-space (128 MB in all), where Node
 * 20's and 22's stop at 16 MB (Node 26's at 32 MB, see YOUNG_GROWS_PAST_CAP): a cold 50,150-file
 * run peaked at 1,010 MiB on Node 24, against 847 MiB on Node 20. `--max-semi-space-size=16` given
 * to node keeps it at Node 20's (883 → 774 MiB, and 18.8 → 17.1 s, in one pair of runs), but V8
 * reads that flag only as it starts. It reads the growth factor when it grows the young generation
 * after a scavenge: set to 1 once that holds Node 20's largest, it grows no more. By a cold
 * 50,150-file run's first parse, reading the sources has grown it to 64 MB in all on Node 24, where
 * it then stays (796 against 890 MiB, paired). Checked at the first parse and every 16th after (~3
 * µs a check), until set; in the `lockstep` command line only (see `largeParse`). A warm run's
 * young generation stays at 8–16 MB: it sets nothing.
 *
 * Both flags are left alone when node was started with them, and go back to their defaults (V8
 * 11–14's, `node --v8-options`) before the code cache is written (see v8-flags.ts).
 */
function capYoungGeneration(): void {
  if (youngCapped || !compactHeap() || !YOUNG_GROWS_PAST_CAP) return;
  const young = getHeapSpaceStatistics().find((space) => space.space_name === 'new_space');
  if (!young || young.space_size < YOUNG_CAP) return;
  youngCapped = true;
  setV8Flag('semi-space-growth-factor', 1, 2);
}

function compactHeap(): boolean {
  return (globalThis as Record<symbol, unknown>)[Symbol.for('nx-lockstep.compact-heap')] === true;
}

/** The young generation's size (both semi-spaces) past which it grows no more: Node 20's largest. */
const YOUNG_CAP = 32 * 1024 * 1024;
/**
 * Whether this V8 grows it past YOUNG_CAP by default and reads the growth factor as it does: only
 * V8 13 (Node 24). V8 11 and 12 (Node 20 and 22) stop at the cap, and the cap only cost them (a
 * 5,148-file cold run ~0.15 s slower on Node 20: a growth factor of 1 also keeps a young
 * generation V8 shrank from growing back). V8 14 (Node 26) grows it a page (256 KB) at a time up
 * to 64 MB in all, reads no growth factor, and takes no other flag for it after start-up
 * (`--max-semi-space-size` set at run time changed nothing): it is left to V8 there (a cold
 * 50,150-file run peaked at 905 MiB on Node 26.12).
 */
const YOUNG_GROWS_PAST_CAP = Number(process.versions.v8.split('.')[0]) === 13;
let youngCapped = false;

/** Files parsed from which a run counts as large. */
const LARGE_PARSE = 10_000;
let applied = false;
let parsed = 0;
