#!/usr/bin/env node
// Compares ts-morph's compiler with the build's minified copy of it (packages/nx-lockstep/dist/
// vendor, written by `npm run build`) on every source file of a git repository at a commit: the
// parse trees, parse errors and emits must be identical (scripts/lib/compiler-fingerprint.mjs).
// Run it on real monorepos when ts-morph, and so the compiler, is upgraded.
//
//   node scripts/compare-compiler-copy.mjs /path/to/repo.git [commit]   # default HEAD
//
// Prints the files compared and each one that differs; exits 1 when any does.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { fingerprint, loadCompilers } from './lib/compiler-fingerprint.mjs';

const [repository, commit = 'HEAD'] = process.argv.slice(2);
if (!repository) {
  process.stderr.write('usage: node scripts/compare-compiler-copy.mjs <git repository> [commit]\n');
  process.exit(2);
}
const vendor = fileURLToPath(new URL('../packages/nx-lockstep/dist/vendor', import.meta.url));
const { original, copy } = loadCompilers(vendor);
const git = (args, input) => execFileSync('git', ['-C', repository, ...args], { input, maxBuffer: 1 << 30 });

// Every source file the engine summarises (declaration files aside), read in one cat-file.
const entries = git(['ls-tree', '-r', '-z', commit])
  .toString('utf8')
  .split('\0')
  .filter(Boolean)
  .map((line) => {
    const [meta, path] = line.split('\t');
    return { blob: meta.split(' ')[2], type: meta.split(' ')[1], path };
  })
  .filter(({ type, path }) => type === 'blob' && /\.[cm]?[jt]sx?$/.test(path) && !/\.d\.[cm]?ts$/.test(path));
const output = git(['cat-file', '--batch'], `${entries.map((entry) => entry.blob).join('\n')}\n`);
let offset = 0;
let differ = 0;
let characters = 0;
for (const entry of entries) {
  const newline = output.indexOf(10, offset);
  const size = Number(output.subarray(offset, newline).toString('utf8').split(' ')[2]);
  const text = output.subarray(newline + 1, newline + 1 + size).toString('utf8');
  offset = newline + 1 + size + 1;
  characters += text.length;
  if (fingerprint(copy, entry.path, text) !== fingerprint(original, entry.path, text)) {
    differ++;
    process.stdout.write(`differs: ${entry.path}\n`);
  }
}
process.stdout.write(
  `${entries.length} files (${characters} characters) of ${repository} at ${commit}, compiler ${original.version}: ${differ} differ\n`,
);
process.exitCode = differ > 0 ? 1 : 0;
