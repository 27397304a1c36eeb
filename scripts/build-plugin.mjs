// Builds packages/nx-lockstep: compiles src/ to dist/ with tsc, bundles the CLI
// (scripts/lib/bundle-cli.mjs), copies every generator and
// executor schema.json next to its compiled module, so executors.json/generators.json can point
// at dist/ only, and copies the root README.md and LICENSE into the package.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from './lib/bundle-cli.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'nx-lockstep');
const src = join(root, 'src');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [require_tsc(), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });

bundleCli(dist);

for (const file of walk(src)) {
  if (file.endsWith('schema.json') || file.endsWith('.schema.json')) {
    const target = join(dist, relative(src, file));
    mkdirSync(dirname(target), { recursive: true });
    cpSync(file, target);
  }
}

// The published package carries the repository's README and LICENSE (npm shows the README; the
// licence must travel with the code). Copies, ignored by git, refreshed on every build.
for (const file of ['README.md', 'LICENSE']) cpSync(join(root, '..', '..', file), join(root, file));

function require_tsc() {
  return fileURLToPath(new URL('../node_modules/typescript/bin/tsc', import.meta.url));
}

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}
