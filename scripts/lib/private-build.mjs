#!/usr/bin/env node
// Builds packages/nx-lockstep into a private package folder, leaving packages/nx-lockstep/dist
// (which other work may be using) alone. Point the e2e suites or the demo at the result:
//
//   node scripts/lib/private-build.mjs /tmp/me/pkg
//   LOCKSTEP_PLUGIN_DIR=/tmp/me/pkg npx vitest run --project e2e
//   LOCKSTEP_PLUGIN_DIR=/tmp/me/pkg node scripts/demo.mjs
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from './bundle-cli.mjs';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const pkg = join(repoRoot, 'packages', 'nx-lockstep');
const target = process.argv[2] && resolve(process.argv[2]);
if (!target) {
  process.stderr.write('usage: node scripts/lib/private-build.mjs <dir>   e.g. /tmp/me/pkg\n');
  process.exit(1);
}
if (target === pkg || target.startsWith(`${pkg}/`)) {
  process.stderr.write(`private-build: ${target} is inside packages/nx-lockstep; pass a folder elsewhere\n`);
  process.exit(1);
}

rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
for (const entry of ['package.json', 'bin', 'schema', 'executors.json', 'generators.json']) {
  if (existsSync(join(pkg, entry))) cpSync(join(pkg, entry), join(target, entry), { recursive: true });
}
for (const entry of ['README.md', 'LICENSE']) cpSync(join(repoRoot, entry), join(target, entry));

const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
try {
  execFileSync(
    process.execPath,
    [
      tsc,
      '-p',
      join(pkg, 'tsconfig.json'),
      '--outDir',
      join(target, 'dist'),
      '--tsBuildInfoFile',
      join(target, '.tsbuildinfo'),
    ],
    {
      stdio: 'inherit',
    },
  );
} catch (error) {
  // tsc still emits on type errors; work in progress elsewhere should not block a try-out.
  if (!existsSync(join(target, 'dist', 'index.js'))) throw error;
  process.stderr.write('private-build: tsc reported type errors (above); the emitted JavaScript is kept.\n');
}

// The same CLI bundle and schema.json copy scripts/build-plugin.mjs does.
bundleCli(join(target, 'dist'));
const src = join(pkg, 'src');
for (const file of walk(src)) {
  if (!file.endsWith('schema.json')) continue;
  const to = join(target, 'dist', relative(src, file));
  mkdirSync(dirname(to), { recursive: true });
  cpSync(file, to);
}
// Its dependencies are the repository's: a build outside it (`/tmp/a`) could not find ts-morph or
// Nx when run as `<build>/bin/lockstep.js` (bench-paired) or loaded (compare-builds). npm pack leaves
// node_modules out, so a build packed for the e2e suites is the same.
const modules = join(target, 'node_modules');
if (!existsSync(modules)) symlinkSync(join(repoRoot, 'node_modules'), modules, 'dir');
process.stdout.write(`Built nx-lockstep into ${target}\n`);

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== '__fixtures__') yield* walk(path);
    } else yield path;
  }
}
