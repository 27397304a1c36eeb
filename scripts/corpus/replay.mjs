#!/usr/bin/env node
// Replays the real-world corpus (scripts/corpus/corpus.json, set up by setup.mjs) through
// `nx show projects --affected` and `lockstep affected` at project, file and symbol precision, and
// scores lockstep against the truth of scripts/corpus/truth.mjs (own root + esbuild bundle inputs;
// by-hand judgements in judgements.json where no bundle can be built).
//
//   node scripts/corpus/replay.mjs [name…]
//
// Environment:
//   LOCKSTEP_CORPUS_DIR      the checkouts (default /tmp/lockstep-corpus); results cache in <dir>/.results
//   LOCKSTEP_BIN             the lockstep CLI to judge (default packages/nx-lockstep/bin/lockstep.js here)
//   LOCKSTEP_CORPUS_LABEL    names the results cache (default: "current"); use another per engine build
//   LOCKSTEP_CORPUS_COMMITS  first-parent commits replayed per repo (default 40)
//   LOCKSTEP_CORPUS_TAGS     release tags replayed per repo, newest first (default 4 → 3 pairs; 0 = none)
//   LOCKSTEP_CORPUS_SERIAL=1 run nx and the three lockstep precisions one after another (cleaner timing)
//   LOCKSTEP_CORPUS_CLI=1    run each precision as its own `lockstep affected` process (default: the three in
//                            this process, sharing the engine and the Nx projects: engine-runner.mjs)
//   LOCKSTEP_CORPUS_TIME_SAMPLE=n  after the replay, time the newest n commit ranges through both CLIs, one
//                            after the other (the time columns prefer these)
//   LOCKSTEP_CORPUS_ORDER=newest-first  tag pairs, then commits newest first (default: oldest first); a second
//                            process on the same repo and label meets the first in the middle (rows are cached
//                            per range as they finish; each order has its own truth worktree)
//   LOCKSTEP_CORPUS_SEED     another label whose cached rows are copied where this label has none (only for
//                            the same engine: the answers are not recomputed)
//   LOCKSTEP_CORPUS_REPORT_ONLY=1 score what is cached, run nothing (while a replay is still going)
//   LOCKSTEP_CORPUS_OUT      where the Markdown table goes (default <dir>/.results/<label>/report.md)
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { CORPUS_DIR, NX_ENV, nodeTooOld, readCorpus } from './setup.mjs';
import {
  bundleInputs,
  diffInputs,
  entriesAt,
  lockfileChangedPackages,
  materialise,
  ownRootChanges,
  truthWorktree,
} from './truth.mjs';
import { loadEngine } from './engine-runner.mjs';

const execFileAsync = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const LOCKSTEP_BIN = resolve(process.env.LOCKSTEP_BIN ?? join(repoRoot, 'packages/nx-lockstep/bin/lockstep.js'));
const LABEL = process.env.LOCKSTEP_CORPUS_LABEL ?? 'current';
const COMMITS = Number(process.env.LOCKSTEP_CORPUS_COMMITS ?? 40);
const TAGS = Number(process.env.LOCKSTEP_CORPUS_TAGS ?? 4);
const RESULTS = join(CORPUS_DIR, '.results', LABEL);
// v2: bundles also list the external packages they import; v3: Angular templateUrl/styleUrl(s) files are inputs;
// v4: re-exports of a declaration file are types (code-pushup), aliases into a build output follow its sources;
// v5/v6: a file the sources-only truth worktree lacks is compared by its git blob (ryla's ./globals.css); one git
// does not hold is generated and leaves an otherwise unchanged bundle to a judgement (ngrx's api-report.min.json).
const TRUTH_VERSION = 6;
const TRUTH_CACHE = join(CORPUS_DIR, '.results', `truth-v${TRUTH_VERSION}`);
const PRECISIONS = ['project', 'file', 'symbol'];
const JUDGEMENTS = join(here, 'judgements.json');
const SERIAL = process.env.LOCKSTEP_CORPUS_SERIAL === '1';
const REPORT_ONLY = process.env.LOCKSTEP_CORPUS_REPORT_ONLY === '1';
const IN_PROCESS = process.env.LOCKSTEP_CORPUS_CLI !== '1';
const SEED = process.env.LOCKSTEP_CORPUS_SEED;
const TIME_SAMPLE = Number(process.env.LOCKSTEP_CORPUS_TIME_SAMPLE ?? 0);
const NEWEST_FIRST = process.env.LOCKSTEP_CORPUS_ORDER === 'newest-first';

