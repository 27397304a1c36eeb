#!/usr/bin/env node
// The Nx plugin's own cost in a CI job's first Nx command: `nx show projects` in a workspace
// whose Nx caches are gone but whose `.nx/workspace-data/nx-lockstep` is kept (what the generated
// pipelines restore), with nx-lockstep registered and without it, alternating, in the same run.
// Prints each variant's median wall time and the plugin's share (the difference).
//
//   node scripts/bench-plugin-graph.mjs --workspace /tmp/ws --plugin packages/nx-lockstep/dist/index.js
//   options: --rounds N (default 5) --isolated (plugins in their own processes, Nx's default;
//            without it NX_ISOLATE_PLUGINS=false)
//
// The workspace's nx.json gets the plugin entry (`--plugin`, else its existing nx-lockstep entry)
// or loses it, run by run, and is put back as it was at the end. Its nx-lockstep folder is filled
// by one run first. Remembered resolutions need a lockfile in the workspace (docs/engine.md).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    workspace: { type: 'string' },
    plugin: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    isolated: { type: 'boolean', default: false },
  },
});
const rounds = Number(values.rounds);
if (!values.workspace || !(rounds >= 1)) {
  process.stderr.write(
    'usage: node scripts/bench-plugin-graph.mjs --workspace WS [--plugin DIST/index.js] [--rounds N] [--isolated]\n',
  );
  process.exit(2);
}
const workspace = resolve(values.workspace);
const nxJsonPath = join(workspace, 'nx.json');
const original = readFileSync(nxJsonPath, 'utf8');
const nxJson = JSON.parse(original);
/** An nx-lockstep entry: by package name, or a path into a build of it (its package.json one folder up). */
const isLockstep = (entry) => {
  const name = typeof entry === 'string' ? entry : entry?.plugin;
  if (name === 'nx-lockstep') return true;
  if (typeof name !== 'string' || !name.endsWith('.js')) return false;
  try {
    return (
      JSON.parse(readFileSync(join(dirname(resolve(workspace, name)), '..', 'package.json'), 'utf8')).name ===
      'nx-lockstep'
    );
  } catch {
    return false;
  }
};
const existing = (nxJson.plugins ?? []).find(isLockstep);
const entry = values.plugin
  ? { ...(typeof existing === 'object' ? existing : {}), plugin: resolve(values.plugin) }
  : existing;
if (!entry) {
  process.stderr.write(`${nxJsonPath} registers no nx-lockstep plugin: pass --plugin <build>/dist/index.js\n`);
  process.exit(2);
}
const others = (nxJson.plugins ?? []).filter((plugin) => !isLockstep(plugin));
const variants = {
  'with nx-lockstep': JSON.stringify({ ...nxJson, plugins: [...others, entry] }, null, 2),
  'without it': JSON.stringify({ ...nxJson, plugins: others }, null, 2),
};
const nxPackage = createRequire(join(workspace, 'package.json')).resolve('nx/package.json');
const nxBin = join(nxPackage, '..', JSON.parse(readFileSync(nxPackage, 'utf8')).bin.nx);
const env = {
  ...process.env,
  CI: 'true',
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  NX_ISOLATE_PLUGINS: values.isolated ? 'true' : 'false',
};
const data = join(workspace, '.nx', 'workspace-data');
const kept = mkdtempSync(join(tmpdir(), 'lockstep-bench-plugin-'));

/** One `nx show projects` from Nx's caches gone and nx-lockstep's as kept; its wall time in ms. */
function run(nxJsonText) {
  rmSync(join(workspace, '.nx', 'cache'), { recursive: true, force: true });
  rmSync(data, { recursive: true, force: true });
  if (existsSync(join(kept, 'nx-lockstep')))
    cpSync(join(kept, 'nx-lockstep'), join(data, 'nx-lockstep'), { recursive: true });
  writeFileSync(nxJsonPath, `${nxJsonText}\n`);
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [nxBin, 'show', 'projects', '--json'], {
    cwd: workspace,
    env,
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`nx show projects failed:\n${result.stderr}`);
  return ms;
}

const median = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
try {
  if (
    !['package-lock.json', 'pnpm-lock.yaml', 'yarn.lock', 'bun.lock'].some((file) => existsSync(join(workspace, file)))
  )
    process.stderr.write('note: no lockfile in the workspace: nx-lockstep remembers no resolutions there.\n');
  // Fill nx-lockstep's folder (summaries, remembered resolutions) as a previous job would have.
  run(variants['with nx-lockstep']);
  cpSync(join(data, 'nx-lockstep'), join(kept, 'nx-lockstep'), { recursive: true });
  const times = Object.fromEntries(Object.keys(variants).map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? Object.keys(variants) : Object.keys(variants).reverse();
    for (const name of order) times[name].push(run(variants[name]));
  }
  const mode = values.isolated ? 'plugins isolated' : 'plugins in process';
  process.stdout.write(`nx show projects, Nx's caches gone, nx-lockstep's kept; ${mode}; ${rounds} rounds\n`);
  for (const [name, list] of Object.entries(times)) {
    const sorted = [...list].sort((a, b) => a - b);
    process.stdout.write(
      `  ${name.padEnd(17)} median ${median(list).toFixed(0)} ms (${sorted.map((ms) => ms.toFixed(0)).join(', ')})\n`,
    );
  }
  const withPlugin = median(times['with nx-lockstep']);
  const without = median(times['without it']);
  process.stdout.write(
    `  the plugin's share: ${(withPlugin - without).toFixed(0)} ms; with it ${(withPlugin / without).toFixed(2)}× the time without it\n`,
  );
} finally {
  writeFileSync(nxJsonPath, original);
  rmSync(kept, { recursive: true, force: true });
}
