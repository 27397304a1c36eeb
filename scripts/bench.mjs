#!/usr/bin/env node
// Benchmark of the deploy-impact engine against Nx, measured in the same run on the same
// synthetic workspace (the generator the oracle test uses):
//   1. speed and peak memory of `nx show projects --affected` vs `lockstep affected` (cold, warm);
//   2. a replayed history: deploys triggered / needed / missed / amplification for Nx and for
//      each precision, with esbuild bundles as the truth of "needed".
//
//   npm run bench                       # 500 libs, 50 deployables, ~5,000 source files, 50 commits
//   npm run bench -- --files 50000      # the 50,000-file variant
//   LOCKSTEP_DIST=/tmp/bench-pkg/dist node scripts/bench.mjs   # a private build instead of packages/nx-lockstep/dist
//
// Options: --files N, --libs N, --deployables N, --commits N, --seed N, --runs N (timing repeats,
// median reported), --workdir DIR, --skip-history, --skip-timing, --json FILE.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { REPO_ROOT, SyntheticWorkspace, createRandom } from './lib/synthetic-workspace.mjs';
import { changedPaths, createBundlers, neededDeploys } from './lib/bundle-truth.mjs';

const require = createRequire(import.meta.url);
const PRECISIONS = ['project', 'file', 'symbol'];
const RUNTIME_EDITS = [
  'function-body',
  'function-body',
  'constant-literal',
  'side-effect',
  'add-import',
  'unused-export',
];

const NX_BIN = join(dirname(require.resolve('nx/package.json')), require('nx/package.json').bin.nx);
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

// Set by main() for the phases and helpers below: the command line, the build under test and the
// benchmark workspace with its replayed history.
let args, files, libs, deployableCount, commits, seed, runs;
let dist, COMPILE_CACHE, NX_ENV, root, workspace, rangeHead;
let history = [];

async function main() {
  parseOptions();
  checkBuild();
  setEnvironment();
  await prepareWorkspace();
  const rangeBase = workspace.baseSha;
  rangeHead = workspace.git('rev-parse', 'HEAD');
  const report = {
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpu: cpus()[0]?.model,
      memoryGiB: +(totalmem() / 2 ** 30).toFixed(1),
      node: process.version,
    },
    workspace: { libs, deployables: deployableCount, sourceFiles: workspace.sourceFileCount, commits, seed, root },
    timing: null,
    history: null,
  };
  if (!args['skip-timing']) report.timing = measureTiming(rangeBase);
  if (!args['skip-history']) report.history = await replayHistory();
  printReport(report);
  const jsonPath = args.json ?? join(args.workdir, `bench-${files}-${seed}.json`);
  writeFileSync(jsonPath, JSON.stringify(report, null, 2) + '\n');
  log(`\nfull results: ${jsonPath}`);
}

function parseOptions() {
  ({ values: args } = parseArgs({
    options: {
      files: { type: 'string', default: '5000' },
      libs: { type: 'string', default: '500' },
      deployables: { type: 'string', default: '50' },
      commits: { type: 'string' },
      seed: { type: 'string', default: '7' },
      runs: { type: 'string', default: '3' },
      workdir: { type: 'string', default: join(tmpdir(), 'lockstep-bench') },
      json: { type: 'string' },
      'skip-history': { type: 'boolean', default: false },
      'skip-timing': { type: 'boolean', default: false },
      reuse: { type: 'boolean', default: false },
    },
  }));
  files = positiveInt('--files', args.files, '--files 50000');
  libs = positiveInt('--libs', args.libs, '--libs 500');
  deployableCount = positiveInt('--deployables', args.deployables, '--deployables 50');
  // esbuild truth for every commit costs ~files × deployables: the 50,000-file variant replays fewer by default.
  commits = positiveInt('--commits', args.commits ?? (files > 20000 ? '10' : '50'), '--commits 50');
  seed = positiveInt('--seed', args.seed, '--seed 7');
  runs = positiveInt('--runs', args.runs, '--runs 3');
}

