#!/usr/bin/env node
// Checks the engine's lockfile reader (core/lockfile/locked-packages.ts) against Nx's own lockfile
// parsers on a real repository's history. For each root lockfile the engine knows
// (core/lockfile/lockfiles.ts), the last N commits that touch it are read at both sides by both
// readers. A package whose installed versions Nx finds changed in a commit and the engine does not
// would be a missed deploy: it fails the check. The rest is printed as counts: versions read,
// names on which the two readers' version sets differ within one version of the file (workspace
// packages aside), packages only the engine finds changed.
//
//   node scripts/check-lockfiles.mjs /path/to/repo.git [--max 20] [--folder path/in/repo]
//
// Uses the build in packages/nx-lockstep/dist (`npm run build`) and this checkout's nx.
// Then the patches of installed packages the last N commits touching a .patch file changed: each
// must be taken for a package head's lockfile installs.
//
// Exits 1 when the engine cannot read a version Nx reads, misses a change Nx finds, or takes a
// patch for a package the lockfile does not install.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  options: { max: { type: 'string', default: '20' }, folder: { type: 'string', default: '' } },
  allowPositionals: true,
});
const [repository] = positionals;
if (!repository || !(Number(values.max) > 0)) {
  process.stderr.write('usage: node scripts/check-lockfiles.mjs <git repository> [--max N] [--folder PATH]\n');
  process.exit(2);
}
const require = createRequire(import.meta.url);
const dist = new URL('../packages/nx-lockstep/dist/', import.meta.url).pathname;
const { LOCKFILES } = require(`${dist}core/lockfile/lockfiles.js`);
const { parseLockfile } = require(`${dist}core/lockfile/locked-packages.js`);
const { getLockFileNodesForName } = require('nx/src/plugins/js/lock-file/lock-file.js');
const folder = values.folder.replace(/\/$/, '');
const inFolder = (file) => (folder ? `${folder}/${file}` : file);
const git = (...args) => execFileSync('git', ['-C', repository, ...args], { maxBuffer: 1 << 30 }).toString('utf8');
const show = (commit, path) => {
  try {
    return execFileSync('git', ['-C', repository, 'show', `${commit}:${path}`], {
      maxBuffer: 1 << 30,
      stdio: ['ignore', 'pipe', 'ignore'],
    }).toString('utf8');
  } catch {
    return undefined; // not in that commit
  }
};

/** name → its installed versions, sorted and joined: what a deploy decision compares. */
function ours(file, text) {
  const locked = parseLockfile(file, text);
  return new Map([...locked.versions].map(([name, versions]) => [name, [...versions.keys()].sort().join(' | ')]));
}

/** The same from Nx's reader. */
function nx(file, text, manifest, hash) {
  // Nx keeps what it read under the hash it is given: one per version of the file.
  const { nodes } = getLockFileNodesForName(file, text, hash, manifest);
  const byName = new Map();
  for (const node of Object.values(nodes)) {
    const { packageName, version } = node.data;
    if (!byName.has(packageName)) byName.set(packageName, new Set());
    byName.get(packageName).add(version);
  }
  return new Map([...byName].map(([name, versions]) => [name, [...versions].sort().join(' | ')]));
}

/**
 * Workspace packages left out on both sides: one reader keeps them (`workspace:libs/a`), the
 * other not, and an import of one resolves to its files, never to an installed version.
 */
const withoutWorkspaces = (map) =>
  new Map(
    [...map].filter(([, versions]) => versions !== '' && !/^(workspace:|0\.0\.0-use\.local( |$))/.test(versions)),
  );
const changedNames = (before, after) =>
  new Set([...new Set([...before.keys(), ...after.keys()])].filter((name) => before.get(name) !== after.get(name)));