/** The nx CLI of a checkout, from its package.json `bin` (Nx 23.1+ moved it under dist/). */
function nxBinOf(dir) {
  const pkg = JSON.parse(readFileSync(join(dir, 'node_modules/nx/package.json'), 'utf8'));
  return join(dir, 'node_modules/nx', typeof pkg.bin === 'string' ? pkg.bin : pkg.bin.nx);
}

function git(cwd, args) {
  return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 }).trim();
}

async function timed(cmd, args, cwd) {
  const started = process.hrtime.bigint();
  try {
    const { stdout } = await execFileAsync(cmd, args, {
      cwd,
      env: { ...process.env, ...NX_ENV },
      maxBuffer: 1 << 28,
      timeout: 15 * 60_000,
    });
    return { ok: true, stdout, ms: Number(process.hrtime.bigint() - started) / 1e6 };
  } catch (error) {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    return { ok: false, error: `${error.stderr || error.message}`.slice(-2000), stdout: error.stdout, ms };
  }
}

/** The ranges to replay: the last COMMITS first-parent commits, then consecutive release-tag pairs. */
function ranges(dir, commit) {
  const firstParent = git(dir, ['rev-list', '--first-parent', `--max-count=${COMMITS + 1}`, commit]).split('\n');
  const out = [];
  for (let i = firstParent.length - 1; i > 0; i--) {
    out.push({ kind: 'commit', base: firstParent[i], head: firstParent[i - 1] });
  }
  if (TAGS > 1) {
    const tags = git(dir, ['tag', '--merged', commit, '--sort=-creatordate'])
      .split('\n')
      .filter((t) => /^(?:[\w.-]+[-@])?v?\d+\.\d+\.\d+$/.test(t))
      .slice(0, TAGS)
      .reverse();
    for (let i = 1; i < tags.length; i++) {
      out.push({
        kind: 'tags',
        label: `${tags[i - 1]}..${tags[i]}`,
        base: git(dir, ['rev-parse', `${tags[i - 1]}^{commit}`]),
        head: git(dir, ['rev-parse', `${tags[i]}^{commit}`]),
      });
    }
  }
  return out;
}

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The precisions through the CLI, one process each (LOCKSTEP_CORPUS_CLI=1: how stops 1–9 ran). */
async function lockstepCli(dir, range) {
  const lockstep = async (precision) => {
    const r = await timed(
      'node',
      [LOCKSTEP_BIN, 'affected', '--base', range.base, '--head', range.head, '--precision', precision, '--json'],
      dir,
    );
    const json = r.ok ? parseJson(r.stdout) : undefined;
    return { ms: r.ms, json, error: json ? undefined : (r.error ?? 'no JSON output') };
  };
  if (SERIAL) {
    const out = [];
    for (const p of PRECISIONS) out.push(await lockstep(p));
    return out;
  }
  return Promise.all(PRECISIONS.map(lockstep));
}

/** The precisions in this process, one after another, sharing the engine and the Nx projects (engine-runner.mjs). */
async function lockstepInProcess(dir, range) {
  engine ??= loadEngine(LOCKSTEP_BIN);
  const out = [];
  for (const p of PRECISIONS) {
    const r = await engine.affected(dir, range.base, range.head, p);
    out.push({ ms: r.ms, json: r.json, error: r.ok ? undefined : r.error });
  }
  return out;
}
let engine;

