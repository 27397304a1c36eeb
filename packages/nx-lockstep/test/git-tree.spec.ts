/**
 * GitTree reads committed contents, never what the working tree happens to hold: a real git
 * repository with files edited, deleted and replaced by symlinks after the commit.
 */
import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitTree, rememberOpened } from '../src/adapters/git-tree';
import { openWorkspace } from '../src/cli/cli-workspace';
import { createFixtureWorkspace, git, type FixtureWorkspace } from './support/fixture-workspace';

let ws: FixtureWorkspace | undefined;
afterEach(() => ws?.remove());

describe('GitTree.listFiles', () => {
  it('lists every blob of the commit with its id (symlinks too, not a submodule), in a sub-folder workspace relative to it', () => {
    ws = createFixtureWorkspace({
      'nx.json': '{}',
      'apps/api/main.ts': 'export const main = 1;\n',
      'libs/with space/ünïcode name.ts': 'export const u = 1;\n',
    });
    symlinkSync('apps/api/main.ts', join(ws.root, 'link.ts'));
    git(ws.root, 'add', 'link.ts');
    // A submodule's entry (a gitlink, type `commit`) is no file of the workspace.
    git(ws.root, 'update-index', '--add', '--cacheinfo', `160000,${git(ws.root, 'rev-parse', 'HEAD')},vendor/sub`);
    git(ws.root, 'commit', '-qm', 'symlink and submodule');
    const blobs = (root: string, prefix = '') =>
      git(root, 'ls-tree', '-r', '-z', '--full-tree', 'HEAD')
        .split('\0')
        .filter((line) => line.includes(' blob '))
        .map((line) => [line.split('\t')[1], line.split('\t')[0].split(' ')[2]] as const)
        .filter(([path]) => path.startsWith(prefix))
        .map(([path, blob]) => [path.slice(prefix.length), blob]);
    const listed = GitTree.open(ws.root, ['HEAD']).listFiles(git(ws.root, 'rev-parse', 'HEAD'));
    expect([...listed].sort()).toEqual(blobs(ws.root).sort());
    expect([...listed.keys()].sort()).toEqual([
      '.gitignore',
      'apps/api/main.ts',
      'libs/with space/ünïcode name.ts',
      'link.ts',
      'nx.json',
    ]);
    // The workspace in a sub-folder: paths relative to it, nothing from outside it.
    const inApps = GitTree.open(join(ws.root, 'apps'), ['HEAD']).listFiles(git(ws.root, 'rev-parse', 'HEAD'));
    expect([...inApps]).toEqual(blobs(ws.root, 'apps/'));
  });
});

describe('GitTree.readFiles', () => {
  it('returns the committed bytes of every file, whatever the working tree holds', () => {
    const committed = {
      'nx.json': '{}',
      'a.ts': 'export const a = 1;\n',
      'b.ts': 'export const b = 1;\n',
      'c.ts': 'export const c = 1;\n',
      'd.ts': 'export const d = 1;\n',
      'e.ts': 'export const e = 1;\n',
    };
    ws = createFixtureWorkspace(committed);
    const blob = (path: string) => git(ws!.root, 'rev-parse', `HEAD:${path}`);
    ws.write({ 'a.ts': 'export const a = 2;\n', 'b.ts': null, 'c.ts': 'export const c = 1;\r\n', 'd.ts': null });
    symlinkSync(join(ws.root, 'e.ts'), join(ws.root, 'd.ts'));

    const tree = GitTree.open(ws.root, ['HEAD']);
    const paths = ['a.ts', 'b.ts', 'c.ts', 'd.ts', 'e.ts'];
    const contents = tree.readFiles(paths.map((path) => [path, blob(path)] as const));
    expect(Object.fromEntries(paths.map((path) => [path, contents.get(blob(path))?.toString('utf8')]))).toEqual(
      Object.fromEntries(paths.map((path) => [path, committed[path as keyof typeof committed]])),
    );
    expect(tree.resolveCommit('HEAD')).toBe(git(ws.root, 'rev-parse', 'HEAD'));
  });

  it('opens with refs that do not exist: they resolve to undefined, the others still resolve', () => {
    ws = createFixtureWorkspace({ 'nx.json': '{}' });
    const tree = GitTree.open(ws.root, ['HEAD', 'no-such-branch', '--output=x']);
    expect(tree.resolveCommit('no-such-branch')).toBeUndefined();
    expect(tree.resolveCommit('HEAD')).toBe(git(ws.root, 'rev-parse', 'HEAD'));
  });
});

