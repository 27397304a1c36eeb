#!/usr/bin/env node
// Benchmark: `nx g nx-lockstep:pipelines` / `nx sync` work for 500 deployables on a synthetic
// project graph (plan + emit + write into an in-memory Nx Tree), per provider, median of N runs.
// The graph is what Nx would hand the generators; reading it from disk is Nx's own cost.
//
//   npm run build && node scripts/bench-pipelines.mjs
//   LOCKSTEP_DIST=/tmp/my-build/dist node scripts/bench-pipelines.mjs --deployables 500 --libs 1000 --runs 5
//   node scripts/bench-pipelines.mjs --nx   # also: the real `nx g` / `nx sync:check` / `nx sync` on
//                                           # the same graph as a temporary workspace (graph cost included)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const dist = process.env.LOCKSTEP_DIST ?? join(REPO_ROOT, 'packages', 'nx-lockstep', 'dist');
const { writePipelines } = require(join(dist, 'generators', 'pipelines', 'write-pipelines.js'));
const { readPipelineConfig } = require(join(dist, 'generators', 'pipelines', 'pipeline-settings.js'));
const { createTreeWithEmptyWorkspace } = require('nx/src/devkit-testing-exports');

const { values: args } = parseArgs({
  options: {
    deployables: { type: 'string', default: '500' },
    libs: { type: 'string', default: '1000' },
    deps: { type: 'string', default: '8' },
    runs: { type: 'string', default: '5' },
    seed: { type: 'string', default: '7' },
    nx: { type: 'boolean', default: false },
  },
});
const deployables = Number(args.deployables);
const libs = Number(args.libs);

/** Deterministic graph: each library depends on up to 3 earlier ones, each deployable on `deps` libraries. */
function syntheticGraph() {
  let state = Number(args.seed);
  const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const graph = { nodes: {}, dependencies: {} };
  const add = (name, root, deps, deployable) => {
    graph.nodes[name] = {
      name,
      type: deployable ? 'app' : 'lib',
      data: { root, targets: deployable ? { deploy: {} } : {} },
    };
    graph.dependencies[name] = [...new Set(deps)].map((target) => ({ source: name, target, type: 'static' }));
  };
  for (let i = 0; i < libs; i++) {
    const deps =
      i === 0 ? [] : Array.from({ length: Math.floor(random() * 4) }, () => `lib-${Math.floor(random() * i)}`);
    add(`lib-${i}`, `libs/lib-${i}`, deps, false);
  }
  for (let i = 0; i < deployables; i++) {
    add(
      `service-${i}`,
      `apps/service-${i}`,
      Array.from({ length: Number(args.deps) }, () => `lib-${Math.floor(random() * libs)}`),
      true,
    );
  }
  return graph;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const graph = syntheticGraph();
const results = {};
for (const provider of ['github', 'gitlab', 'azure']) {
  const first = [];
  const again = [];
  let files = 0;
  let bytes = 0;
  for (let run = 0; run < Number(args.runs); run++) {
    const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
    tree.write('package-lock.json', '{}');
    const config = readPipelineConfig(tree, { provider, environments: ['staging', 'production'] });
    let start = performance.now();
    const changes = writePipelines(tree, graph, config);
    first.push(performance.now() - start);
    files = changes.length;
    bytes = tree.listChanges().reduce((sum, change) => sum + (change.content?.length ?? 0), 0);
    // The `nx sync:check` case: everything is up to date, nothing is written.
    start = performance.now();
    if (writePipelines(tree, graph, config).length !== 0) throw new Error('second run changed files');
    again.push(performance.now() - start);
  }
  results[provider] = {
    generateMs: Math.round(median(first)),
    syncUpToDateMs: Math.round(median(again)),
    files,
    megabytes: +(bytes / 1e6).toFixed(1),
  };
}
const report = {
  deployables,
  libs,
  depsPerDeployable: Number(args.deps),
  environments: 2,
  node: process.version,
  results,
};
if (args.nx) report.nx = benchNx(graph);
console.log(JSON.stringify(report, null, 2));

/** The same graph as a real workspace (edges as implicitDependencies), driven by the real nx binary. */
function benchNx(graph) {
  const root = mkdtempSync(join(tmpdir(), 'lockstep-bench-pipelines-'));
  try {
    mkdirSync(join(root, 'node_modules', '@nx'), { recursive: true });
    symlinkSync(join(REPO_ROOT, 'node_modules', 'nx'), join(root, 'node_modules', 'nx'));
    symlinkSync(join(REPO_ROOT, 'node_modules', '@nx', 'devkit'), join(root, 'node_modules', '@nx', 'devkit'));
    symlinkSync(join(dist, '..'), join(root, 'node_modules', 'nx-lockstep'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'bench', private: true }));
    writeFileSync(
      join(root, 'package-lock.json'),
      JSON.stringify({ name: 'bench', lockfileVersion: 3, requires: true, packages: { '': { name: 'bench' } } }),
    );
    writeFileSync(join(root, 'nx.json'), JSON.stringify({ analytics: false, neverConnectToCloud: true }));
    writeFileSync(join(root, '.gitignore'), 'node_modules\n.nx\n');
    for (const [name, node] of Object.entries(graph.nodes)) {
      mkdirSync(join(root, node.data.root), { recursive: true });
      const targets = node.data.targets.deploy ? { deploy: { command: 'echo deploy' } } : {};
      writeFileSync(
        join(root, node.data.root, 'project.json'),
        JSON.stringify({ name, implicitDependencies: graph.dependencies[name].map((edge) => edge.target), targets }),
      );
    }
    execFileSync('git', ['init', '-q'], { cwd: root });
    const env = { ...process.env, NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_NO_CLOUD: 'true', CI: 'true' };
    const nx = (...nxArgs) => {
      const start = performance.now();
      const result = spawnSync(
        process.execPath,
        [join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), ...nxArgs],
        { cwd: root, env, encoding: 'utf8' },
      );
      return { seconds: +((performance.now() - start) / 1000).toFixed(2), code: result.status };
    };
    const showProjects = nx('show', 'projects');
    const generate = nx('g', 'nx-lockstep:pipelines', '--environments=staging,production');
    const upToDate = nx('sync:check');
    // A new edge: the first deployable starts using the last library.
    const first = Object.values(graph.nodes).find((node) => node.data.targets.deploy);
    const projectJson = join(root, first.data.root, 'project.json');
    const config = JSON.parse(require('node:fs').readFileSync(projectJson, 'utf8'));
    config.implicitDependencies.push(`lib-${libs - 1}`);
    writeFileSync(projectJson, JSON.stringify(config));
    const stale = nx('sync:check');
    const sync = nx('sync');
    if (generate.code !== 0 || upToDate.code !== 0 || stale.code === 0 || sync.code !== 0) {
      throw new Error(`unexpected exit codes: ${JSON.stringify({ generate, upToDate, stale, sync })}`);
    }
    return { showProjects, generate, syncCheckUpToDate: upToDate, syncCheckStale: stale, sync };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
