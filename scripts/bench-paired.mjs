#!/usr/bin/env node
// Paired timing of two or more private builds (scripts/lib/private-build.mjs) on the next commit:
// each round commits a new edit of one file, then runs `lockstep affected --base HEAD~1` with every
// build in turn (the order alternating between rounds), each with its own workspace data folder
// and code cache, so every build answers the same commit warm. Round 0 warms them and is not
// counted. Prints each build's median wall time, CPU time, peak RSS and minor page faults, and whether their JSON
// answers differed in any round (they must not).
//
//   node scripts/lib/private-build.mjs /tmp/a        # e.g. main
//   node scripts/lib/private-build.mjs /tmp/b        # e.g. a branch
//   node scripts/bench-paired.mjs --workspace /tmp/sw-bench/ws-5000-7 \
//     --file libs/lib3/src/lib/l3-f0.ts --rounds 7 /tmp/a /tmp/b
//
// The workspace is one scripts/bench.mjs generated (its files hold `let acc = n * <number>;`,
// which each round changes), checked out at its `bench-head` tag (the history's last commit,
// tagged by bench.mjs) first. Needs GNU time
// (/usr/bin/time) for CPU and memory. Data folders: <data>/<build name>-<workspace name>
// (--data, default $TMPDIR/lockstep-paired); fill one with a cold run first to time a warm
// workspace of that size.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: {
    workspace: { type: 'string' },
    file: { type: 'string' },
    rounds: { type: 'string', default: '7' },
    data: { type: 'string', default: join(tmpdir(), 'lockstep-paired') },
  },
  allowPositionals: true,
});
const builds = positionals.map((build) => resolve(build));
const rounds = Number(values.rounds);
if (!values.workspace || !values.file || builds.length < 2 || !(rounds >= 1)) {
  process.stderr.write(
    'usage: node scripts/bench-paired.mjs --workspace WS --file PATH [--rounds N] [--data DIR] BUILD BUILD...\n',
  );
  process.exit(2);
}
const workspace = resolve(values.workspace);
const env = {
  ...process.env,
  CI: 'true',
  NX_DAEMON: 'false',
  NX_ISOLATE_PLUGINS: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
};
const git = (...args) => {
  const result = spawnSync('git', args, { cwd: workspace, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')}: ${result.stderr}`);
  return result.stdout.trim();
};

git('checkout', '-q', '--detach', 'bench-head');
const samples = new Map(builds.map((build) => [build, []]));
let differ = 0;
const seed = Date.now() % 100_000;
for (let round = 0; round <= rounds; round++) {
  const path = join(workspace, values.file);
  const text = readFileSync(path, 'utf8');
  const edit = /let acc = n \* (\d+);/.exec(text);
  if (!edit) throw new Error(`${values.file} holds no \`let acc = n * <number>;\` to edit`);
  writeFileSync(path, text.replace(edit[0], `let acc = n * ${seed + round * 7 + 1000};`));
  git('commit', '-q', '-am', `paired edit ${round}`);
  const order = round % 2 ? [...builds].reverse() : builds;
  const answers = new Map();
  for (const build of order) {
    const data = join(values.data, `${basename(build)}-${basename(workspace)}`);
    mkdirSync(data, { recursive: true });
    const started = performance.now();
    const run = spawnSync(
      '/usr/bin/time',
      ['-v', process.execPath, join(build, 'bin', 'lockstep.js'), 'affected', '--base', 'HEAD~1', '--json'],
      {
        cwd: workspace,
        env: { ...env, NX_WORKSPACE_DATA_DIRECTORY: data, LOCKSTEP_COMPILE_CACHE: join(data, 'compile-cache') },
        encoding: 'utf8',
        maxBuffer: 1 << 28,
      },
    );
    const ms = performance.now() - started;
    if (run.status !== 0) throw new Error(`${build} failed:\n${run.stderr}`);
    const number = (pattern) => Number(pattern.exec(run.stderr)?.[1]);
    const cpu = (number(/User time \(seconds\): ([\d.]+)/) + number(/System time \(seconds\): ([\d.]+)/)) * 1000;
    const rss = number(/Maximum resident set size \(kbytes\): (\d+)/) / 1024;
    // Memory touched for the first time: on the VMs we measure on, ~11 µs a page (git's included).
    const faults = number(/Minor \(reclaiming a frame\) page faults: (\d+)/);
    answers.set(build, run.stdout);
    if (round > 0) samples.get(build).push({ ms, cpu, rss, faults });
  }
  if (new Set(answers.values()).size > 1) {
    differ++;
    process.stdout.write(`round ${round}: the answers differ\n`);
  }
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
for (const [build, list] of samples) {
  process.stdout.write(
    `${basename(build)}: wall median ${median(list.map((s) => s.ms)).toFixed(0)} ms ` +
      `[${list.map((s) => s.ms.toFixed(0)).join(' ')}], CPU median ${median(list.map((s) => s.cpu)).toFixed(0)} ms, ` +
      `peak RSS median ${median(list.map((s) => s.rss)).toFixed(0)} MiB, ` +
      `page faults median ${median(list.map((s) => s.faults))}\n`,
  );
}
process.stdout.write(`rounds whose answers differ: ${differ}\n`);
process.exitCode = differ > 0 ? 1 : 0;
