#!/usr/bin/env node
// Benchmark of `lockstep history` against Nx on the benchmark workspace (scripts/bench.mjs's
// generator: 500 libs, 50 deployables, ~5,000 source files, a 50-commit history), in the same
// run: `nx show projects --affected --base <parent> --head <commit>` once per commit, against
// one `lockstep history --commits <n>` over the same commits (cold: no .nx, no compile cache;
// then warm). Also checks that the history's Nx column equals what `nx show` printed.
//
//   npm run build && node scripts/bench-history.mjs            # generates the workspace once
//   node scripts/bench-history.mjs --runs 3 --json /tmp/bench-history.json
//
// Options: --workdir DIR (default $TMPDIR/lockstep-bench-history), --commits N (50), --runs N (1),
// --json FILE, --check-engine (also compare every commit's lockstep column with analyzeAffected
// on that range: the replay must decide exactly as the engine does, one range at a time). Run it under `nice -n 15` on a shared machine; figures are wall times.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT } from './lib/synthetic-workspace.mjs';

const require = createRequire(import.meta.url);
const NX_BIN = join(dirname(require.resolve('nx/package.json')), require('nx/package.json').bin.nx);
const LOCKSTEP_BIN = join(REPO_ROOT, 'packages', 'nx-lockstep', 'bin', 'lockstep.js');

const { values: args } = parseArgs({
  options: {
    workdir: { type: 'string', default: join(tmpdir(), 'lockstep-bench-history') },
    commits: { type: 'string', default: '50' },
    runs: { type: 'string', default: '1' },
    json: { type: 'string' },
    'check-engine': { type: 'boolean', default: false },
  },
});
const commits = Number(args.commits);
const runs = Number(args.runs);
const root = join(args.workdir, 'ws-5000-7');
const compileCache = join(args.workdir, 'compile-cache');
const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_ISOLATE_PLUGINS: 'false',
  NX_NO_CLOUD: 'true',
  CI: 'true',
  NX_TUI: 'false',
  LOCKSTEP_COMPILE_CACHE: compileCache,
};

if (!existsSync(join(REPO_ROOT, 'packages', 'nx-lockstep', 'dist', 'cli', 'main.js')))
  fail('no built plugin: run `npm run build` first');
if (!existsSync(`${root}.history.json`)) {
  log(`generating the benchmark workspace in ${root} (scripts/bench.mjs --skip-timing --skip-history)`);
  const made = spawnSync(
    process.execPath,
    [join(REPO_ROOT, 'scripts', 'bench.mjs'), '--skip-timing', '--skip-history', '--workdir', args.workdir],
    { stdio: 'inherit', env },
  );
  if (made.status !== 0) fail('generating the workspace failed');
}

const deployables = new Set(JSON.parse(readFileSync(`${root}.history.json`, 'utf8')).deployables.map((d) => d.name));
const ranges = run('git', ['log', '--first-parent', `--max-count=${commits}`, '--format=%H %P'])
  .trim()
  .split('\n')
  .map((line) => line.split(' '))
  .map(([head, base]) => ({ base, head }))
  .reverse();

const samples = { nxPerCommitTotal: [], historyCold: [], historyWarm: [] };
let nxSets;
let history;
for (let r = 0; r < runs; r++) {
  // Nx with its cache warm (one run first), as a CI job that runs it per commit would have it.
  run(process.execPath, [NX_BIN, 'show', 'projects', '--affected', '--base=HEAD~1', '--head=HEAD', '--json']);
  let start = performance.now();
  nxSets = ranges.map(({ base, head }) =>
    JSON.parse(
      run(process.execPath, [NX_BIN, 'show', 'projects', '--affected', `--base=${base}`, `--head=${head}`, '--json']),
    )
      .filter((project) => deployables.has(project))
      .sort(),
  );
  samples.nxPerCommitTotal.push(performance.now() - start);
  // lockstep cold: no .nx (Nx's graph cache and lockstep's parse cache gone), no compile cache.
  rmSync(join(root, '.nx'), { recursive: true, force: true });
  rmSync(compileCache, { recursive: true, force: true });
  start = performance.now();
  history = JSON.parse(
    run(process.execPath, [LOCKSTEP_BIN, 'history', '--commits', String(commits), '--format', 'json']),
  );
  samples.historyCold.push(performance.now() - start);
  start = performance.now();
  run(process.execPath, [LOCKSTEP_BIN, 'history', '--commits', String(commits), '--format', 'json']);
  samples.historyWarm.push(performance.now() - start);
}

