/**
 * GitTree reads committed contents, never what the working tree happens to hold: a real git
 * repository with files edited, deleted and replaced by symlinks after the commit.
 */
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitTree } from '../src/adapters/git-tree';
import { createFixtureWorkspace, git, type FixtureWorkspace } from './support/fixture-workspace';

let ws: FixtureWorkspace | undefined;
afterEach(() => ws?.remove());

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

describe('GitTree.diff', () => {
  it('gives status, paths and both blob ids of every change (none for the missing side)', () => {
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
  });
});
