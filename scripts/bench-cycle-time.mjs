#!/usr/bin/env node
// Cycle time, measured: for each commit of a history, the Nx tasks a one-pipeline setup runs
// (`nx affected -t lint test build deploy`) against the per-deployable pipelines nx-lockstep
// generates (each one's verify job + deploy job), and the critical path of a one-line fix to one
// service. Everything comes from the real tools: Nx's affected projects and task graph (with
// `dependsOn`), the engine's verify scopes (`lockstep verify-targets`) and deploy decisions
// (`lockstep affected`, symbol precision), with each deployable's marker moving only when it
// deploys, as the executor does.
//
//   npm run bench:cycle                          # the shop example and a synthetic workspace
//   node scripts/bench-cycle-time.mjs --only example --json /tmp/cycle.json
//
// Options: --only example|synthetic, --libs N, --deployables N, --commits N (synthetic), --seed N,
// --workdir DIR, --json FILE. Needs `npm run build` first (it reads packages/nx-lockstep/dist).
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { EXAMPLE_DIR, EXAMPLE_HISTORY } from './example-repo.mjs';
import { REPO_ROOT, SyntheticWorkspace, createRandom } from './lib/synthetic-workspace.mjs';

const require = createRequire(import.meta.url);
const NX_BIN = join(dirname(require.resolve('nx/package.json')), require('nx/package.json').bin.nx);
const ENGINE = join(REPO_ROOT, 'packages', 'nx-lockstep', 'dist', 'engine.js');
/** The one-pipeline setup of the issue, and the verify targets of the split pipelines: the same checks. */
const CHECK_TARGETS = ['lint', 'test', 'build'];
const DEPLOY_TARGET = 'deploy';
const NX_ENV = { CI: 'true', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_ISOLATE_PLUGINS: 'false' };

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    libs: { type: 'string', default: '40' },
    deployables: { type: 'string', default: '10' },
    commits: { type: 'string', default: '12' },
    seed: { type: 'string', default: '7' },
    workdir: { type: 'string' },
    json: { type: 'string' },
  },
});
Object.assign(process.env, NX_ENV);
const engine = require(ENGINE);

async function main() {
  const workdir = args.workdir ?? mkdtempSync(join(tmpdir(), 'lockstep-cycle-'));
  const reports = [];
  if (args.only !== 'synthetic') reports.push(await measure('example (examples/shop)', exampleWorkspace(workdir)));
  if (args.only !== 'example') reports.push(await measure('synthetic', syntheticWorkspace(workdir)));
  for (const report of reports) print(report);
  if (args.json) writeFileSync(args.json, `${JSON.stringify(reports, null, 2)}\n`);
  if (!args.workdir) rmSync(workdir, { recursive: true, force: true });
}

// ------------------------------------------------------------------ workspaces
/** The shop example with nx-lockstep registered first, then its scripted history replayed. */
function exampleWorkspace(workdir) {
  const root = join(workdir, 'shop');
  execFileSync('cp', ['-r', EXAMPLE_DIR, root]);
  for (const leftover of ['node_modules', 'dist', '.nx'])
    rmSync(join(root, leftover), { recursive: true, force: true });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(root, 'node_modules'), 'dir');
  writeFileSync(join(root, '.gitignore'), 'node_modules\n.nx\ndist\n');
  const nxJson = JSON.parse(readFileSync(join(root, 'nx.json'), 'utf8'));
  // The plugin infers each deployable's `deploy` target from its marker file (Dockerfile, …).
  nxJson.plugins = ['nx-lockstep'];
  writeFileSync(join(root, 'nx.json'), JSON.stringify(nxJson, null, 2));
  const git = gitIn(root);
  git('init', '-q', '-b', 'main');
  git('config', 'user.email', 'bench@example.com');
  git('config', 'user.name', 'bench');
  const commit = (message) => {
    git('add', '-A');
    git('commit', '-q', '-m', message);
    return git('rev-parse', 'HEAD');
  };
  const base = commit('Import the shop monorepo with nx-lockstep');
  const history = EXAMPLE_HISTORY.map((step) => {
    for (const edit of step.edits) applyExampleEdit(root, edit);
    return commit(step.message);
  });
  return { root, git, base, history, commit, fixFile: (service) => `apps/${service}/src/main.ts` };
}