/** The build under test: packages/nx-lockstep/dist, or a private build named by LOCKSTEP_DIST. */
function checkBuild() {
  dist = process.env.LOCKSTEP_DIST ?? join(REPO_ROOT, 'packages', 'nx-lockstep', 'dist');
  const needsDist = !args['skip-timing'] || !args['skip-history'];
  if (needsDist && (!existsSync(join(dist, 'cli', 'main.js')) || !existsSync(join(dist, 'engine.js')))) {
    fail(
      `no built plugin at ${dist} (need cli/main.js and engine.js): run \`npm run build\`, or set LOCKSTEP_DIST=/tmp/bench-pkg/dist after \`npx tsc -p packages/nx-lockstep --outDir /tmp/bench-pkg/dist\``,
    );
  }
  if (process.env.LOCKSTEP_DIST) {
    // A private build outside the repo is laid out like the package: <pkg>/dist next to
    // <pkg>/package.json (the engine reads its version), resolving dependencies from our node_modules.
    if (basename(dist) !== 'dist')
      fail(
        `LOCKSTEP_DIST=${dist}: the build must live in a directory named dist, e.g. LOCKSTEP_DIST=/tmp/bench-pkg/dist`,
      );
    const pkg = dirname(dist);
    if (!existsSync(join(pkg, 'package.json')))
      cpSync(join(REPO_ROOT, 'packages', 'nx-lockstep', 'package.json'), join(pkg, 'package.json'));
    if (!existsSync(join(pkg, 'node_modules')))
      symlinkSync(join(REPO_ROOT, 'node_modules'), join(pkg, 'node_modules'), 'dir');
  }
}

function setEnvironment() {
  // lockstep's V8 code cache for the TypeScript compiler lives in the bench's own folder, so a cold
  // run can start without it (it is removed with the other caches) and nothing else shares it.
  COMPILE_CACHE = join(args.workdir, 'compile-cache');
  NX_ENV = {
    ...process.env,
    NX_DAEMON: 'false',
    NX_ISOLATE_PLUGINS: 'false',
    NX_NO_CLOUD: 'true',
    CI: 'true',
    NX_TUI: 'false',
    LOCKSTEP_COMPILE_CACHE: COMPILE_CACHE,
  };
  Object.assign(process.env, { NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_NO_CLOUD: 'true', CI: 'true' });
}

// ------------------------------------------------------------------ workspace and history
/**
 * A reused workspace's node_modules link points at the checkout that generated it, which may be a
 * worktree since deleted: point it at this checkout's node_modules, so the nx binary is found.
 */
function relinkNodeModules(workspaceRoot) {
  const link = join(workspaceRoot, 'node_modules');
  const target = join(REPO_ROOT, 'node_modules');
  let current;
  try {
    current = readlinkSync(link);
  } catch {
    if (existsSync(link)) return; // a real directory, not a link: left alone
  }
  if (current === target) return;
  rmSync(link, { force: true });
  symlinkSync(target, link, 'dir');
}

