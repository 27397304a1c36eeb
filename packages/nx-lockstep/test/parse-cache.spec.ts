/**
 * The parse cache on disk: warm runs parse only what changed; a corrupt, tampered or foreign
 * cache file is discarded, never trusted. Uses a real git repository and the real file system.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GitTree } from '../src/adapters/git-tree';
import { ParseCache } from '../src/adapters/parse-cache';
import { WorkspaceSnapshot } from '../src/adapters/workspace-snapshot';
import { summarizeModule } from '../src/core/extract/summarize-module';
import { createFixtureWorkspace, git, type FixtureWorkspace } from './support/fixture-workspace';

let ws: FixtureWorkspace | undefined;
afterEach(() => ws?.remove());

function summarizeAll(root: string, commit: string): ParseCache {
  const cache = ParseCache.load(root, 'parse-cache-git');
  const snapshot = WorkspaceSnapshot.load(GitTree.open(root), commit, cache);
  for (const file of snapshot.fileSet) if (!file.endsWith('.spec.ts')) snapshot.summaryOf(file);
  cache.save();
  return cache;
}

describe('ParseCache', () => {
  it('a warm run parses only the files whose content changed', () => {
    ws = createFixtureWorkspace({ 'nx.json': '{}', 'a.ts': "import './b';", 'b.ts': 'export const b = 1;', 'c.ts': 'export const c = 2;', 'c.spec.ts': "import './c';" });
    const first = summarizeAll(ws.root, git(ws.root, 'rev-parse', 'HEAD'));
    expect({ hits: first.hits, misses: first.misses }).toEqual({ hits: 0, misses: 3 });
    const head = ws.commit('edit b', { 'b.ts': 'export const b = 2;' });
    const warm = summarizeAll(ws.root, head);
    expect({ hits: warm.hits, misses: warm.misses }).toEqual({ hits: 2, misses: 1 });
  });

  it('discards a corrupt, truncated, tampered or foreign cache file', () => {
    ws = createFixtureWorkspace({ 'nx.json': '{}' });
    const dir = join(ws.root, '.nx', 'workspace-data', 'nx-lockstep');
    const file = join(dir, 'test.cache');
    const summary = summarizeModule('x.ts', "import './y';");

    const cache = ParseCache.load(ws.root, 'test');
    cache.summary('k', () => summary);
    cache.save();
    const valid = readFileSync(file, 'utf8');
    const reload = () => {
      const loaded = ParseCache.load(ws!.root, 'test');
      let parsed = false;
      loaded.summary('k', () => ((parsed = true), summary));
      return parsed ? 'discarded' : 'trusted';
    };
    expect(reload()).toBe('trusted');

    const [header, body] = [valid.slice(0, valid.indexOf('\n')), valid.slice(valid.indexOf('\n') + 1)];
    const variants: Record<string, string> = {
      garbage: 'not a cache at all',
      truncated: valid.slice(0, valid.length - 10),
      tampered: `${header}\n${body.replace('./y', './z')}`,
      foreign: `${header.replace('nx-lockstep-parse-cache', 'someone-else')}\n${body}`,
      'another extractor version': `${header.replace(/"extractor":\d+/, '"extractor":999')}\n${body}`,
    };
    for (const [name, text] of Object.entries(variants)) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(file, text);
      expect(`${name}: ${reload()}`).toBe(`${name}: discarded`);
    }
  });

  it('reads entries one by one: an entry cut short is re-parsed, the others are trusted and kept', () => {
    ws = createFixtureWorkspace({ 'nx.json': '{}' });
    const file = join(ws.root, '.nx', 'workspace-data', 'nx-lockstep', 'entries.cache');
    const first = summarizeModule('a.ts', "import './b';");
    const second = summarizeModule('b.ts', "import './c';");
    const cache = ParseCache.load(ws.root, 'entries');
    cache.summary('a', () => first);
    cache.summary('b', () => second);
    cache.save();
    const valid = readFileSync(file, 'utf8');
    expect(valid.trimEnd().split('\n')).toHaveLength(3);
    writeFileSync(file, valid.slice(0, valid.length - 10));

    const parsed: string[] = [];
    const loaded = ParseCache.load(ws.root, 'entries');
    expect(loaded.summary('a', () => (parsed.push('a'), first))).toEqual(first);
    expect(loaded.summary('b', () => (parsed.push('b'), second))).toEqual(second);
    expect(parsed).toEqual(['b']);
    loaded.save();
    // A run that parsed something writes what it used plus the earlier entries it did not use.
    const later = ParseCache.load(ws.root, 'entries');
    later.summary('c', () => first);
    later.save();
    const again = ParseCache.load(ws.root, 'entries');
    const reparsed: string[] = [];
    for (const key of ['a', 'b', 'c']) again.summary(key, () => (reparsed.push(key), first));
    expect(reparsed).toEqual([]);
  });

  it('an entry of the wrong shape (valid checksum) is re-parsed, not trusted', () => {
    ws = createFixtureWorkspace({ 'nx.json': '{}' });
    const cache = ParseCache.load(ws.root, 'shape');
    cache.summary('k', () => ({ imports: 'nope' }) as never);
    cache.save();
    let parsed = false;
    ParseCache.load(ws.root, 'shape').summary('k', () => ((parsed = true), summarizeModule('x.ts', '')));
    expect(parsed).toBe(true);
  });
});
