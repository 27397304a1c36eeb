#!/usr/bin/env node
// Times `lockstep graph` on the benchmark's synthetic workspace (scripts/lib/synthetic-workspace.mjs,
// the shape of `npm run bench`: 500 libraries, 50 deployables, ~5,000 source files) for each
// format, and reports the file sizes. A benchmark, not a test: numbers go to docs/benchmarks.md.
//
//   npm run build && node scripts/bench-graph.mjs [--libs 500] [--deployables 50] [--files 5000] [--workdir DIR]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO_ROOT, SyntheticWorkspace } from './lib/synthetic-workspace.mjs';

const { values: args } = parseArgs({
  options: {
    libs: { type: 'string', default: '500' },
    deployables: { type: 'string', default: '50' },
    files: { type: 'string', default: '5000' },
    workdir: { type: 'string', default: join(process.env.LOCKSTEP_E2E_HOME ?? '/tmp', 'bench-graph') },
  },
});
const libs = Number(args.libs);
const deployables = Number(args.deployables);
const files = Number(args.files);
const bin = join(REPO_ROOT, 'packages', 'nx-lockstep', 'bin', 'lockstep.js');
if (!existsSync(join(REPO_ROOT, 'packages', 'nx-lockstep', 'dist', 'cli', 'main.js')))
  throw new Error('packages/nx-lockstep/dist is missing: run `npm run build` first');
const env = { ...process.env, CI: 'true', NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_NO_CLOUD: 'true' };

const root = join(args.workdir, `graph-${libs}-${deployables}-${files}`);
rmSync(root, { recursive: true, force: true });
mkdirSync(args.workdir, { recursive: true });
let t0 = performance.now();
const filesPerLib = Math.max(1, Math.round((files - deployables * 3) / libs) - 1);
const workspace = SyntheticWorkspace.create(root, {
  seed: 1,
  libs,
  deployables,
  filesPerLib,
  appFiles: 2,
  hubs: 8,
  domainSize: 25,
  maxLibDeps: 4,
  maxAppLibs: 8,
  remote: false,
});
console.log(
  `workspace: ${libs} libraries, ${deployables} deployables, ${workspace.sourceFileCount} source files (${Math.round(performance.now() - t0)} ms to generate)`,
);
// A base one commit back, so the HTML carries affected deployables and their explanations.
const last = workspace.git('rev-parse', 'HEAD');

const results = [];
const lockstep = (label, argv) => {
  t0 = performance.now();
  // LOCKSTEP_DEBUG_TIMING: the command reports reading the workspace apart from rendering.
  const run = spawnSync(process.execPath, [bin, 'graph', ...argv], {
    cwd: root,
    env: { ...env, LOCKSTEP_DEBUG_TIMING: '1' },
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`lockstep graph ${argv.join(' ')} failed:\n${run.stderr}`);
  const ms = Math.round(performance.now() - t0);
  const split = /graph data (\d+) ms, \w+ rendering (\d+) ms/.exec(run.stderr);
  const [data, rendering] = split ? [Number(split[1]), Number(split[2])] : [null, null];
  results.push({ label, ms, data, rendering });
  console.log(`${label}: ${ms} ms (reading the workspace into graph data ${data} ms, rendering ${rendering} ms)`);
};
// Cold: the first run parses every file (the parse cache is empty); the next ones reuse it.
lockstep('html, cold parse cache', ['--format', 'html', '--out', 'graph-cold.html']);
lockstep('html', ['--format', 'html', '--out', 'graph.html']);
lockstep('html with --base', ['--format', 'html', '--out', 'graph-affected.html', '--base', `${last}`]);
lockstep('mermaid', ['--format', 'mermaid', '--out', 'graph.mmd']);
lockstep('dot', ['--format', 'dot', '--out', 'graph.dot']);
for (const file of ['graph.html', 'graph-affected.html', 'graph.mmd', 'graph.dot'])
  console.log(`${file}: ${Math.round(statSync(join(root, file)).size / 1024)} KiB`);
console.log(JSON.stringify({ libs, deployables, sourceFiles: workspace.sourceFileCount, results }));
