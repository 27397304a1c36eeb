/**
 * The kept file list (file-list-store.ts): a run lists head as the list an earlier run kept plus
 * one tree diff, and must give exactly what `git ls-tree` gives — the same files, ids and order —
 * in a real git repository through adds, deletes, mode and type changes, symlinks, submodule
 * entries and paths that sort differently by bytes than by JavaScript's `<`; and fall back to
 * ls-tree whenever the kept list cannot be trusted.
 */
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitTree } from '../src/adapters/git-tree';
import { readFileList } from '../src/adapters/file-list-store';
import { createFixtureWorkspace, git, type FixtureWorkspace } from './support/fixture-workspace';

let ws: FixtureWorkspace | undefined;
afterEach(() => ws?.remove());

/** What ls-tree lists (a GitTree that keeps no list), in its order. */
const lsTree = (root: string, commit: string) => [...GitTree.open(root, ['HEAD']).listFiles(commit)];
/** What a run that keeps its list in `file` lists for `commit`. */
const kept = (root: string, file: string, commit: string) => [
  ...GitTree.open(root, ['HEAD']).keepFileList(file, commit).listFiles(commit),
];
/** The same, with the tree diff started ahead (as a run starts it while it loads its caches). */
const keptAhead = async (root: string, file: string, commit: string) => {
  const tree = GitTree.open(root, ['HEAD']).keepFileList(file, commit);
  tree.startReads(commit, []);
  await tree.settle();
  return [...tree.listFiles(commit)];
};
const commitAll = (root: string, message: string, indexOnly = false) => {
  if (!indexOnly) git(root, 'add', '-A');
  git(root, 'commit', '-qm', message);
  return git(root, 'rev-parse', 'HEAD');
};

