#!/usr/bin/env node
// `npm run demo`: builds the example shop monorepo in a fresh temporary folder, installs the
// packed plugin into it the way a user would (`nx add`), and walks through what nx-lockstep
// shows, one step at a time. Each step is `{ title, explain, run }`: adding one is a few lines.
//
// Set LOCKSTEP_PLUGIN_DIR to pack the plugin from another folder than packages/nx-lockstep.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createExampleRepo } from './example-repo.mjs';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const PLUGIN_DIR = resolve(process.env.LOCKSTEP_PLUGIN_DIR ?? join(REPO_ROOT, 'packages', 'nx-lockstep'));
const NPM_INSTALL_FLAGS = ['--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
const NX_ENV = { NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const color = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (text) => (color ? `\x1b[1m${text}\x1b[22m` : text);
const dim = (text) => (color ? `\x1b[2m${text}\x1b[22m` : text);

const base = mkdtempSync(join(tmpdir(), 'nx-lockstep-demo-'));
const workspace = join(base, 'shop');
const ctx = { base, workspace, tarball: '', commits: [], reach: new Map() };
// The last commit of the example's history: a hub-library change that only orders-api reaches.
const ONE_SERVICE_COMMIT = 'shared-utils: time-ordered ids';

const steps = [
  {
    title: 'Create the example monorepo',
    explain:
      'examples/shop becomes a git repository with a short history and a local bare `origin`: four\n' +
      'deployables (orders-api, catalog-api, email-worker, storefront) and seven libraries.',
    run: () => {
      const repo = createExampleRepo({ dir: workspace });
      ctx.commits = repo.commits;
      for (const { sha, message } of repo.commits) print(`${sha.slice(0, 8)} ${message}`);
    },
  },
  {
    title: 'Install the dev dependencies',
    explain: "The example's own devDependencies (nx, TypeScript, esbuild), from the npm cache where possible.",
    run: () => sh(['npm', 'install', ...NPM_INSTALL_FLAGS]),
  },
  {
    title: 'Add nx-lockstep',
    explain:
      '`nx add` installs the plugin (here the tarball `npm pack` made of this checkout) and runs its\n' +
      'init generator, which registers it in nx.json and lists the deployables it found.',
    run: () => {
      const packed = sh(['npm', 'pack', '--pack-destination', base, '--json', '--ignore-scripts'], {
        cwd: PLUGIN_DIR,
        quiet: true,
      });
      ctx.tarball = join(base, JSON.parse(packed)[0].filename);
      nx(['add', `nx-lockstep@file:${ctx.tarball}`]);
      const plugins = JSON.parse(readFileSync(join(workspace, 'nx.json'), 'utf8')).plugins ?? [];
      print(`nx.json "plugins": ${JSON.stringify(plugins)}`);
      commitAndPush('Add nx-lockstep');
    },
  },
  {
    title: 'The deployables',
    explain:
      'A project is deployable when its root has a deploy marker (Dockerfile, fly.toml, vercel.json …),\n' +
      'the tag `deployable`, or a deploy target of its own. Libraries get no deploy target.',
    run: () => {
      const found = nx(['show', 'projects', '--with-target', 'deploy']).trim();
      if (!found)
        throw new Error(
          'no project has a deploy target: nx-lockstep is not registered in nx.json or found no deploy markers',
        );
    },
  },
  {
    title: 'Inferred targets of two deployables',
    explain:
      'Each deployable gets `deploy` (a command inferred from its marker; a deploy target you wrote\n' +
      'yourself always wins) and `affected-deploy` (deploys only when a change reaches it).',
    run: () => {
      for (const project of ['orders-api', 'storefront']) {
        const shown = JSON.parse(nx(['show', 'project', project, '--json'], { quiet: true }));
        print(bold(project));
        for (const [name, target] of Object.entries(shown.targets)) {
          if (name !== 'deploy' && name !== 'affected-deploy') continue; // the example's own build/typecheck
          const command = target.options?.command ?? target.command ?? target.executor;
          print(`  ${name}: ${command}`);
          if (target.metadata?.description) print(dim(`    ${target.metadata.description}`));
        }
      }
    },
  },
  {
    title: 'What each commit reaches',
    explain:
      '`lockstep affected --base <commit>~1 --head <commit>` for every commit of the history. At symbol\n' +
      'precision (the default) a change counts only if a deployable uses the changed declaration and\n' +
      'its emitted JavaScript changed; project precision is Nx semantics (any file of a project it\n' +
      'depends on). The difference is the lock-step deploys nx-lockstep saves.',
    run: async () => {
      const affected = async (commit, precision) => {
        const args = [
          'affected',
          '--base',
          `${commit.sha}~1`,
          '--head',
          commit.sha,
          '--precision',
          precision,
          '--json',
        ];
        const result = JSON.parse(
          await capture([process.execPath, join(workspace, 'node_modules', '.bin', 'lockstep'), ...args]),
        );
        return (
          result.deployables
            .filter((d) => d.affected)
            .map((d) => d.project)
            .join(', ') || '(none)'
        );
      };
      const jobs = ctx.commits
        .slice(1)
        .flatMap((commit) => [() => affected(commit, 'symbol'), () => affected(commit, 'project')]);
      const cells = await inParallel(jobs, 2);
      const rows = ctx.commits.slice(1).map((commit, i) => [commit.message, cells[2 * i], cells[2 * i + 1]]);
      for (const [message, symbol, project] of rows) ctx.reach.set(message, { symbol, project });
      printTable(['commit', 'symbol (default)', 'project (Nx semantics)'], rows);
    },
  },
  {
    title: 'One deploy instead of four, and why',
    explain:
      `"${ONE_SERVICE_COMMIT}" changes \`newId\` in shared-utils, the hub library every deployable\n` +
      'depends on: Nx reaches all four. Only orders-api calls newId, so nx-lockstep deploys orders-api\n' +
      'alone; `lockstep explain` shows the import chain from its entry point to the changed function,\n' +
      'and, for catalog-api, which imported change it does not ship and why.',
    run: () => {
      const commit = ctx.commits.find((c) => c.message === ONE_SERVICE_COMMIT);
      const reach = ctx.reach.get(ONE_SERVICE_COMMIT);
      print(`${bold(ONE_SERVICE_COMMIT)} (${commit.sha.slice(0, 8)})`);
      print(`  Nx (project precision):          ${reach.project}`);
      print(`  nx-lockstep (symbol precision):  ${reach.symbol}`);
      print();
      const sha = commit.sha.slice(0, 8);
      lockstep(['explain', 'orders-api', '--base', `${sha}~1`, '--head', sha], { stderr: false });
      print();
      lockstep(['explain', 'catalog-api', '--base', `${sha}~1`, '--head', sha], { stderr: false });
    },
  },
  {
    title: 'Deploy only what a change reached',
    explain:
      'There is no cloud account here, so each deploy target is replaced by an echo (a deploy target\n' +
      'you write yourself always wins over the inferred one) that fails when DEPLOY_FAIL names its\n' +
      'project. The first `affected-deploy` run deploys all four (never deployed) and pushes one marker\n' +
      'per deployable to origin; after a one-line change in catalog-search, the next run deploys\n' +
      'catalog-api alone. Then an http-kit change reaches orders-api and catalog-api, and the orders-api\n' +
      "deploy fails: only catalog-api's marker moves, and the next run deploys orders-api alone.\n" +
      'Output condensed.',
    run: () => {
      for (const project of DEPLOYABLES) {
        editJson(`apps/${project}/project.json`, (config) => {
          config.targets.deploy = {
            command: `echo "deploying ${project} at $(git rev-parse --short HEAD)" && [ "$DEPLOY_FAIL" != ${project} ]`,
          };
        });
      }
      commitAndPush('Deploy by echo in the demo');
      affectedDeploy();
      editText(
        'libs/catalog-search/src/lib/search.ts',
        'a.product.name.localeCompare(b.product.name)',
        'a.product.sku.localeCompare(b.product.sku)',
      );
      print(dim('$ git commit -am "catalog-search: break ties by sku" && git push'));
      commitAndPush('catalog-search: break ties by sku');
      affectedDeploy();
      editText(
        'libs/http-kit/src/lib/json.ts',
        "{ 'content-type': 'application/json' }",
        "{ 'content-type': 'application/json; charset=utf-8' }",
      );
      print(dim('$ git commit -am "http-kit: declare utf-8 in JSON responses" && git push'));
      commitAndPush('http-kit: declare utf-8 in JSON responses');
      const failed = affectedDeploy({ DEPLOY_FAIL: 'orders-api' });
      if (failed === 0) throw new Error('demo: the run with DEPLOY_FAIL=orders-api should have failed');
      print(dim(`(exit ${failed}: the orders-api task failed; Nx still ran the others)`));
      affectedDeploy();
    },
  },
  {
    title: 'Where each deployable stands',
    explain: 'Each deployable has its own "last deployed" marker (an annotated tag lockstep/<env>/<project>).',
    run: () => lockstep(['status'], { stderr: false }),
  },
  {
    title: 'One pipeline per deployable',
    explain:
      'Each deployable gets its own CI pipeline: it verifies what changed in its own closure, then runs\n' +
      'its affected-deploy; `nx sync` keeps the set in step with the project graph.\n' +
      "GitLab CI and Azure Pipelines work the same way. Below, catalog-api's:\n" +
      'it runs on pushes that touch catalog-api or a library it imports, one deploy per environment at a time.',
    run: () => {
      nx(['g', 'nx-lockstep:pipelines', '--provider', 'github']);
      commitAndPush('Add per-deployable pipelines');
      const workflow = '.github/workflows/deploy-catalog-api.yml';
      print();
      print(dim(`$ cat ${workflow}   # condensed: the header comment and setup steps left out`));
      print(condenseWorkflow(readFileSync(join(workspace, workflow), 'utf8')));
      print(dim(`The full file: ${join(workspace, workflow)}`));
    },
  },
];

const DEPLOYABLES = ['catalog-api', 'email-worker', 'orders-api', 'storefront'];

function editJson(path, edit) {
  const file = join(workspace, path);
  const json = JSON.parse(readFileSync(file, 'utf8'));
  edit(json);
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
}

function editText(path, from, to) {
  const file = join(workspace, path);
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from))
    throw new Error(`demo: ${path} no longer contains ${JSON.stringify(from)}; update scripts/demo.mjs`);
  writeFileSync(file, text.replace(from, to));
}