/** The synthetic workspace and its history with esbuild truth: generated, or reused (--reuse). */
async function prepareWorkspace() {
  // Files per lib so that libs × (files + barrel) + 3 files per deployable ≈ --files.
  const filesPerLib = Math.max(1, Math.round((files - deployableCount * 3) / libs) - 1);
  root = join(args.workdir, `ws-${files}-${seed}`);
  mkdirSync(args.workdir, { recursive: true });
  const historyFile = `${root}.history.json`;
  if (args.reuse && existsSync(historyFile)) {
    // --reuse: the workspace and its esbuild truth from an earlier run with the same options.
    const saved = JSON.parse(readFileSync(historyFile, 'utf8'));
    history = saved.history;
    workspace = {
      root,
      baseSha: saved.baseSha,
      deployables: saved.deployables,
      sourceFileCount: saved.sourceFileCount,
      git: (...a) => run('git', a).trim(),
    };
    relinkNodeModules(root);
    log(`reusing ${root} (${workspace.sourceFileCount} source files, ${history.length} commits)`);
  } else {
    log(
      `generating ${libs} libs × ${filesPerLib} files + barrels, ${deployableCount} deployables (seed ${seed}) in ${root}`,
    );
    let t0 = performance.now();
    workspace = SyntheticWorkspace.create(root, {
      seed,
      libs,
      deployables: deployableCount,
      filesPerLib,
      appFiles: 2,
      hubs: 8,
      domainSize: 25,
      maxLibDeps: 4,
      maxAppLibs: 8,
      remote: false,
    });
    log(`  ${workspace.sourceFileCount} source files in ${ms(performance.now() - t0)}`);
    t0 = performance.now();
    // The truth is only needed for the replay; --skip-history just commits the history.
    const bundlers = args['skip-history']
      ? { bundleAll: async () => new Map(), dispose: async () => {} }
      : await createBundlers(root, workspace.deployables, files > 20000 ? { chunkSize: 5 } : {});
    let before = await bundlers.bundleAll();
    const random = createRandom(seed * 7919);
    let base = workspace.baseSha;
    for (let c = 0; c < commits; c++) {
      const plan = planCommit(random, workspace);
      const edits = [workspace.applyEdit(plan.kind, plan.target)];
      if (random.chance(0.2)) edits.push(workspace.applyEdit(plan.kind, plan.target));
      const head = workspace.commit(`${plan.label}: ${edits.map((e) => e.description).join('; ')}`);
      const after = await bundlers.bundleAll();
      history.push({
        base,
        head,
        label: plan.label,
        edits: edits.map((e) => e.description),
        // An edit of a deployable's own root is a needed deploy even where the bundle stays the same.
        needed: neededDeploys(before, after, changedPaths(root, base, head), workspace.deployables),
      });
      before = after;
      base = head;
    }
    await bundlers.dispose();
    rmSync(join(root, 'dist-truth'), { recursive: true, force: true });
    log(`  history of ${commits} commits with esbuild truth in ${ms(performance.now() - t0)}`);
    const { baseSha, deployables, sourceFileCount } = workspace;
    writeFileSync(historyFile, JSON.stringify({ baseSha, deployables, sourceFileCount, history }));
  }
  // The history's last commit, where scripts/bench-paired.mjs starts its rounds.
  workspace.git('tag', '-f', 'bench-head', history.at(-1)?.head ?? workspace.baseSha);
}

