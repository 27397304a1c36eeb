/**
 * The replay derives each commit's file list from its parent's and the diff instead of running
 * `git ls-tree` per commit: it must be exactly what `git ls-tree -r` lists, in its order.
 */
import { describe, expect, it } from 'vitest';
import { filesAfter } from '../src/adapters/history/replay-history';
import { GitTree } from '../src/adapters/git-tree';
import { createFixtureWorkspace, git } from './support/fixture-workspace';

describe('filesAfter', () => {
  it('equals git ls-tree -r for adds, deletes, renames, edits and names git sorts by bytes', () => {
    const ws = createFixtureWorkspace({
      'a.ts': 'a\n',
      'lib/x.ts': 'x\n',
      'lib/y.ts': 'y\n',
      'z/deep/file.ts': 'deep\n',
    });
    try {
      const steps: Array<Record<string, string | null>> = [
        { 'lib/x.ts': 'x2\n', 'lib-a.ts': 'new\n', 'lib.ts': 'dot\n', 'Zeta.ts': 'upper\n', 'é.ts': 'accent\n' },
        { 'lib/y.ts': null, 'lib/w.ts': 'y\n' }, // a rename (same content) and nothing else
        { 'z/deep/file.ts': null, 'z/deep/other.ts': 'other content entirely\n', 'a.ts': 'a2\n' },
        { 'lib/x.ts': null, 'lib/x/index.ts': 'x is a folder now\n' },
      ];
      const gitTree = GitTree.open(ws.root);
      let parent = git(ws.root, 'rev-parse', 'HEAD');
      for (const [index, files] of steps.entries()) {
        const commit = ws.commit(`step ${index}`, files);
        const derived = filesAfter(gitTree.listFiles(parent), gitTree.diff(parent, commit));
        expect(derived && [...derived]).toEqual([...gitTree.listFiles(commit)]);
        parent = commit;
      }
    } finally {
      ws.remove();
    }
  });

  it('gives up on a submodule, which ls-tree lists as no file', () => {
    const sub = createFixtureWorkspace({ 'readme.md': 'sub\n' });
    const ws = createFixtureWorkspace({ 'a.ts': 'a\n' });
    try {
      const gitTree = GitTree.open(ws.root);
      const parent = git(ws.root, 'rev-parse', 'HEAD');
      git(ws.root, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub.root, 'vendor/sub');
      git(ws.root, 'commit', '-qm', 'add a submodule');
      const commit = git(ws.root, 'rev-parse', 'HEAD');
      expect(filesAfter(gitTree.listFiles(parent), gitTree.diff(parent, commit))).toBeUndefined();
      expect([...gitTree.listFiles(commit).keys()]).toEqual(['.gitignore', '.gitmodules', 'a.ts']);
    } finally {
      ws.remove();
      sub.remove();
    }
  });
});
