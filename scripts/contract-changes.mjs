#!/usr/bin/env node
// Classifies the changes to a library's exported API between two commits of a real repository,
// with the built classifier (packages/nx-lockstep/dist; run `npm run build` first). Files are read
// from git (`git show <commit>:<path>`), never from the work tree, and tsconfig `paths` come from
// the head's tsconfig.base.json, so a library that re-exports another resolves.
//
//   node scripts/contract-changes.mjs <repo> <base> <head> <project> <entry file> [<entry file> …]
//   node scripts/contract-changes.mjs /tmp/lockstep-corpus/ghostfolio 3eb10cc2e~1 3eb10cc2e common \
//     libs/common/src/lib/interfaces/index.ts
//
// Prints the changes as JSON and the time the classification took on stderr.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [repo, base, head, project, ...entryFiles] = process.argv.slice(2);
if (!repo || !base || !head || !project || entryFiles.length === 0) {
  process.stderr.write('usage: node scripts/contract-changes.mjs <repo> <base> <head> <project> <entry file>…\n');
  process.exit(2);
}
const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'nx-lockstep', 'dist');
const { findContractChanges } = createRequire(import.meta.url)(
  join(dist, 'adapters', 'contracts', 'find-contract-changes.js'),
);

const git = (...args) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
const commit = (ref) => git('rev-parse', '--verify', `${ref}^{commit}`).trim();
/** Every TypeScript and JSON file of a commit, read in one `git cat-file --batch` (a process per file is slow). */
const reader = (sha) => {
  const paths = git('ls-tree', '-r', '--name-only', sha)
    .split('\n')
    .filter((path) => /\.(tsx?|json)$/.test(path));
  const output = execFileSync('git', ['-C', repo, 'cat-file', '--batch'], {
    input: paths.map((path) => `${sha}:${path}`).join('\n') + '\n',
    maxBuffer: 1 << 30,
  });
  const files = new Map();
  let offset = 0;
  for (const path of paths) {
    const newline = output.indexOf(10, offset);
    const header = output.subarray(offset, newline).toString('utf8').split(' ');
    const size = Number(header[2]);
    files.set(path, output.subarray(newline + 1, newline + 1 + size).toString('utf8'));
    offset = newline + 1 + size + 1;
  }
  return (path) => files.get(path);
};
const [baseSha, headSha] = [commit(base), commit(head)];
const readHead = reader(headSha);
let paths = {};
try {
  const config = JSON.parse(readHead('tsconfig.base.json') ?? '{}');
  paths = Object.fromEntries(
    Object.entries(config.compilerOptions?.paths ?? {}).map(([key, targets]) => [
      key,
      targets.map((target) => target.replace(/^\.\//, '')),
    ]),
  );
} catch {
  // A tsconfig with comments: no paths, other libraries' types read as `any` (docs/contracts.md).
}
// Installed packages as they are on disk (LOCKSTEP_NO_EXTERNAL=1: their types count as `any`).
const readExternal = process.env.LOCKSTEP_NO_EXTERNAL
  ? undefined
  : (path) => {
      try {
        return readFileSync(join(repo, path), 'utf8');
      } catch {
        return undefined;
      }
    };
const root = entryFiles[0].split('/src/')[0];
const started = process.hrtime.bigint();
const changes = findContractChanges({
  libraries: [{ project, root, entryFiles, readBase: reader(baseSha), readHead, paths, readExternal }],
  onStats: (stats) => process.stderr.write(`${JSON.stringify(stats)}\n`),
});
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
process.stdout.write(`${JSON.stringify(changes, null, 2)}\n`);
process.stderr.write(
  `${changes.length} change(s), ${changes.filter((change) => change.breaking).length} breaking, in ${seconds.toFixed(2)} s\n`,
);