// ------------------------------------------------------------------ speed and memory
// One measurement protocol (cold, warm, a new commit, a hub commit) kept in one piece, so it
// reads in the order it runs.
function measureTiming(rangeBase) {
  const nxArgs = [NX_BIN, 'show', 'projects', '--affected', `--base=${rangeBase}`, `--head=${rangeHead}`, '--json'];
  const lockstepArgs = ['affected', '--base', rangeBase, '--head', rangeHead, '--json'];
  const lockstepCmd = lockstepCommand(lockstepArgs);
  const samples = {
    nxCold: [],
    nxWarm: [],
    lockstepCold: [],
    lockstepWarmParse: [],
    lockstepWarm: [],
    nxNewCommit: [],
    lockstepNewCommit: [],
    nxHubCommit: [],
    lockstepHubCommit: [],
  };
  const newCommitAffected = [];
  const checkedOutRef = workspace.git('rev-parse', '--abbrev-ref', 'HEAD'); // a branch, or HEAD when detached
  let nxOut, lockstepOut;
  for (let r = 0; r < runs; r++) {
    // Cold = no .nx directory (Nx project-graph/file-map cache and lockstep's parse cache gone)
    // and no lockstep cache; the OS page cache is warm for both tools alike.
    clearCaches();
    samples.nxCold.push(measure(process.execPath, nxArgs));
    const nxWarm = measure(process.execPath, nxArgs);
    samples.nxWarm.push(nxWarm);
    nxOut = nxWarm.stdout;
    clearCaches();
    samples.lockstepCold.push(measure(...lockstepCmd));
    // Warm parse cache but no remembered result for this range: what a new commit range costs.
    rmSync(join(root, '.nx', 'workspace-data', 'nx-lockstep', 'results.cache'), { force: true });
    samples.lockstepWarmParse.push(measure(...lockstepCmd));
    const lsWarm = measure(...lockstepCmd);
    samples.lockstepWarm.push(lsWarm);
    lockstepOut = lsWarm.stdout;
    // The everyday case: one more commit (a function body edited in one lib), then
    // HEAD~1..HEAD with both tools' caches warm from the runs above. Made on a detached HEAD
    // and left behind, so the workspace and its history are as they were.
    run(process.execPath, nxArgs); // Nx's cache warm again (the lockstep cold run removed .nx)
    for (const [kind, label, lib] of [
      ['New', 'lib', Math.floor(libs / 2)],
      ['Hub', 'hub', 3],
    ]) {
      const edited = editForNewCommit(r, label, lib);
      const newRange = ['--base=HEAD~1', '--head=HEAD'];
      samples[`nx${kind}Commit`].push(
        measure(process.execPath, [NX_BIN, 'show', 'projects', '--affected', ...newRange, '--json']),
      );
      const lsNew = measure(...lockstepCommand(['affected', '--base', 'HEAD~1', '--head', 'HEAD', '--json']));
      samples[`lockstep${kind}Commit`].push(lsNew);
      newCommitAffected.push({
        kind: kind === 'New' ? 'lib' : 'hub',
        file: edited,
        affected: JSON.parse(lsNew.stdout).deployables.filter((d) => d.affected).length,
      });
    }
    workspace.git('checkout', '-q', checkedOutRef === 'HEAD' ? rangeHead : checkedOutRef);
  }
  const summary = Object.fromEntries(
    Object.entries(samples).map(([k, v]) => [
      k,
      {
        ms: median(v.map((s) => s.ms)),
        maxRssMiB: Math.max(...v.map((s) => s.maxRssMiB ?? 0)),
        samples: v.map((s) => Math.round(s.ms)),
      },
    ]),
  );
  const deployables = new Set(workspace.deployables.map((d) => d.name));
  const nxAffected = JSON.parse(nxOut).filter((p) => deployables.has(p)).length;
  const lockstepResult = JSON.parse(lockstepOut);
  return {
    range: { base: rangeBase, head: rangeHead, commits },
    ...summary,
    coldRatio: summary.lockstepCold.ms / summary.nxCold.ms,
    warmRatio: summary.lockstepWarm.ms / summary.nxWarm.ms,
    warmVsNxColdRatio: summary.lockstepWarm.ms / summary.nxCold.ms,
    warmParseRatio: summary.lockstepWarmParse.ms / summary.nxWarm.ms,
    newCommitRatio: summary.lockstepNewCommit.ms / summary.nxNewCommit.ms,
    hubCommitRatio: summary.lockstepHubCommit.ms / summary.nxHubCommit.ms,
    newCommitAffected,
    affected: {
      nx: nxAffected,
      lockstep: lockstepResult.deployables.filter((d) => d.affected).length,
      lockstepPrecision: lockstepResult.precision,
    },
  };
}