describe('kept file list', () => {
  it('gives ls-tree’s list, ids and order at every commit of a history, at the root and in a sub-folder workspace', async () => {
    ws = createFixtureWorkspace({
      'nx.json': '{}',
      'a/x.ts': 'x',
      'a.b': 'dot',
      'a0/z.ts': 'zero',
      'apps/api/main.ts': 'export const main = 1;\n',
      'apps/api/gone.ts': 'gone',
      'apps/api/dir-soon': 'a file that becomes a folder',
    });
    const file = join(ws.dir, 'root-list');
    const subFile = join(ws.dir, 'apps-list');
    const apps = join(ws.root, 'apps');
    const steps: Array<() => void> = [
      // Adds that sort between existing paths, by bytes: `a-b` < `a.b` < `a/` < `a0`, and
      // non-ASCII names whose UTF-8 order differs from UTF-16 order (U+FF5E against an emoji).
      () =>
        ws!.write({
          'a-b': 'dash',
          'a/y.ts': 'y',
          'apps/api/ünïcode.ts': 'u',
          'apps/api/\uff5e.ts': 'fullwidth tilde',
          'apps/api/\u{1f600}.ts': 'emoji',
          'zz/new.ts': 'last',
        }),
      () => ws!.write({ 'apps/api/main.ts': 'export const main = 2;\n', 'apps/api/gone.ts': null }),
      () => chmodSync(join(ws!.root, 'apps/api/main.ts'), 0o755),
      () => symlinkSync('main.ts', join(ws!.root, 'apps/api/link.ts')),
      () => {
        rmSync(join(ws!.root, 'apps/api/dir-soon'));
        ws!.write({ 'apps/api/dir-soon/inside.ts': 'now a folder' });
      },
      // A submodule entry comes and goes (staged alone: `git add -A` would drop it): never a file of the list.
      () =>
        git(ws!.root, 'update-index', '--add', '--cacheinfo', `160000,${git(ws!.root, 'rev-parse', 'HEAD')},apps/sub`),
      () => git(ws!.root, 'rm', '-q', '--cached', 'apps/sub'),
      () => {
        rmSync(join(ws!.root, 'apps/api/link.ts'));
        ws!.write({ 'apps/api/link.ts': 'a file again' });
      },
    ];
    const initial = git(ws.root, 'rev-parse', 'HEAD');
    let head = initial;
    expect(kept(ws.root, file, head)).toEqual(lsTree(ws.root, head));
    expect(kept(apps, subFile, head)).toEqual(lsTree(apps, head));
    const indexOnly = new Set([5, 6]);
    for (const [index, step] of steps.entries()) {
      step();
      head = commitAll(ws.root, `step ${index}`, indexOnly.has(index));
      const expected = lsTree(ws.root, head);
      expect(kept(ws.root, file, head)).toEqual(expected);
      // Worked out from the list kept at the first commit (few changes: it is not written again).
      expect(readFileList(file, '')?.commit).toBe(initial);
      expect(await keptAhead(ws.root, file, head)).toEqual(expected);
      expect(kept(apps, subFile, head)).toEqual(lsTree(apps, head));
    }
    expect(lsTree(ws.root, head).map(([path]) => path)).toEqual(
      expect.arrayContaining(['a-b', 'a.b', 'a/x.ts', 'a0/z.ts', 'apps/api/\u{1f600}.ts', 'apps/api/\uff5e.ts']),
    );
    // The list of the sub-folder workspace was kept for it alone.
    expect(readFileList(subFile, 'apps/')?.files.has('api/main.ts')).toBe(true);
    expect(readFileList(subFile, '')).toBeUndefined();
  });

  it('keeps the written list while head is a few changes away, and writes it again after many', () => {
    ws = createFixtureWorkspace({ 'nx.json': '{}', 'libs/a.ts': 'a' });
    const file = join(ws.dir, 'list');
    const first = git(ws.root, 'rev-parse', 'HEAD');
    kept(ws.root, file, first);
    expect(readFileList(file, '')?.commit).toBe(first);

    const second = ws.commit('one more file', { 'libs/b.ts': 'b' });
    expect(kept(ws.root, file, second)).toEqual(lsTree(ws.root, second));
    expect(readFileList(file, '')?.commit).toBe(first); // a small diff: not written again

    const many = Object.fromEntries(Array.from({ length: 250 }, (_, index) => [`libs/many/f${index}.ts`, `${index}`]));
    const third = ws.commit('many files', many);
    expect(kept(ws.root, file, third)).toEqual(lsTree(ws.root, third));
    expect(readFileList(file, '')?.commit).toBe(third);
    expect(readFileList(file, '')?.files.size).toBe(lsTree(ws.root, third).length);
  });

  it('answers when the list cannot be kept, and leaves no temporary file behind', () => {
    ws = createFixtureWorkspace({ 'nx.json': '{}', 'libs/a.ts': 'a' });
    const folder = join(ws.dir, 'data');
    const file = join(folder, 'list');
    mkdirSync(file, { recursive: true }); // a folder where the list would go: it cannot be renamed over
    const head = git(ws.root, 'rev-parse', 'HEAD');
    expect(kept(ws.root, file, head)).toEqual(lsTree(ws.root, head));
    expect(readdirSync(folder)).toEqual(['list']);
  });

  it('lists with ls-tree when the kept list is damaged, of another folder, of a commit git does not have, or contradicts the diff', async () => {
    ws = createFixtureWorkspace({ 'nx.json': '{}', 'libs/a.ts': 'a', 'libs/b.ts': 'b' });
    const file = join(ws.dir, 'list');
    const first = git(ws.root, 'rev-parse', 'HEAD');
    kept(ws.root, file, first);
    const good = readFileSync(file);
    const head = ws.commit('change a', { 'libs/a.ts': 'a2' });
    const expected = lsTree(ws.root, head);
    const text = good.toString('latin1');
    const blobA = git(ws.root, 'rev-parse', `${first}:libs/a.ts`);
    const blobB = git(ws.root, 'rev-parse', `${first}:libs/b.ts`);
    const damaged: Record<string, Buffer> = {
      'cut short': good.subarray(0, good.length - 5),
      'not a list': Buffer.from('{"format":"something else"}\n'),
      'another folder': Buffer.from(text.replace('"prefix":""', '"prefix":"apps/"'), 'latin1'),
      'a commit git does not have': Buffer.from(text.replace(first, 'f'.repeat(40)), 'latin1'),
      // Well formed, but the changed file's id is not the one the diff starts from.
      'contradicts the diff': Buffer.from(text.replace(blobA, blobB), 'latin1'),
      'an id that is not hex': Buffer.from(text.replace(blobB, 'z'.repeat(40)), 'latin1'),
      // The digest covers the body and the header's fields.
      'a path changed in place': Buffer.from(text.replace('libs/b.ts', 'libs/c.ts'), 'latin1'),
      'a header that no longer says its paths are ASCII': Buffer.from(
        text.replace('"ascii":true', '"ascii":false'),
        'latin1',
      ),
    };
    expect(text).toContain('"ascii":true');
    for (const [why, bytes] of Object.entries(damaged)) {
      writeFileSync(file, bytes);
      expect(kept(ws.root, file, head), why).toEqual(expected);
      // Listed with ls-tree, and kept whole for the next run.
      expect(readFileList(file, '')?.commit, why).toBe(head);
      // The same with the tree diff started ahead.
      writeFileSync(file, bytes);
      expect(await keptAhead(ws.root, file, head), why).toEqual(expected);
    }
  });
});