function applyExampleEdit(root, edit) {
  const path = join(root, edit.file);
  mkdirSync(dirname(path), { recursive: true });
  if (edit.create !== undefined) return writeFileSync(path, edit.create);
  let text = readFileSync(path, 'utf8');
  for (const [from, to] of edit.replace) text = text.replace(from, to);
  writeFileSync(path, text);
}

/**
 * The benchmark workspace of scripts/bench.mjs (hubs, domains, deployables importing a few libs),
 * smaller by default, every project with lint, test and build targets (build depends on its
 * dependencies' builds, as Nx workspaces set it), and a history of library, app and hub edits.
 */
function syntheticWorkspace(workdir) {
  const root = join(workdir, 'synthetic');
  const libs = Number(args.libs);
  const workspace = SyntheticWorkspace.create(root, {
    seed: Number(args.seed),
    libs,
    deployables: Number(args.deployables),
    filesPerLib: 4,
    appFiles: 2,
    hubs: 4,
    domainSize: 8,
    maxLibDeps: 3,
    maxAppLibs: 4,
    remote: false,
  });
  const checks = Object.fromEntries(CHECK_TARGETS.map((target) => [target, { command: `echo ${target}` }]));
  const nxJsonPath = join(root, 'nx.json');
  const nxJson = JSON.parse(readFileSync(nxJsonPath, 'utf8'));
  nxJson.targetDefaults = { build: { dependsOn: ['^build'] }, deploy: { dependsOn: ['build'] } };
  writeFileSync(nxJsonPath, JSON.stringify(nxJson, null, 2));
  for (const dir of ['libs', 'apps']) {
    for (const name of execFileSync('ls', [join(root, dir)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)) {
      const path = join(root, dir, name, 'project.json');
      const project = JSON.parse(readFileSync(path, 'utf8'));
      project.targets = { ...checks, ...project.targets };
      writeFileSync(path, JSON.stringify(project, null, 2));
    }
  }
  const base = workspace.commit('Verify targets on every project');
  const random = createRandom(Number(args.seed) * 31);
  const history = [];
  for (let c = 0; c < Number(args.commits); c++) {
    const x = random.next();
    const target =
      x < 0.5
        ? { libIndex: 4 + random.int(libs - 4) }
        : x < 0.75
          ? { app: random.pick(workspace.deployables).name }
          : { libIndex: random.int(4) };
    const kind = random.pick(['function-body', 'constant-literal', 'unused-export', 'comment', 'type-only']);
    const edit = workspace.applyEdit(kind, target);
    history.push(workspace.commit(edit.description));
  }
  return {
    root,
    git: gitIn(root),
    base,
    history,
    commit: (message) => workspace.commit(message),
    fixFile: (service) => `apps/${service}/src/main.ts`,
  };
}

// ------------------------------------------------------------------ measuring
// Long on purpose: the task graph, the markers and the per-commit step share one closure, read
// top to bottom as the replay happens (graph once, then each push, then the one-line fix).
async function measure(name, ws) {
  const started = Date.now();
  const nx = (nxArgs) =>
    execFileSync(process.execPath, [NX_BIN, ...nxArgs], {
      cwd: ws.root,
      encoding: 'utf8',
      maxBuffer: 1 << 28,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  // The whole task graph once: every task with what it depends on, as Nx schedules it.
  const everything = JSON.parse(nx(['run-many', '-t', ...CHECK_TARGETS, DEPLOY_TARGET, '--graph=stdout']));
  const taskDeps = new Map(
    Object.entries(everything.tasks.dependencies).map(([id, deps]) => [id, deps.map((dep) => dep.id ?? dep)]),
  );
  const graph = everything.graph;
  const deployables = Object.keys(graph.nodes)
    .filter((project) => taskDeps.has(`${project}:${DEPLOY_TARGET}`))
    .sort();
  const closureOf = (project) =>
    closure([project], (p) => (graph.dependencies[p] ?? []).map((e) => e.target).filter((t) => t in graph.nodes));
  const rootsOf = (projects, targets) =>
    projects.flatMap((p) => targets.map((t) => `${p}:${t}`)).filter((id) => taskDeps.has(id));
  const scheduled = (roots) => closure(roots, (id) => taskDeps.get(id) ?? []);
  const chain = (tasks) => longestChain(tasks, taskDeps);
  const rootFiles = ['package.json', 'package-lock.json', 'nx.json', 'tsconfig.base.json', 'tsconfig.json'];
  const watches = (deployable, files) => {
    const roots = [...closureOf(deployable)].map((p) => graph.nodes[p].data.root);
    return files.some((file) => rootFiles.includes(file) || roots.some((root) => file.startsWith(`${root}/`)));
  };

  const markers = Object.fromEntries(deployables.map((d) => [d, ws.base]));
  const rows = [];
  let previous = ws.base;
  for (const head of ws.history) {
    rows.push(await oneCommit(previous, head));
    previous = head;
  }
  // A one-line fix to one service, on top of the history: the service with the fewest projects.
  const service = deployables
    .map((d) => [d, closureOf(d).size])
    .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))[0][0];
  const fixPath = join(ws.root, ws.fixFile(service));
  writeFileSync(fixPath, `${readFileSync(fixPath, 'utf8')}\nexport const hotfix = 1;\n`);
  const fixHead = ws.commit(`${service}: one-line fix`);
  // Every service up to date (deployed at the commit before), so the fix is all that is new.
  for (const deployable of deployables) markers[deployable] = previous;
  const fix = await oneCommit(previous, fixHead);
  return {
    name,
    projects: Object.keys(graph.nodes).length,
    deployables: deployables.length,
    // The lock-step setup: every check and every deploy of the workspace on every push.
    everything: taskDeps.size,
    commits: rows.length,
    seconds: Math.round((Date.now() - started) / 1000),
    rows,
    fix: { service, ...fix },
  };

  async function oneCommit(base, head) {
    const files = ws.git('diff', '--name-only', base, head).split('\n').filter(Boolean);
    // One pipeline: Nx's affected projects for the push, every check and deploy they have.
    const affected = JSON.parse(nx(['show', 'projects', '--affected', `--base=${base}`, `--head=${head}`, '--json']));
    const one = scheduled(rootsOf(affected, [...CHECK_TARGETS, DEPLOY_TARGET]));
    const oneChecks = scheduled(rootsOf(affected, CHECK_TARGETS));
    // Split pipelines: the ones whose paths the push touched, each from its own marker.
    const triggered = deployables.filter((d) => watches(d, files));
    const bases = Object.fromEntries(triggered.map((d) => [d, markers[d]]));
    const scopes = triggered.length
      ? await engine.analyzeVerifyScopes({
          workspaceRoot: ws.root,
          projects: triggered,
          env: 'production',
          bases,
          head,
          targets: CHECK_TARGETS,
        })
      : [];
    const decisions = triggered.length
      ? (
          await engine.analyzeAffected({
            workspaceRoot: ws.root,
            bases,
            head,
            projects: triggered,
            precision: 'symbol',
            env: 'production',
          })
        ).deployables
      : [];
    // With one Nx cache shared by every pipeline (a remote cache), a task runs once per push.
    const distinct = new Set();
    const pipelines = triggered.map((d) => {
      const scope = scopes.find((s) => s.project === d);
      const verify = scheduled(scope.projects.flatMap((p) => p.targets.map((t) => `${p.project}:${t}`)));
      const deploys = decisions.find((decision) => decision.project === d)?.affected ?? false;
      // The deploy job restores the verify job's Nx cache (same key): it runs what verify did not.
      const deploy = deploys
        ? new Set([...scheduled([`${d}:${DEPLOY_TARGET}`])].filter((id) => !verify.has(id)))
        : new Set();
      if (deploys) markers[d] = head;
      for (const id of [...verify, ...deploy]) distinct.add(id);
      return { deployable: d, verify: verify.size, deploy: deploy.size, deploys, path: chain(verify) + chain(deploy) };
    });
    const sizes = pipelines.map((p) => p.verify + p.deploy);
    return {
      commit: ws.git('log', '-1', '--format=%s', head).slice(0, 60),
      onePipeline: {
        tasks: one.size,
        deploys: affected.filter((p) => deployables.includes(p)).length,
        path:
          chain(oneChecks) +
          chain(new Set([...scheduled(rootsOf(affected, [DEPLOY_TARGET]))].filter((id) => !oneChecks.has(id)))),
      },
      split: {
        pipelines: pipelines.length,
        deploys: pipelines.filter((p) => p.deploys).length,
        sum: sizes.reduce((a, b) => a + b, 0),
        distinct: distinct.size,
        max: Math.max(0, ...sizes),
        maxPath: Math.max(0, ...pipelines.map((p) => p.path)),
        detail: pipelines,
      },
    };
  }
}

// ------------------------------------------------------------------ helpers
function closure(start, next) {
  const seen = new Set(start);
  const queue = [...start];
  while (queue.length) {
    for (const item of next(queue.shift())) {
      if (seen.has(item)) continue;
      seen.add(item);
      queue.push(item);
    }
  }
  return seen;
}

/** Tasks on the longest chain of dependencies among `tasks` (those outside it ran elsewhere or are cached). */
function longestChain(tasks, taskDeps) {
  const memo = new Map();
  const depth = (id) => {
    if (!memo.has(id))
      memo.set(id, 1 + Math.max(0, ...(taskDeps.get(id) ?? []).filter((dep) => tasks.has(dep)).map(depth)));
    return memo.get(id);
  };
  return Math.max(0, ...[...tasks].map(depth));
}

function gitIn(root) {
  return (...gitArgs) => execFileSync('git', gitArgs, { cwd: root, encoding: 'utf8', maxBuffer: 1 << 28 }).trim();
}

function print(report) {
  const total = (pick) => report.rows.reduce((sum, row) => sum + pick(row), 0);
  const lines = [
    `\n${report.name}: ${report.projects} projects, ${report.deployables} deployables, ${report.commits} commits (${report.seconds} s)`,
    '',
    '| commit | one pipeline: tasks (deploys) | split: pipelines | split: sum of tasks (deploys) | split: with a shared Nx cache | split: largest pipeline |',
    '|---|---|---|---|---|---|',
    ...report.rows.map(
      (row) =>
        `| ${row.commit.replace(/\|/g, '/')} | ${row.onePipeline.tasks} (${row.onePipeline.deploys}) | ${row.split.pipelines} | ${row.split.sum} (${row.split.deploys}) | ${row.split.distinct} | ${row.split.max} |`,
    ),
    `| **total** | **${total((r) => r.onePipeline.tasks)} (${total((r) => r.onePipeline.deploys)})** | ${total((r) => r.split.pipelines)} | **${total((r) => r.split.sum)} (${total((r) => r.split.deploys)})** | ${total((r) => r.split.distinct)} | ${Math.max(...report.rows.map((r) => r.split.max))} |`,
    '',
    `Lock-step (every check and deploy of the workspace on each push): ${report.everything} tasks and ${report.deployables} deploys per push, ${report.everything * report.commits} tasks in all.`,
    `One-line fix to ${report.fix.service}: one pipeline runs ${report.fix.onePipeline.tasks} tasks (critical path ${report.fix.onePipeline.path} tasks, ${report.fix.onePipeline.deploys} deploys); ` +
      `its own pipeline runs ${report.fix.split.detail.find((p) => p.deployable === report.fix.service)?.verify ?? 0} verify + ${report.fix.split.detail.find((p) => p.deployable === report.fix.service)?.deploy ?? 0} deploy tasks (critical path ${report.fix.split.detail.find((p) => p.deployable === report.fix.service)?.path ?? 0}); ` +
      `${report.fix.split.pipelines} pipeline(s) started, ${report.fix.split.sum} tasks in all.`,
  ];
  console.log(lines.join('\n'));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