// ------------------------------------------------------------------ history replay
/** Every commit of the history: what Nx and each precision trigger, against what esbuild says changed. */
async function replayHistory() {
  const { analyzeAffected } = require(join(dist, 'engine.js'));
  const deployables = new Set(workspace.deployables.map((d) => d.name));
  const tools = ['nx', ...PRECISIONS];
  const totals = Object.fromEntries(tools.map((t) => [t, { triggered: 0, needed: 0, missed: 0, ms: 0, missedAt: [] }]));
  let projectVsNxDisagreements = 0;
  const perCommit = [];
  for (const [i, step] of history.entries()) {
    const sets = {};
    let s = performance.now();
    sets.nx = new Set(
      JSON.parse(
        run(process.execPath, [
          NX_BIN,
          'show',
          'projects',
          '--affected',
          `--base=${step.base}`,
          `--head=${step.head}`,
          '--json',
        ]),
      ).filter((p) => deployables.has(p)),
    );
    totals.nx.ms += performance.now() - s;
    for (const precision of PRECISIONS) {
      s = performance.now();
      const result = await analyzeAffected({ workspaceRoot: root, base: step.base, head: step.head, precision });
      totals[precision].ms += performance.now() - s;
      sets[precision] = new Set(result.deployables.filter((d) => d.affected).map((d) => d.project));
    }
    if ([...sets.nx].sort().join() !== [...sets.project].sort().join()) projectVsNxDisagreements++;
    perCommit.push({
      commit: i + 1,
      label: step.label,
      needed: step.needed.length,
      ...Object.fromEntries(tools.map((t) => [t, sets[t].size])),
    });
    for (const tool of tools) {
      const t = totals[tool];
      t.triggered += sets[tool].size;
      t.needed += step.needed.length;
      const missed = step.needed.filter((p) => !sets[tool].has(p));
      t.missed += missed.length;
      if (missed.length) t.missedAt.push({ commit: i + 1, label: step.label, edits: step.edits, missed });
    }
    if ((i + 1) % 10 === 0) log(`  replayed ${i + 1}/${history.length} commits`);
  }
  return {
    commits: history.length,
    kinds: countBy(history.map((h) => h.label)),
    projectVsNxDisagreements,
    byKind: summarizeByKind(perCommit, tools),
    perCommit,
    tools: Object.fromEntries(
      tools.map((t) => [
        t,
        {
          ...totals[t],
          amplification: totals[t].needed ? totals[t].triggered / totals[t].needed : null,
          avgMs: totals[t].ms / history.length,
        },
      ]),
    ),
  };
}

// ------------------------------------------------------------------ helpers

/** A realistic history: most commits touch one lib or app, some are comment/type-only, some touch a hub. */
function planCommit(random, ws) {
  const x = random.next();
  const hubs = 8;
  if (x < 0.45)
    return {
      label: 'lib',
      kind: random.pick(RUNTIME_EDITS),
      target: { libIndex: hubs + random.int(ws.libCount - hubs) },
    };
  if (x < 0.6)
    return { label: 'app', kind: random.pick(RUNTIME_EDITS), target: { app: random.pick(ws.deployables).name } };
  if (x < 0.8)
    return {
      label: 'comment/type',
      kind: random.pick(['comment', 'type-only']),
      target: { libIndex: random.int(ws.libCount) },
    };
  if (x < 0.92)
    return {
      label: 'hub',
      kind: random.pick(['function-body', 'function-body', 'constant-literal', 'unused-export', 'type-only']),
      target: { libIndex: random.int(hubs) },
    };
  return {
    label: 'move',
    kind: random.pick(['rename-file', 'delete-file']),
    target: { libIndex: hubs + random.int(ws.libCount - hubs) },
  };
}

function lockstepCommand(cliArgs) {
  const bin = join(REPO_ROOT, 'packages', 'nx-lockstep', 'bin', 'lockstep.js');
  if (!process.env.LOCKSTEP_DIST) return [process.execPath, [bin, ...cliArgs]];
  // A private build with its own launcher (scripts/lib/private-build.mjs copies bin/): run that,
  // so the build is timed as it ships (the CLI bundle, the heap setting for large parses).
  const privateBin = join(dirname(dist), 'bin', 'lockstep.js');
  if (existsSync(privateBin) && existsSync(join(dist, 'cli', 'main.bundle.js')))
    return [process.execPath, [privateBin, ...cliArgs]];
  // Otherwise the same steps as bin/lockstep.js, pointed at LOCKSTEP_DIST (tsc's modules, no bundle).
  const launcher = `require(${JSON.stringify(join(dist, 'engine.js'))}).enableCompileCache(); require(${JSON.stringify(join(dist, 'cli', 'main.js'))}).main(process.argv.slice(1)).then((c) => { process.exitCode = c; })`;
  return [process.execPath, ['-e', launcher, ...cliArgs]];
}

/**
 * Commits one more function-body edit on a detached HEAD from the range's head: the function of
 * the last `label` commit of the history ('lib': an everyday change in a domain lib; 'hub': a
 * shared utility fix) whose body edit changed some bundle, so the new commit reaches deployables
 * too. Without such a commit (no esbuild truth), the first function of lib `fallbackLib`.
 * Returns the file.
 */
