// Builds packages/nx-lockstep: compiles src/ to dist/ with tsc and copies every generator and
// executor schema.json next to its compiled module, so executors.json/generators.json can point
// at dist/ only.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'nx-lockstep');
const src = join(root, 'src');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
execFileSync(process.execPath, [require_tsc(), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });

for (const file of walk(src)) {
  if (file.endsWith('schema.json') || file.endsWith('.schema.json')) {
    const target = join(dist, relative(src, file));
    mkdirSync(dirname(target), { recursive: true });
    cpSync(file, target);
  }
}

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
