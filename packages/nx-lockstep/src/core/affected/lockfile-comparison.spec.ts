import { describe, expect, it } from 'vitest';
import type { FileChange } from './file-change';
import { packageVersionChanges } from './lockfile-comparison';

const commit = (files: Record<string, string>) => ({
  readText: (path: string) => files[path],
  files: new Set(Object.keys(files)),
});
const modified = (path: string): FileChange => ({ status: 'M', path });
const berry = (...names: string[]) =>
  ['__metadata:', '  version: 6', '', ...names.flatMap((name) => [`"${name}@npm:^1":`, '  version: 1.0.0', ''])].join(
    '\n',
  );

describe('packageVersionChanges: patches', () => {
  const patch = '.yarn/patches/@semantic-release-npm-npm-9.0.2-01eb854535.patch';

  it('takes a scoped yarn patch for the one split of its name head installs', () => {
    const head = commit({ 'yarn.lock': berry('@semantic-release/npm', 'other'), [patch]: 'x' });
    const changes = packageVersionChanges([modified(patch)], head, () => head);
    expect(changes.sources).toEqual([patch]);
    expect(changes.change('@semantic-release/npm')).toEqual({
      package: '@semantic-release/npm',
      from: null,
      to: null,
      lockfile: patch,
    });
    expect(changes.change('other')).toBeUndefined();
  });

  it('counts every package when two splits are installed, or none', () => {
    for (const installed of [['@semantic-release/npm', '@semantic/release-npm'], ['other']]) {
      const head = commit({ 'yarn.lock': berry(...installed), [patch]: 'x' });
      expect(packageVersionChanges([modified(patch)], head, () => head).change('other')).toMatchObject({
        package: 'other',
        lockfile: patch,
        unreadable: expect.stringContaining('of which one cannot be told'),
      });
    }
  });

  it('without a lockfile, a patch is a change of its own package only', () => {
    const head = commit({ 'patches/debug+4.0.0.patch': 'x' });
    const changes = packageVersionChanges([modified('patches/debug+4.0.0.patch')], head, () => head);
    expect(changes.change('debug')).toMatchObject({ package: 'debug', lockfile: 'patches/debug+4.0.0.patch' });
    expect(changes.change('express')).toBeUndefined();
  });

  it('looks at no file when nothing installed changed', () => {
    const reads: string[] = [];
    const head = { readText: (path: string) => (reads.push(path), undefined) };
    const changes = packageVersionChanges([modified('apps/api/src/main.ts')], head, () => head);
    expect(changes.sources).toEqual([]);
    expect(reads).toEqual([]);
  });
});
