/**
 * `ancestry` answers two `git merge-base --is-ancestor` questions with one git process: it must
 * give git's own answers in every shape of history, and null where git cannot tell.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepos, sh, type Repos } from './__fixtures__/git-repos';
import { ancestry, isAncestor } from './git';

describe('ancestry (real git)', () => {
  let repos: Repos;
  let first: string;
  let second: string;
  let third: string;
  let side: string;
  let orphan: string;
  let shallow: string;

  beforeAll(() => {
    repos = createRepos();
    const main = repos.main;
    first = sh(main, 'rev-parse', 'HEAD');
    second = repos.commit(main, 'a.ts', '1\n');
    third = repos.commit(main, 'a.ts', '2\n');
    sh(main, 'checkout', '-q', '-b', 'side', second);
    side = repos.commit(main, 'b.ts', '1\n');
    sh(main, 'checkout', '-q', '--orphan', 'orphan');
    orphan = repos.commit(main, 'c.ts', '1\n');
    sh(main, 'checkout', '-q', 'main');
    sh(main, 'push', '-q', 'origin', 'main', 'side', 'orphan');
    // A clone holding only the last commit of main: its parent is cut off.
    shallow = repos.clone('shallow', '--depth', '1', '--branch', 'main');
  }, 60_000);
  afterAll(() => repos.remove());

  const pairs = (): Array<[string, string, string]> => [
    ['the same commit', third, third],
    ['behind', first, third],
    ['ahead', third, first],
    ['diverged', third, side],
    ['unrelated histories', third, orphan],
  ];

  it('gives git --is-ancestor answers both ways', () => {
    for (const [label, a, b] of pairs()) {
      const expected = { aInB: isAncestor(repos.main, a, b), bInA: isAncestor(repos.main, b, a) };
      expect({ label, ...ancestry(repos.main, a, b) }).toEqual({ label, ...expected });
    }
    expect(ancestry(repos.main, first, third)).toEqual({ aInB: true, bInA: false });
    expect(ancestry(repos.main, third, side)).toEqual({ aInB: false, bInA: false });
  });

  it('answers through --is-ancestor for names that are not full shas', () => {
    expect(ancestry(repos.main, 'main~2', 'main')).toEqual({ aInB: true, bInA: false });
    expect(ancestry(repos.main, first.slice(0, 12), 'side')).toEqual({ aInB: true, bInA: false });
  });

  it('is null where git cannot tell: a commit this clone lacks', () => {
    const missing = '0123456789abcdef0123456789abcdef01234567';
    expect(isAncestor(repos.main, missing, third)).toBeNull();
    expect(ancestry(repos.main, missing, third)).toBeNull();
    expect(ancestry(repos.main, third, missing)).toBeNull();
    expect(ancestry(shallow, first, third)).toBeNull();
  });

  it('in a shallow clone, answers as --is-ancestor does across the cut', () => {
    sh(shallow, 'fetch', '-q', '--depth', '1', 'origin', 'side');
    const expected = { aInB: isAncestor(shallow, third, side), bInA: isAncestor(shallow, side, third) };
    expect(expected).toEqual({ aInB: false, bInA: false });
    expect(ancestry(shallow, third, side)).toEqual(expected);
  });
});