describe('GitTree.open after the command line’s check', () => {
  it('takes what the check read once, for the refs it read, and reads git itself otherwise', () => {
    ws = createFixtureWorkspace({ 'nx.json': '{}', 'apps/api/main.ts': 'export const main = 1;\n' });
    const head = git(ws.root, 'rev-parse', 'HEAD');
    // Planted values show which answer an open took.
    rememberOpened(ws.root, '', new Map([['HEAD', 'f'.repeat(40)]]));
    expect(GitTree.open(ws.root, ['HEAD']).resolveCommit('HEAD')).toBe('f'.repeat(40));
    expect(GitTree.open(ws.root, ['HEAD']).resolveCommit('HEAD')).toBe(head); // taken once
    rememberOpened(ws.root, '', new Map([['HEAD', 'f'.repeat(40)]]));
    const wider = GitTree.open(ws.root, ['HEAD', 'HEAD~0']); // a ref the check did not read: git
    expect(wider.resolveCommit('HEAD')).toBe(head);
    expect(GitTree.open(ws.root, ['HEAD']).resolveCommit('HEAD')).toBe(head); // gone with that open

    // The real check, at the root and in a sub-folder workspace: the same folder and commits as
    // an open that reads git itself.
    ws.commit('a workspace in apps', { 'apps/nx.json': '{}' });
    for (const folder of [ws.root, join(ws.root, 'apps')]) {
      const root = openWorkspace(undefined, folder, ['HEAD~1']);
      const taken = GitTree.open(root, ['HEAD', 'HEAD~1']);
      const read = GitTree.open(root, ['HEAD', 'HEAD~1']);
      expect(taken.resolveCommit('HEAD~1')).toBe(read.resolveCommit('HEAD~1'));
      expect(taken.resolveCommit('HEAD')).toBe(read.resolveCommit('HEAD'));
      expect([...taken.listFiles(read.resolveCommit('HEAD')!)]).toEqual([
        ...read.listFiles(read.resolveCommit('HEAD')!),
      ]);
    }
  });
});