async function runTools(dir, range, deployables) {
  const nxBin = nxBinOf(dir);
  const nxRun = () =>
    timed('node', [nxBin, 'show', 'projects', '--affected', '--base', range.base, '--head', range.head, '--json'], dir);
  const started = Date.now();
  // Nx runs beside the lockstep precisions (CLI: side by side, each competing with the others, so
  // the lockstep/Nx time ratio stays comparable; LOCKSTEP_CORPUS_SERIAL=1 runs them one by one).
  let nx;
  let byPrecision;
  if (IN_PROCESS) [nx, byPrecision] = await Promise.all([nxRun(), lockstepInProcess(dir, range)]);
  else if (SERIAL) [nx, byPrecision] = [await nxRun(), await lockstepCli(dir, range)];
  else [nx, byPrecision] = await Promise.all([nxRun(), lockstepCli(dir, range)]);
  const nxAll = nx.ok ? parseJson(nx.stdout.slice(nx.stdout.indexOf('['))) : undefined;
  const out = {
    serial: SERIAL,
    // In process, lockstep's times leave out Node start-up and the (shared) Nx projects: not a CLI time.
    inProcess: IN_PROCESS,
    engine: LOCKSTEP_BIN,
    wallMs: Date.now() - started,
    nx: {
      ms: nx.ms,
      affected: nxAll?.filter((p) => deployables.includes(p)).sort(),
      error: nx.ok ? undefined : nx.error,
    },
  };
  PRECISIONS.forEach((precision, i) => {
    const { ms, json, error } = byPrecision[i];
    out[precision] = {
      ms,
      error: json ? undefined : `${error ?? 'no JSON output'}`.slice(-1500),
      deployables: json?.deployables.map((d) => d.project).sort(),
      affected: json?.deployables
        .filter((d) => d.affected)
        .map((d) => d.project)
        .sort(),
      uncertain: json?.deployables.flatMap((d) =>
        d.reasons.filter((x) => x.kind === 'analysis-uncertain').map((x) => ({ project: d.project, ...x })),
      ),
      reasons: json ? Object.fromEntries(json.deployables.map((d) => [d.project, d.reasons.slice(0, 3)])) : undefined,
    };
  });
  return out;
}