function editForNewCommit(r, label, fallbackLib) {
  workspace.git('checkout', '-q', '--detach', rangeHead);
  const earlier = history
    .filter((step) => step.label === label && step.needed.length > 0)
    .flatMap((step) => step.edits.map((edit) => /^change the body of (\S+) in (\S+)$/.exec(edit)).filter(Boolean))
    .at(-1);
  const file =
    earlier?.[2] ??
    workspace
      .git('ls-files', `libs/lib${fallbackLib}/src/lib`)
      .split('\n')
      .find((f) => f.endsWith('.ts'));
  const path = join(root, file);
  const text = readFileSync(path, 'utf8');
  const from = earlier ? Math.max(0, text.indexOf(`function ${earlier[1]}(`)) : 0;
  const body = /let acc = n \* (\d+);/g;
  body.lastIndex = from;
  const match = body.exec(text);
  const edited = match
    ? `${text.slice(0, match.index)}let acc = n * ${Number(match[1]) + 100 + r};${text.slice(match.index + match[0].length)}`
    : `${text}\nexport const benchEdit${r} = ${r};\n`;
  writeFileSync(path, edited);
  workspace.git('commit', '-q', '-am', `bench: edit ${file}`);
  return file;
}

function clearCaches() {
  rmSync(join(root, '.nx'), { recursive: true, force: true });
  rmSync(COMPILE_CACHE, { recursive: true, force: true });
  // lockstep may keep its parse cache elsewhere; a cold run removes it wherever it is.
  for (const dir of ['node_modules/.cache/nx-lockstep', '.lockstep', '.cache/nx-lockstep']) {
    const full = join(root, dir);
    if (dir.startsWith('node_modules')) continue; // node_modules is a symlink to the repo's: never delete there
    rmSync(full, { recursive: true, force: true });
  }
}

/** Runs a command under /usr/bin/time -v (peak RSS) and measures wall time. */
function measure(cmd, cmdArgs) {
  const start = performance.now();
  const r = TIME
    ? spawnSync(TIME, ['-v', cmd, ...cmdArgs], { cwd: root, env: NX_ENV, encoding: 'utf8', maxBuffer: 1 << 28 })
    : spawnSync(cmd, cmdArgs, { cwd: root, env: NX_ENV, encoding: 'utf8', maxBuffer: 1 << 28 });
  const elapsed = performance.now() - start;
  if (r.status !== 0) fail(`${cmd} ${cmdArgs.join(' ')} failed (${r.status}):\n${r.stderr}`);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr ?? '');
  return { ms: elapsed, maxRssMiB: rss ? Number(rss[1]) / 1024 : null, stdout: r.stdout };
}