describe('GitTree.diff', () => {
  it('gives status, paths and both blob ids of every change (none for the missing side), read ahead or not', async () => {
    ws = createFixtureWorkspace({
      'nx.json': '{}',
      'a.ts': 'export const a = 1;\n',
      'b.ts': 'export const b = 1;\n',
      'old.ts': 'export const moved = 1;\n',
    });
    const base = git(ws.root, 'rev-parse', 'HEAD');
    ws.write({
      'a.ts': 'export const a = 2;\n',
      'b.ts': null,
      'c.ts': 'export const c = 1;\n',
      'old.ts': null,
      'new.ts': 'export const moved = 1;\n',
    });
    const head = ws.commit('change, delete, add, rename', {});
    const blob = (commit: string, path: string) => git(ws!.root, 'rev-parse', `${commit}:${path}`);
    const changes = GitTree.open(ws.root).diff(base, head);
    expect(changes.sort((x, y) => x.path.localeCompare(y.path))).toEqual([
      { status: 'M', path: 'a.ts', baseBlob: blob(base, 'a.ts'), headBlob: blob(head, 'a.ts') },
      { status: 'D', path: 'b.ts', baseBlob: blob(base, 'b.ts') },
      { status: 'A', path: 'c.ts', headBlob: blob(head, 'c.ts') },
      {
        status: 'R',
        path: 'new.ts',
        oldPath: 'old.ts',
        baseBlob: blob(base, 'old.ts'),
        headBlob: blob(head, 'new.ts'),
      },
    ]);
    // Started in the background (as a run does while it loads its caches): the same changes.
    const ahead = GitTree.open(ws.root);
    ahead.startReads(head, [base]);
    await ahead.settle();
    expect(ahead.diff(base, head)).toEqual(changes);
  });

  it('answers from the read started ahead, without running git again', async () => {
    ws = createFixtureWorkspace({ 'nx.json': '{}', 'a.ts': 'export const a = 1;\n' });
    const base = git(ws.root, 'rev-parse', 'HEAD');
    const head = ws.commit('change a', { 'a.ts': 'export const a = 2;\n' });
    const expected = GitTree.open(ws.root).diff(base, head);
    const ahead = GitTree.open(ws.root);
    ahead.startReads(head, [base]);
    await ahead.settle();
    // With the repository moved away, a git process run now would fail.
    renameSync(join(ws.root, '.git'), join(ws.dir, 'moved.git'));
    try {
      expect(ahead.diff(base, head)).toEqual(expected);
      expect(() => GitTree.open(ws!.root).diff(base, head)).toThrow();
    } finally {
      renameSync(join(ws.dir, 'moved.git'), join(ws.root, '.git'));
    }
  });

  // ryla 0210054b07..e5a81e33b2 in the corpus: the mirror lacks a 5 MiB workflow.json the commit adds,
  // and rename detection must read every added file, so `git diff -M` died and lockstep with it.
  it('lists the changes without rename detection when git cannot read a blob it would compare, read ahead or not', async () => {
    ws = createFixtureWorkspace({ 'nx.json': '{}', 'a.ts': 'export const a = 1;\n', 'old.json': '{"old": 1}\n' });
    const base = git(ws.root, 'rev-parse', 'HEAD');
    // A deleted file with no exact copy makes git compare it with every added file's content.
    ws.write({ 'a.ts': null, 'b.ts': 'export const a = 1;\n', 'old.json': null, 'big.json': '{"large": true}\n' });
    const head = ws.commit('rename a.ts, replace old.json by big.json', {});
    const big = git(ws.root, 'rev-parse', `${head}:big.json`);
    rmSync(join(ws.root, '.git', 'objects', big.slice(0, 2), big.slice(2)));
    expect(() => git(ws!.root, 'diff', '-M', '--raw', base, head)).toThrow(/unable to read/);

    const changes = GitTree.open(ws.root).diff(base, head);
    expect(changes.map(({ status, path }) => `${status} ${path}`).sort()).toEqual([
      'A b.ts',
      'A big.json',
      'D a.ts',
      'D old.json',
    ]);
    // The diff started ahead fails the same way: it is read again in the foreground, without renames.
    const ahead = GitTree.open(ws.root);
    ahead.startReads(head, [base]);
    await ahead.settle();
    expect(ahead.diff(base, head)).toEqual(changes);
    // A base git does not have: the foreground read reports it, as without reading ahead.
    const missing = GitTree.open(ws.root);
    missing.startReads(head, ['f'.repeat(40)]);
    await missing.settle();
    expect(() => missing.diff('f'.repeat(40), head)).toThrow(/git diff .* failed/);
  });
});

describe('GitTree.workingTreeChanges', () => {
  it('lists what the working tree changes of the commit, workspace-relative, and nothing for a folder it cannot list', async () => {
    ws = createFixtureWorkspace({
      'nx.json': '{}',
      'apps/api/project.json': '{}',
      'apps/api/main.ts': 'export const main = 1;\n',
      'apps/api/old name.ts': 'export const old = 1;\n',
      'libs/util/index.ts': 'export const util = 1;\n',
    });
    const root = ws.root;
    const tree = () => GitTree.open(root, ['HEAD']);
    expect(await tree().workingTreeChanges()).toEqual([]);
    writeFileSync(join(root, 'apps/api/project.json'), '{ "name": "api" }');
    rmSync(join(root, 'libs/util/index.ts'));
    git(root, 'mv', 'apps/api/old name.ts', 'apps/api/new ünïcode.ts');
    writeFileSync(join(root, 'apps/api/notes.txt'), 'untracked\n');
    expect((await tree().workingTreeChanges())?.sort()).toEqual([
      'apps/api/new ünïcode.ts',
      'apps/api/notes.txt',
      'apps/api/old name.ts',
      'apps/api/project.json',
      'libs/util/index.ts',
    ]);
    // A workspace in a sub-folder: its own changes, relative to it.
    expect((await GitTree.open(join(root, 'apps'), ['HEAD']).workingTreeChanges())?.sort()).toEqual([
      'api/new ünïcode.ts',
      'api/notes.txt',
      'api/old name.ts',
      'api/project.json',
    ]);
    // An untracked folder is listed whole: what is in it is not known.
    mkdirSync(join(root, 'libs/new'));
    writeFileSync(join(root, 'libs/new/index.ts'), 'export const n = 1;\n');
    expect(await tree().workingTreeChanges()).toBeUndefined();
  });
});
