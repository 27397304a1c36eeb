/**
 * The young generation's cap (src/adapters/heap-growth.ts capYoungGeneration) in real Node
 * processes: V8 decides how its heap grows, so only a process that allocates shows it. A run
 * parses files, which keeps many objects alive; the child does the same, counting a "parse" per
 * batch the way the analysis does.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleModule } from './support/bundle-module';

let work: string;
let script: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'lockstep-young-generation-'));
  const module = bundleModule('adapters/heap-growth', join(work, 'heap-growth.cjs'));
  script = join(work, 'run.cjs');
  writeFileSync(
    script,
    `const { countParse } = require(${JSON.stringify(module)});
if (process.argv[2] === 'command-line') globalThis[Symbol.for('nx-lockstep.compact-heap')] = true;
const v8 = require('node:v8');
const young = () => v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size;
let largest = 0;
const kept = [];
for (let file = 0; file < 6000; file++) {
  // A parse's worth of objects, half of them kept a while (a summary outlives its syntax tree).
  for (let node = 0; node < 400; node++) kept.push({ file, node, text: 'n' + node });
  if (kept.length > 600_000) kept.splice(0, 300_000);
  countParse();
  largest = Math.max(largest, young());
}
process.stdout.write(JSON.stringify({ largest }));`,
  );
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

const largestYoung = (mode: 'command-line' | 'inside-nx') =>
  (JSON.parse(execFileSync(process.execPath, [script, mode], { encoding: 'utf8' })) as { largest: number }).largest;

const MiB = 1024 * 1024;

const v8Major = Number(process.versions.v8.split('.')[0]);

describe('young generation', () => {
  it.runIf(v8Major <= 13)(
    "grows no further than Node 20's largest (32 MiB in all) in a command line that parses many files",
    () => {
      // The next growth would double it. Node 24's V8 sizes it by pages, and was seen at 32.25 MiB.
      // On Node 20 and 22 V8 stops there by itself: only a run on Node 24 (.ci/run has one) tests
      // the cap, and it fails there without it.
      expect(largestYoung('command-line')).toBeLessThan(34 * MiB);
    },
  );

  it.runIf(v8Major >= 14)(
    "stays within V8 14's own 64 MiB, which no flag set at run time lowers (Node 26: the cap is V8 13's alone)",
    () => {
      // V8 14 grows it a page at a time and reads no growth factor: the cap would change nothing,
      // so it is not set. A V8 that grows it further again fails here (.ci/run runs Node 26).
      expect(largestYoung('command-line')).toBeLessThanOrEqual(64 * MiB);
      expect(largestYoung('inside-nx')).toBeLessThanOrEqual(64 * MiB);
    },
  );

  it.runIf(v8Major >= 13)(
    "is V8's own choice inside another process (Nx's), which grows it past that on Node 24 (V8 13)",
    () => {
      // Shows the cap above is this module's doing: Node 24's V8 grows it to 128 MiB.
      expect(largestYoung('inside-nx')).toBeGreaterThan(32 * MiB);
    },
  );
});