let failures = 0;
for (const { file } of LOCKFILES) {
  if (file === 'bun.lockb') continue; // binary: neither reader reads it without Bun itself
  const path = inFolder(file);
  const commits = git('log', '--format=%H %P', `-n${values.max}`, '--', path)
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' '));
  if (commits.length === 0) continue;
  const read = new Map();
  const readAt = (commit) => {
    if (!read.has(commit)) {
      const text = show(commit, path);
      if (text === undefined) read.set(commit, undefined);
      else {
        const manifestText = show(commit, inFolder('package.json'));
        let manifest = {};
        try {
          manifest = JSON.parse(manifestText ?? '{}');
        } catch {
          // Nx's yarn and bun readers take the manifest's name only
        }
        const entry = {};
        try {
          entry.nx = withoutWorkspaces(nx(file, text, manifest, `${commit}:${path}`));
        } catch (error) {
          entry.nxError = error;
        }
        try {
          entry.ours = withoutWorkspaces(ours(file, text));
        } catch (error) {
          entry.oursError = error;
        }
        read.set(commit, entry);
      }
    }
    return read.get(commit);
  };
  let compared = 0;
  let disagreeing = 0;
  let beyond = 0;
  for (const [commit, parent] of commits) {
    for (const side of [commit, parent].filter(Boolean)) {
      const entry = readAt(side);
      if (entry?.oursError && !entry.nxError) {
        failures++;
        process.stdout.write(
          `${path} at ${side.slice(0, 10)}: Nx reads it, the engine does not: ${entry.oursError.message}\n`,
        );
      }
    }
    const after = readAt(commit);
    const before = parent ? readAt(parent) : undefined;
    if (!after?.nx || !after.ours || !before?.nx || !before.ours) continue;
    compared++;
    const byNx = changedNames(before.nx, after.nx);
    const byUs = changedNames(before.ours, after.ours);
    const missed = [...byNx].filter((name) => !byUs.has(name));
    const onlyOurs = [...byUs].filter((name) => !byNx.has(name));
    beyond += onlyOurs.length;
    if (onlyOurs.length > 0)
      process.stdout.write(
        `${path} ${commit.slice(0, 10)}: only the engine finds ${onlyOurs
          .slice(0, 4)
          .map((name) => `${name} (${before.ours.get(name) ?? 'absent'} → ${after.ours.get(name) ?? 'removed'})`)
          .join(', ')} changed\n`,
      );
    if (missed.length > 0) {
      failures++;
      process.stdout.write(
        `${path} ${commit.slice(0, 10)}: Nx finds ${missed
          .slice(0, 6)
          .map((name) => `${name} (${before.nx.get(name) ?? 'absent'} → ${after.nx.get(name) ?? 'removed'})`)
          .join(', ')}${missed.length > 6 ? ` and ${missed.length - 6} more` : ''} changed, the engine does not\n`,
      );
    }
  }
  const examples = [];
  for (const entry of read.values()) {
    if (!entry?.nx || !entry.ours) continue;
    for (const name of new Set([...entry.nx.keys(), ...entry.ours.keys()]))
      if (entry.nx.get(name) !== entry.ours.get(name)) {
        disagreeing++;
        if (examples.length < 5)
          examples.push(
            `${name}: Nx ${entry.nx.get(name) ?? 'absent'}, the engine ${entry.ours.get(name) ?? 'absent'}`,
          );
      }
  }
  if (examples.length > 0) process.stdout.write(`${path}: for example ${examples.join('; ')}\n`);
  const versions = [...read.values()].filter(Boolean).length;
  const unread = [...read.values()].filter((entry) => entry?.nxError);
  if (unread.length > 0)
    process.stdout.write(
      `${path}: Nx's reader fails on ${unread.length} versions (${unread[0].nxError.message.split('\n')[0].slice(0, 120)}); the engine ${unread.some((entry) => entry.oursError) ? `fails on ${unread.filter((entry) => entry.oursError).length} of them` : 'reads them all'}\n`,
    );
  process.stdout.write(
    `${path}: ${versions} versions read, ${compared} commits compared; names whose versions the readers give differently, over all versions: ${disagreeing}; packages only the engine finds changed: ${beyond}\n`,
  );
}
// Patches of installed packages (core/lockfile/patched-packages.ts): for the last N commits that
// touch a .patch file, the package each changed patch is taken for must be one head's lockfile
// installs; a patch taken for no package is listed (the engine then counts every package changed).
const { patchesIn, scopedYarnCandidates } = require(`${dist}core/lockfile/patched-packages.js`);
const { parseYaml } = require(`${dist}core/lockfile/locked-packages.js`);
const patchCommits = git('log', '--format=%H %P', `-n${values.max}`, '--', folder ? `${folder}/*.patch` : '*.patch')
  .split('\n')
  .filter(Boolean)
  .map((line) => line.split(' '));
const at = (commit) => ({ readText: (path) => (commit ? show(commit, inFolder(path)) : undefined) });
let patchesSeen = 0;
for (const [commit, parent] of patchCommits) {
  const paths = git('diff', '--name-only', '--no-renames', `${parent ?? commit}`, commit, '--', folder || '.')
    .split('\n')
    .filter(Boolean)
    .map((path) => (folder ? path.slice(folder.length + 1) : path));
  const head = at(commit);
  const lockfile = LOCKFILES.map(({ file }) => file).find(
    (file) => file !== 'bun.lockb' && head.readText(file) !== undefined,
  );
  let installed;
  try {
    installed = lockfile ? parseLockfile(lockfile, head.readText(lockfile)).versions : undefined;
  } catch {
    installed = undefined;
  }
  for (const found of patchesIn(paths, head, () => at(parent), parseYaml)) {
    patchesSeen++;
    // As the engine does (lockfile-comparison.ts): a scoped yarn patch is the one split installed.
    const splits =
      found.package === undefined && installed
        ? scopedYarnCandidates(found.file).filter((name) => installed.has(name))
        : [];
    const patch = splits.length === 1 ? { ...found, package: splits[0] } : found;
    const known = patch.package === undefined ? 'no package: every package counts as changed' : patch.package;
    const inLockfile = patch.package !== undefined && installed?.has(patch.package);
    // A patch deleted with its package is no failure: the lockfile's own change says so.
    const deleted = head.readText(patch.file) === undefined;
    if (patch.package !== undefined && installed && !inLockfile && !deleted) failures++;
    process.stdout.write(
      `${commit.slice(0, 10)} ${patch.file} → ${known}${patch.package === undefined ? '' : installed ? (inLockfile ? ` (installed: ${lockfile})` : deleted ? ` (deleted, and not in ${lockfile})` : ` — NOT in ${lockfile}`) : ' (no lockfile read)'}\n`,
    );
  }
}
process.stdout.write(
  `patches: ${patchCommits.length} commits touch a .patch file, ${patchesSeen} patches of installed packages among their changes\n`,
);
process.exit(failures > 0 ? 1 : 0);