/** Per deployable: bundle inputs at a commit (cached on disk; independent of the engine judged). */
async function bundlesAt(entry, checkout, tree, commit) {
  const file = join(TRUTH_CACHE, entry.name, `${commit}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  materialise(tree, checkout, commit);
  const out = {};
  for (const [name, d] of Object.entries(entry.deployables)) {
    if (!d.entry && !d.entryPattern) {
      out[name] = { error: 'no bundle entry recorded in corpus.json' };
      continue;
    }
    out[name] = await bundleInputs(tree, entriesAt(tree, d.root, d), d.root, { pathRewrites: entry.truthPathRewrites });
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(out));
  return out;
}

async function truthFor(entry, checkout, tree, range, roots) {
  const changed = git(checkout, ['diff', '--name-only', '--no-renames', range.base, range.head])
    .split('\n')
    .filter(Boolean);
  const before = await bundlesAt(entry, checkout, tree, range.base);
  const after = await bundlesAt(entry, checkout, tree, range.head);
  const lockfiles = changed.filter((f) =>
    /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|pnpm-lock\.yaml|yarn\.lock|bun\.lock)$/.test(f),
  );
  const lockChanged = lockfiles.length
    ? lockfileChangedPackages(git(checkout, ['diff', '-U0', range.base, range.head, '--', ...lockfiles]))
    : new Set();
  const truth = {};
  for (const name of Object.keys(entry.deployables)) {
    const own = ownRootChanges(changed, roots[name], { stories: entry.deployables[name].storybook === true });
    const b = before[name];
    const a = after[name];
    const inputsDiff = b?.inputs && a?.inputs ? diffInputs(b.inputs, a.inputs) : undefined;
    // A locked-version change of a package the bundle imports (at either commit) ships too.
    const externals = [...new Set([...(b?.externals ?? []), ...(a?.externals ?? [])])].filter((p) =>
      lockChanged.has(p),
    );
    let bundle = inputsDiff && [...inputsDiff, ...externals.map((p) => `package ${p}`)];
    // An unchanged bundle that imports generated files git does not hold cannot say "not needed".
    const generated = [...new Set([...(b?.generated ?? []), ...(a?.generated ?? [])])];
    const generatedUnknown = bundle?.length === 0 && generated.length > 0;
    if (generatedUnknown) bundle = undefined;
    truth[name] = {
      own: own.slice(0, 5),
      ownCount: own.length,
      bundle: bundle?.slice(0, 5),
      bundleCount: bundle?.length,
      bundleError: bundle
        ? undefined
        : generatedUnknown
          ? `imports generated ${generated.slice(0, 3).join(', ')} (not in git): judge by hand`
          : (b?.error ?? a?.error),
    };
  }
  return { changedCount: changed.length, touchesCode: changed.some((f) => /\.[cm]?[jt]sx?$/.test(f)), truth };
}

function projectRoots(dir, names) {
  const roots = {};
  const nxBin = nxBinOf(dir);
  for (const name of names) {
    const text = execFileSync('node', [nxBin, 'show', 'project', name, '--json'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ...NX_ENV },
      maxBuffer: 1 << 28,
    });
    roots[name] = JSON.parse(text.slice(text.indexOf('{'))).root;
  }
  return roots;
}

function loadJudgements() {
  return existsSync(JUDGEMENTS) ? JSON.parse(readFileSync(JUDGEMENTS, 'utf8')).judgements : [];
}

/** needed: true/false, or undefined where only a by-hand judgement could say (and none exists). */
function needed(repo, range, name, t, judgements) {
  const j = judgements.find(
    (x) => x.repo === repo && x.head === range.head && x.base === range.base && x.deployable === name,
  );
  if (j) return j.needed;
  if (t.ownCount > 0) return true;
  if (t.bundleCount !== undefined) return t.bundleCount > 0;
  return undefined;
}

async function replayRepo(entry, judgements) {
  const dir = join(CORPUS_DIR, entry.name);
  if (!existsSync(join(dir, 'node_modules')))
    throw new Error(`${dir} is not set up: run node scripts/corpus/setup.mjs ${entry.name}`);
  const deployables = Object.keys(entry.deployables);
  const cacheDir = join(RESULTS, entry.name);
  mkdirSync(cacheDir, { recursive: true });
  const rootsFile = join(cacheDir, 'roots.json');
  const seedRoots = SEED && join(CORPUS_DIR, '.results', SEED, entry.name, 'roots.json');
  if (!existsSync(rootsFile) && seedRoots && existsSync(seedRoots)) writeFileSync(rootsFile, readFileSync(seedRoots));
  const roots = existsSync(rootsFile) ? JSON.parse(readFileSync(rootsFile, 'utf8')) : projectRoots(dir, deployables);
  writeFileSync(rootsFile, JSON.stringify(roots));
  for (const [name, d] of Object.entries(entry.deployables)) d.root = roots[name];
  // A second replay of the same repo (LOCKSTEP_CORPUS_ORDER=newest-first) needs its own truth worktree.
  const tree = REPORT_ONLY
    ? undefined
    : truthWorktree(dir, CORPUS_DIR, `${entry.name}${NEWEST_FIRST ? '-newest' : ''}`);
  const replayed = NEWEST_FIRST ? ranges(dir, entry.commit).reverse() : ranges(dir, entry.commit);
  // The empty range first: a partial replay still says whether nothing changed affects nothing.
  const all = [{ kind: 'empty', base: entry.commit, head: entry.commit }, ...replayed];
  const rows = [];
  const started = Date.now();
  for (const range of all) {
    const file = join(cacheDir, `${range.kind}-${range.base.slice(0, 12)}-${range.head.slice(0, 12)}.json`);
    let row = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
    const seedFile = SEED && join(CORPUS_DIR, '.results', SEED, entry.name, basename(file));
    if (!row && seedFile && existsSync(seedFile)) {
      // The same engine's answers under an earlier label (checked before seeding: docs/real-world.md).
      row = { ...JSON.parse(readFileSync(seedFile, 'utf8')), seededFrom: SEED };
      writeFileSync(file, JSON.stringify(row, null, 1));
    }
    if (!row && REPORT_ONLY) continue;
    if (row && row.kind !== 'empty' && row.truthVersion !== TRUTH_VERSION && !REPORT_ONLY) {
      // Tools' answers stay; the truth is recomputed by the current rules.
      Object.assign(row, await truthFor(entry, dir, tree, range, roots), { truthVersion: TRUTH_VERSION });
      writeFileSync(file, JSON.stringify(row, null, 1));
    }
    if (!row) {
      const tools = await runTools(dir, range, deployables);
      const truth = range.kind === 'empty' ? undefined : await truthFor(entry, dir, tree, range, roots);
      row = { ...range, tools, ...truth, truthVersion: TRUTH_VERSION };
      writeFileSync(file, JSON.stringify(row, null, 1));
      const s = tools.symbol;
      process.stdout.write(
        `  ${range.kind} ${range.label ?? range.head.slice(0, 10)}: nx [${tools.nx.affected ?? 'ERR'}] ` +
          `symbol [${s.affected ?? 'ERR'}] (nx ${Math.round(tools.nx.ms)} / symbol ${Math.round(s.ms)} ms, range ${tools.wallMs} ms)\n`,
      );
    }
    rows.push(row);
  }
  if (!REPORT_ONLY) await timeSample(dir, rows, cacheDir);
  return { entry, rows, seconds: (Date.now() - started) / 1000, judgements };
}

/**
 * LOCKSTEP_CORPUS_TIME_SAMPLE=n: the newest n commit ranges timed through the CLIs, one after the
 * other (`nx show projects --affected`, then `lockstep affected --precision symbol`), both with
 * their caches as the replay left them. Kept in the row as `cliTiming`; the time columns use it.
 */
async function timeSample(dir, rows, cacheDir) {
  const commits = rows.filter((r) => r.kind === 'commit').slice(-TIME_SAMPLE);
  const nxBin = nxBinOf(dir);
  for (const row of TIME_SAMPLE > 0 ? commits : []) {
    if (row.cliTiming) continue;
    const range = ['--base', row.base, '--head', row.head];
    const nx = await timed('node', [nxBin, 'show', 'projects', '--affected', ...range, '--json'], dir);
    const symbol = await timed('node', [LOCKSTEP_BIN, 'affected', ...range, '--precision', 'symbol', '--json'], dir);
    if (!nx.ok || !symbol.ok) continue;
    row.cliTiming = { nxMs: nx.ms, symbolMs: symbol.ms, serial: true, at: new Date().toISOString() };
    writeFileSync(
      join(cacheDir, `${row.kind}-${row.base.slice(0, 12)}-${row.head.slice(0, 12)}.json`),
      JSON.stringify(row, null, 1),
    );
    process.stdout.write(
      `  timed ${row.head.slice(0, 10)}: nx ${Math.round(nx.ms)} ms, lockstep symbol ${Math.round(symbol.ms)} ms\n`,
    );
  }
}

/** The scores of one repo (see docs/real-world.md for what each column means). */
export function score({ entry, rows, judgements }) {
  const s = {
    repo: entry.name,
    ranges: 0,
    codeCommits: 0,
    missed: { project: 0, file: 0, symbol: 0 },
    misses: [],
    toJudge: [],
    triggered: { project: 0, file: 0, symbol: 0 },
    needed: 0,
    unknownTruth: 0,
    nx: 0,
    projectVsNx: 0,
    errors: 0,
    emptyAffected: undefined,
    emptyUncertain: undefined,
    nxMs: 0,
    symbolMs: 0,
    nxTimes: [],
    symbolTimes: [],
    sampled: [],
    bundled: 0,
    compared: 0,
  };
  for (const row of rows) {
    const t = row.tools;
    if (row.kind === 'empty') {
      s.emptyAffected = t.symbol.affected?.length;
      s.emptyUncertain = t.symbol.uncertain?.length;
      continue;
    }
    s.ranges++;
    if (row.kind === 'commit' && row.touchesCode) s.codeCommits++;
    const lockstepOk = PRECISIONS.every((p) => t[p].affected);
    if (!t.nx.affected || !lockstepOk) s.errors++;
    if (t.nx.affected) s.nx += t.nx.affected.length;
    if (t.nx.affected && lockstepOk) {
      // Time ratios only from CLI runs: in process, lockstep skips Node start-up and shares the Nx projects.
      if (!t.inProcess) {
        s.nxMs += t.nx.ms;
        s.symbolMs += t.symbol.ms;
        s.nxTimes.push(t.nx.ms);
        s.symbolTimes.push(t.symbol.ms);
      }
      if (row.cliTiming) s.sampled.push(row.cliTiming);
      s.compared++;
      if (t.project.affected.join() !== t.nx.affected.join()) s.projectVsNx++;
      for (const p of PRECISIONS) s.triggered[p] += t[p].affected.length;
    }
    for (const name of Object.keys(entry.deployables)) {
      const tr = row.truth?.[name];
      if (!tr) continue;
      if (tr.bundleCount !== undefined) s.bundled++;
      const need = needed(entry.name, row, name, tr, judgements);
      if (need === undefined) {
        s.unknownTruth++;
        if (lockstepOk && t.nx.affected?.includes(name) && !t.symbol.affected.includes(name)) {
          s.toJudge.push({ repo: entry.name, base: row.base, head: row.head, deployable: name, error: tr.bundleError });
        }
        continue;
      }
      if (need) s.needed++;
      if (!lockstepOk) continue;
      for (const p of PRECISIONS) {
        if (need && !t[p].affected.includes(name)) {
          s.missed[p]++;
          s.misses.push({
            precision: p,
            range: row.label ?? row.head.slice(0, 12),
            base: row.base,
            head: row.head,
            deployable: name,
            own: tr.own,
            bundle: tr.bundle,
          });
        }
      }
    }
  }
  return s;
}

export function table(scores) {
  const lines = [
    '| repo | ranges (code commits) | missed project / file / symbol | deploys triggered symbol / file / project | needed | Nx | project == Nx | empty range: affected / uncertain | time lockstep symbol / Nx | truth by bundle | errors |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const s of scores) {
    const n = s.nxTimes.length;
    const time =
      n > 0
        ? `${(s.symbolMs / 1000).toFixed(0)} s / ${(s.nxMs / 1000).toFixed(0)} s = ${(s.symbolMs / s.nxMs).toFixed(2)}× (${n} CLI-timed)`
        : '- (no CLI-timed range)';
    lines.push(
      `| ${s.repo} | ${s.ranges} (${s.codeCommits}) | ${s.missed.project} / ${s.missed.file} / ${s.missed.symbol} | ${s.triggered.symbol} / ${s.triggered.file} / ${s.triggered.project} | ${s.needed}${s.unknownTruth ? ` (+${s.unknownTruth} unknown)` : ''} | ${s.nx} | ${s.compared === 0 ? 'n/a (lockstep failed)' : s.projectVsNx === 0 ? 'yes' : `no (${s.projectVsNx} ranges differ)`} | ${s.emptyAffected ?? '-'} / ${s.emptyUncertain ?? '-'} | ${time} | ${s.bundled} | ${s.errors} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** Per repo: median `nx show projects --affected` and `lockstep affected` (symbol) per CLI-timed range. */
export function timedTable(scores) {
  const lines = [
    '| repo | one after the other: ranges, median Nx / lockstep (symbol), ratio | side by side (replay rows): ranges, median Nx / lockstep (symbol), ratio |',
    '| --- | --- | --- |',
  ];
  const cell = (n, nxMs, symbolMs) =>
    n === 0
      ? '-'
      : `${n}: ${(nxMs / 1000).toFixed(1)} s / ${(symbolMs / 1000).toFixed(1)} s = ${(symbolMs / nxMs).toFixed(2)}×`;
  for (const s of scores) {
    const serial = cell(
      s.sampled.length,
      median(s.sampled.map((x) => x.nxMs)),
      median(s.sampled.map((x) => x.symbolMs)),
    );
    lines.push(`| ${s.repo} | ${serial} | ${cell(s.nxTimes.length, median(s.nxTimes), median(s.symbolTimes))} |`);
  }
  return `${lines.join('\n')}\n`;
}

/** The misses and the ranges left to judge by hand, below the table. */
export function details(scores) {
  const lines = [];
  for (const s of scores) {
    for (const m of s.misses) {
      lines.push(
        `- miss: ${s.repo} ${m.range} (${m.base.slice(0, 10)}..${m.head.slice(0, 10)}) ${m.deployable} at ${m.precision}: ` +
          `own ${JSON.stringify(m.own)} bundle ${JSON.stringify(m.bundle)}`,
      );
    }
    for (const j of s.toJudge) {
      lines.push(
        `- to judge: ${s.repo} ${j.base.slice(0, 10)}..${j.head.slice(0, 10)} ${j.deployable} (no bundle: ${j.error})`,
      );
    }
  }
  return lines.length > 0 ? `\n${lines.join('\n')}\n` : '';
}

async function main() {
  const only = process.argv.slice(2);
  const repos = readCorpus().filter((r) => only.length === 0 || only.includes(r.name));
  const judgements = loadJudgements();
  mkdirSync(RESULTS, { recursive: true });
  console.log(`lockstep: ${LOCKSTEP_BIN}\nresults: ${RESULTS}`);
  const scores = [];
  for (const entry of repos) {
    console.log(`\n== ${entry.name}`);
    const tooOld = nodeTooOld(entry);
    if (tooOld) {
      console.error(`   not replayed: ${tooOld}`);
      continue;
    }
    try {
      const replay = await replayRepo(entry, judgements);
      const s = score(replay);
      s.seconds = replay.seconds;
      scores.push(s);
      writeFileSync(join(RESULTS, entry.name, 'score.json'), JSON.stringify(s, null, 2));
      console.log(
        `   ${replay.rows.length} ranges in ${replay.seconds.toFixed(0)} s; missed symbol ${s.missed.symbol}, to judge ${s.toJudge.length}`,
      );
    } catch (error) {
      console.error(`   replay of ${entry.name} failed: ${error.stack ?? error}`);
    }
  }
  const report = `${table(scores)}${details(scores)}\n${timedTable(scores)}`;
  const out = process.env.LOCKSTEP_CORPUS_OUT ?? join(RESULTS, 'report.md');
  writeFileSync(out, report);
  console.log(`\n${report}\nwritten to ${out}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