function commitAndPush(message) {
  sh(['git', 'add', '-A'], { quiet: true });
  sh(['git', 'commit', '-q', '-m', message], { quiet: true });
  sh(['git', 'push', '-q', 'origin', 'main'], { quiet: true });
}

/**
 * `nx run-many -t affected-deploy`, showing only the decisions, deploys and marker moves.
 * Returns its exit code: a failed deploy fails the run, which the demo shows rather than stops at.
 */
function affectedDeploy(env = {}) {
  const args = ['run-many', '-t', 'affected-deploy', '--parallel=1', '--output-style=static'];
  const assignments = Object.entries(env)
    .map(([name, value]) => `${name}=${value} `)
    .join('');
  print(dim(`$ ${assignments}npx nx ${args.join(' ')}`));
  const { output, code } = nx(args, { quiet: true, merge: true, env, allowFailure: true, withCode: true });
  const kept = output
    // eslint-disable-next-line no-control-regex -- strips terminal colour codes
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((line) => /^(deploying|skipped|marker|deploy of| {2}- )/.test(line));
  print(kept.join('\n'));
  if (code !== 0 && !Object.keys(env).length)
    throw new Error(`\`npx nx ${args.join(' ')}\` failed (exit ${code}):\n${output}`);
  return code;
}

/**
 * A generated GitHub workflow without its header comment and setup steps (checkout, setup-node,
 * install, git identity): what is left is when it runs, its concurrency, its verify and deploy steps.
 */