const disagreements = history.commits.filter(
  (commit, index) => commit.sha !== ranges[index].head || commit.nx.join() !== nxSets[index].join(),
);
let engineDisagreements = null;
if (args['check-engine']) {
  const { analyzeAffected } = require(join(REPO_ROOT, 'packages', 'nx-lockstep', 'dist', 'engine.js'));
  engineDisagreements = [];
  for (const [index, { base, head }] of ranges.entries()) {
    const result = await analyzeAffected({ workspaceRoot: root, base, head });
    const affected = result.deployables
      .filter((d) => d.affected)
      .map((d) => d.project)
      .sort();
    if (affected.join() !== history.commits[index].lockstep.join()) engineDisagreements.push(head);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const perCommit = (ms) => ms / ranges.length;
const report = {
  date: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu: cpus()[0]?.model, node: process.version, loadavg: readLoad() },
  commits: ranges.length,
  nx: { totalMs: median(samples.nxPerCommitTotal), perCommitMs: perCommit(median(samples.nxPerCommitTotal)) },
  historyCold: { totalMs: median(samples.historyCold), perCommitMs: perCommit(median(samples.historyCold)) },
  historyWarm: { totalMs: median(samples.historyWarm), perCommitMs: perCommit(median(samples.historyWarm)) },
  samples,
  nxColumnDisagreements: disagreements.map((commit) => commit.sha),
  engineDisagreements,
  totals: history.totals,
  groups: history.groups.map((group) => group.deployables),
};
log(
  `\nlockstep history vs nx show projects --affected per commit — ${report.commits} commits, ${report.machine.cpus} CPUs, load ${report.machine.loadavg}`,
);
log(pad(['', 'total s', 'per commit ms', 'vs nx']));
for (const [label, key] of [
  ['nx show projects --affected, once per commit', 'nx'],
  ['lockstep history, cold (no .nx, no compile cache)', 'historyCold'],
  ['lockstep history, warm (parse cache)', 'historyWarm'],
])
  log(
    pad([
      label,
      (report[key].totalMs / 1000).toFixed(1),
      Math.round(report[key].perCommitMs),
      `${(report[key].totalMs / report.nx.totalMs).toFixed(2)}×`,
    ]),
  );
log(`history's Nx column vs nx show: ${disagreements.length} of ${ranges.length} commits disagree`);
if (engineDisagreements)
  log(
    `history's lockstep column vs analyzeAffected per range: ${engineDisagreements.length} of ${ranges.length} commits disagree`,
  );
log(
  `deploys: lockstep ${history.totals.lockstep}, nx ${history.totals.nx}, lock-step ${history.totals.lockStep}; groups: ${report.groups.map((g) => g.join('+')).join(', ') || 'none'}`,
);
const jsonPath = args.json ?? join(args.workdir, 'bench-history.json');
writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
log(`full results: ${jsonPath}`);

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0) fail(`${command} ${commandArgs.join(' ')} failed (${result.status}):\n${result.stderr}`);
  return result.stdout;
}

function readLoad() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}

function pad(cells) {
  const widths = [52, 10, 16, 8];
  return cells.map((cell, index) => String(cell).padEnd(widths[index])).join('');
}

function log(line) {
  process.stdout.write(`${line}\n`);
}

function fail(message) {
  process.stderr.write(`bench-history: ${message}\n`);
  process.exit(1);
}