function run(cmd, cmdArgs) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, env: NX_ENV, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) fail(`${cmd} ${cmdArgs.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return r.stdout;
}

function printReport(rep) {
  const w = rep.workspace;
  log(
    `\nnx-lockstep benchmark — ${rep.date}, ${rep.machine.cpus} CPUs (${rep.machine.cpu}), ${rep.machine.memoryGiB} GiB, Node ${rep.machine.node}`,
  );
  log(
    `workspace: ${w.libs} libs, ${w.deployables} deployables, ${w.sourceFiles} source files, ${w.commits} commits (seed ${w.seed})`,
  );
  if (rep.timing) {
    const t = rep.timing;
    log(`\nspeed on ${t.range.base.slice(0, 8)}..${t.range.head.slice(0, 8)} (median of ${runs}; peak RSS = max):`);
    log(pad(['', 'wall ms', 'peak RSS MiB', 'samples']));
    for (const [name, k] of [
      ['nx show projects --affected (cold)', 'nxCold'],
      ['nx show projects --affected (warm)', 'nxWarm'],
      ['lockstep affected (cold)', 'lockstepCold'],
      ['lockstep (warm parse, no result cache)', 'lockstepWarmParse'],
      ['lockstep affected (warm)', 'lockstepWarm'],
      ['nx, new commit (a lib edit)', 'nxNewCommit'],
      ['lockstep, new commit (a lib edit)', 'lockstepNewCommit'],
      ['nx, new commit (a hub edit)', 'nxHubCommit'],
      ['lockstep, new commit (a hub edit)', 'lockstepHubCommit'],
    ]) {
      log(pad([name, Math.round(t[k].ms), t[k].maxRssMiB.toFixed(0), t[k].samples.join(' ')]));
    }
    log(
      `ratios: cold ${t.coldRatio.toFixed(2)}× Nx cold (goal ≤ 1.0), warm ${t.warmRatio.toFixed(2)}× Nx warm, warm ${t.warmVsNxColdRatio.toFixed(2)}× Nx cold (goal ≤ 0.2); warm parse cache without result cache ${t.warmParseRatio.toFixed(2)}× Nx warm; a new commit (HEAD~1..HEAD, caches warm) editing a lib ${t.newCommitRatio.toFixed(2)}×, a hub ${t.hubCommitRatio.toFixed(2)}× Nx on the same commit`,
    );
    log(
      `new commits: ${[...new Set(t.newCommitAffected.map((c) => `${c.kind} ${c.file} → ${c.affected} deployable${c.affected === 1 ? '' : 's'} affected`))].join('; ')}`,
    );
    log(
      `affected deployables on the range: nx ${t.affected.nx}, lockstep (${t.affected.lockstepPrecision}) ${t.affected.lockstep}`,
    );
  }
  if (rep.history) {
    const h = rep.history;
    log(
      `\nhistory replay: ${h.commits} commits (${Object.entries(h.kinds)
        .map(([k, v]) => `${v} ${k}`)
        .join(', ')}); needed = esbuild bundle changed or an own-root file changed`,
    );
    log(pad(['', 'triggered', 'needed', 'missed', 'amplification', 'avg ms/commit']));
    for (const [tool, r] of Object.entries(h.tools)) {
      log(
        pad([
          tool === 'nx' ? 'nx show projects --affected' : `lockstep ${tool}`,
          r.triggered,
          r.needed,
          r.missed,
          r.amplification?.toFixed(2) ?? '-',
          Math.round(r.avgMs),
        ]),
      );
    }
    log(`project precision vs nx: ${h.projectVsNxDisagreements} commits disagree`);
    log(
      `by commit kind (triggered, needed in brackets): ` +
        Object.entries(h.byKind)
          .map(
            ([k, v]) =>
              `${k} ×${v.commits} [${v.needed}] nx ${v.nx} project ${v.project} file ${v.file} symbol ${v.symbol}`,
          )
          .join(' | '),
    );
    for (const [tool, r] of Object.entries(h.tools))
      for (const m of r.missedAt)
        log(`  MISSED by ${tool} at commit ${m.commit} (${m.label}: ${m.edits.join('; ')}): ${m.missed.join(', ')}`);
  }
}

function pad(cells) {
  const widths = [44, 10, 14, 10, 14, 14];
  return cells.map((c, i) => String(c).padEnd(widths[i] ?? 10)).join('');
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Triggered and needed per commit kind: where each tool's amplification comes from. */
function summarizeByKind(perCommit, tools) {
  const out = {};
  for (const c of perCommit) {
    const k = (out[c.label] ??= { commits: 0, needed: 0, ...Object.fromEntries(tools.map((t) => [t, 0])) });
    k.commits++;
    k.needed += c.needed;
    for (const t of tools) k[t] += c[t];
  }
  return out;
}

function countBy(items) {
  const out = {};
  for (const i of items) out[i] = (out[i] ?? 0) + 1;
  return out;
}

function positiveInt(option, value, example) {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    fail(`${option}: "${value}" is not a positive integer; for example \`${example}\``);
  return n;
}

function ms(x) {
  return x < 1000 ? `${Math.round(x)} ms` : `${(x / 1000).toFixed(1)} s`;
}

function log(line) {
  process.stdout.write(line + '\n');
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(1);
}

main().catch((error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error}\n`);
  process.exitCode = 1;
});