function condenseWorkflow(text) {
  const lines = text.split('\n').filter((line) => !line.startsWith('#'));
  const out = [];
  let skipped = [];
  const flush = (indent) => {
    if (skipped.length) out.push(`${indent}- … ${skipped.join(', ')}`);
    skipped = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const item = /^(\s*)- (?:name|uses): (.*)$/.exec(lines[i]);
    if (item && !/affected|verify/i.test(lines[i]) && !/affected-deploy|verify-targets/.test(lines[i + 1] ?? '')) {
      // Skip this step: its own lines are indented deeper than its `- `.
      skipped.push(item[2].replace(/@.*$/, ''));
      while (i + 1 < lines.length && lines[i + 1].search(/\S/) > item[1].length) i++;
      continue;
    }
    if (item) flush(item[1]);
    out.push(lines[i]);
  }
  return out.join('\n').trim();
}

function printTable(header, rows) {
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i].length)));
  const line = (cells) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  print(bold(line(header)));
  for (const row of rows) print(line(row));
}

function print(text = '') {
  process.stdout.write(`${text.replace(/^/gm, '    ')}\n`);
}

/** Runs a program in the workspace, shows the command and its output, throws on failure. */
function sh(
  command,
  {
    cwd = workspace,
    env = {},
    quiet = false,
    stderr = true,
    merge = !quiet && stderr,
    allowFailure = false,
    withCode = false,
  } = {},
) {
  if (!quiet) print(dim(`$ ${command.join(' ')}`));
  // Shown commands get stderr merged into stdout, so their output reads in the order it came.
  const [program, args] = merge ? ['bash', ['-c', '"$@" 2>&1', 'bash', ...command]] : [command[0], command.slice(1)];
  const result = spawnSync(program, args, {
    cwd,
    env: { ...process.env, ...(color ? {} : { FORCE_COLOR: '0' }), ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trimEnd();
  if (result.status !== 0 && !allowFailure) {
    throw new Error(
      `\`${command.join(' ')}\` failed (exit ${result.status ?? result.error?.message}) in ${cwd}:\n${output}`,
    );
  }
  if (!quiet && (stderr ? output : result.stdout.trimEnd())) print(stderr ? output : result.stdout.trimEnd());
  return withCode ? { output: result.stdout, code: result.status } : result.stdout;
}

/** Runs a program in the workspace without showing it; resolves with its stdout. */
function capture(command) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command[0], command.slice(1), {
      cwd: workspace,
      env: { ...process.env, ...NX_ENV, CI: 'true' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolvePromise(stdout)
        : reject(new Error(`\`${command.join(' ')}\` failed (exit ${code}):\n${stdout}${stderr}`)),
    );
  });
}

/** Runs async jobs, at most `limit` at a time (the machines this runs on have two CPUs). */
async function inParallel(jobs, limit) {
  const results = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

function lockstep(args, options = {}) {
  return sh(['npx', 'lockstep', ...args], { ...options, env: { ...NX_ENV, CI: 'true', ...options.env } });
}

function nx(args, options = {}) {
  return sh(['npx', 'nx', ...args], { ...options, env: { ...NX_ENV, CI: 'true', ...options.env } });
}

async function main() {
  const started = Date.now();
  process.stdout.write(`${bold('nx-lockstep demo')} in ${base}\n`);
  for (const [i, step] of steps.entries()) {
    process.stdout.write(`\n${bold(`${i + 1}. ${step.title}`)}\n${dim(step.explain.replace(/^/gm, '   '))}\n\n`);
    const stepStarted = Date.now();
    await step.run(ctx);
    print(dim(`(${((Date.now() - stepStarted) / 1000).toFixed(1)}s)`));
  }
  process.stdout.write(
    `\n${bold('Done')} in ${((Date.now() - started) / 1000).toFixed(1)}s. The workspace is ${workspace}\nTry:\n` +
      `  cd ${workspace}\n` +
      '  npx lockstep affected                           # each deployable from its own marker\n' +
      '  npx lockstep explain catalog-api --base HEAD~2  # why catalog-api is affected\n' +
      '  npx nx show project email-worker                # its targets, inferred and own\n',
  );
}

main().catch((error) => {
  process.stderr.write(`\ndemo failed: ${error.message}\nThe workspace is left in ${base} for a look.\n`);
  process.exitCode = 1;
});
