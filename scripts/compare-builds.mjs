#!/usr/bin/env node
// Compares two builds of the engine on a benchmark workspace: every commit of its history (parent
// → commit) and two longer ranges, at symbol and file precision, each build with its own caches.
// A change meant to make the engine faster must leave every result byte-identical.
//
//   node scripts/lib/private-build.mjs /tmp/before   # on the commit before the change
//   node scripts/lib/private-build.mjs /tmp/after    # on the change
//   node scripts/compare-builds.mjs /tmp/lockstep-bench/ws-5000-7 /tmp/before/dist /tmp/after/dist
//
// The engines are loaded in this process, so both use the installed compiler as Node loads it.
// `--cli` runs each build's own `bin/lockstep.js` per range instead (its code cache and the
// minified compiler copy its build made, each build its own data folder): slower, and what a
// change to how the command line loads its code is judged by.
//
// The workspace and its history come from `npm run bench` (ws-<files>-<seed> and its
// .history.json beside it). Exits 1 when any result differs.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const cli = process.argv.includes('--cli');
const [workspaceArg, distA, distB] = process.argv.slice(2).filter((arg) => arg !== '--cli');
if (!workspaceArg || !distA || !distB) {
  process.stderr.write('usage: node scripts/compare-builds.mjs [--cli] <bench workspace> <dist A> <dist B>\n');
  process.exit(2);
}
const workspace = resolve(workspaceArg);
const history = JSON.parse(readFileSync(`${workspace}.history.json`, 'utf8')).history;
Object.assign(process.env, { NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_NO_CLOUD: 'true', CI: 'true' });
const require = createRequire(import.meta.url);
const builds = [distA, distB].map((dist) => ({
  dist,
  analyzeAffected: cli ? undefined : loadEngine(resolve(dist)).analyzeAffected,
  data: mkdtempSync(join(tmpdir(), 'lockstep-compare-')),
}));

const ranges = [
  ...history.map((step) => [step.base, step.head]),
  [history[0].base, history.at(-1).head],
  [history[Math.floor(history.length / 2)].base, history.at(-1).head],
];
let compared = 0;
let differ = 0;
try {
  for (const precision of ['symbol', 'file']) {
    for (const [base, head] of ranges) {
      const outputs = [];
      for (const build of builds) {
        process.env.NX_WORKSPACE_DATA_DIRECTORY = build.data; // each build its own caches
        outputs.push(
          cli
            ? runCli(build, ['affected', '--base', base, '--head', head, '--precision', precision, '--json'])
            : JSON.stringify(await build.analyzeAffected({ workspaceRoot: workspace, base, head, precision })),
        );
      }
      compared++;
      if (outputs[0] !== outputs[1]) {
        differ++;
        process.stdout.write(`differs: ${precision} ${base.slice(0, 8)}..${head.slice(0, 8)}\n`);
      }
    }
  }
} finally {
  for (const build of builds) rmSync(build.data, { recursive: true, force: true });
}
process.stdout.write(`${compared} results compared, ${differ} differ\n`);
process.exitCode = differ > 0 ? 1 : 0;

/** The public engine entry (dist/engine.js); a build from before it existed has only its internal module. */
function loadEngine(dist) {
  return require(existsSync(join(dist, 'engine.js')) ? join(dist, 'engine.js') : join(dist, 'adapters', 'analyze.js'));
}

/** The build's command line (`<dist>/../bin/lockstep.js`) on the workspace; its standard output. */
function runCli(build, cliArgs) {
  const run = spawnSync(process.execPath, [join(resolve(build.dist), '..', 'bin', 'lockstep.js'), ...cliArgs], {
    cwd: workspace,
    env: {
      ...process.env,
      NX_WORKSPACE_DATA_DIRECTORY: build.data,
      LOCKSTEP_COMPILE_CACHE: join(build.data, 'compile-cache'),
    },
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (run.status !== 0) throw new Error(`${build.dist}: lockstep ${cliArgs.join(' ')} failed:\n${run.stderr}`);
  return run.stdout;
}
