/**
 * The parse cache on disk: warm runs parse only what changed; a corrupt, tampered or foreign
 * cache file is discarded, never trusted. Uses a real git repository and the real file system.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeAffected } from '../src/engine';
import { GitTree } from '../src/adapters/git-tree';
import { readFramed } from '../src/adapters/framed-file';
import { ParseCache } from '../src/adapters/parse-cache';
import { WorkspaceSnapshot } from '../src/adapters/workspace-snapshot';
import { summarizeModule } from '../src/core/extract/summarize-module';
import { createFixtureWorkspace, git, type FixtureWorkspace } from './support/fixture-workspace';
import { createShopFixture } from './support/shop-fixture';

Object.assign(process.env, { NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_NO_CLOUD: 'true', CI: 'true' });

let ws: FixtureWorkspace | undefined;
afterEach(() => ws?.remove());

function summarizeAll(root: string, commit: string): ParseCache {
  const cache = ParseCache.load(root, 'parse-cache-git');
  const snapshot = WorkspaceSnapshot.load(GitTree.open(root), commit, cache);
  for (const file of snapshot.fileSet) if (!file.endsWith('.spec.ts')) snapshot.summaryOf(file);
  cache.save();
  return cache;
}

describe('WorkspaceSnapshot.fileSet', () => {
  it("is the commit's paths, read through its file list: size, has, every way of iterating", () => {
    ws = createFixtureWorkspace({ 'nx.json': '{}', 'a.ts': 'export {};', 'libs/b/c.ts': 'export {};' });
    const head = ws.commit('add d', { 'd.ts': 'export {};' });
    const snapshot = WorkspaceSnapshot.load(GitTree.open(ws.root), head, ParseCache.load(ws.root, 'parse-cache-git'));
    const paths = [...snapshot.files.keys()];
    expect(paths).toEqual(['.gitignore', 'a.ts', 'd.ts', 'libs/b/c.ts', 'nx.json']);
    const set = snapshot.fileSet;
    expect(set.size).toBe(5);
    expect(paths.every((path) => set.has(path))).toBe(true);
    expect(set.has('libs/b')).toBe(false);
    expect([...set]).toEqual(paths);
    expect([...set.keys()]).toEqual(paths);
    expect([...set.values()]).toEqual(paths);
    expect([...set.entries()]).toEqual(paths.map((path) => [path, path]));
    const seen: string[] = [];
    set.forEach(function (this: unknown, value, again, owner) {
      expect([again, owner, this]).toEqual([value, set, 'this']);
      seen.push(value);
    }, 'this');
    expect(seen).toEqual(paths);
  });
});

describe('ParseCache', () => {
  it('a warm run parses only the files whose content changed', () => {
    ws = createFixtureWorkspace({
      'nx.json': '{}',
      'a.ts': "import './b';",
      'b.ts': 'export const b = 1;',
      'c.ts': 'export const c = 2;',
      'c.spec.ts': "import './c';",
    });
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

  it('a run appends only what it computed; a damaged entry computed again is appended and wins', () => {
    ws = createFixtureWorkspace({ 'nx.json': '{}' });
    const file = join(ws.root, '.nx', 'workspace-data', 'nx-lockstep', 'append.cache');
    const [a, b, c] = ['a.ts', 'b.ts', 'c.ts'].map((name) => summarizeModule(name, `import './${name}x';`));
    const first = ParseCache.load(ws.root, 'append');
    first.summary('a', () => a);
    first.summary('b', () => b);
    first.save();
    const written = readFileSync(file, 'utf8');

    const second = ParseCache.load(ws.root, 'append');
    second.summary('a', () => a);
    second.summary('c', () => c);
    second.save();
    const appended = readFileSync(file, 'utf8');
    expect(appended.startsWith(written)).toBe(true);
    expect(
      appended
        .slice(written.length)
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t')[0]),
    ).toEqual(['c']);

    // Damage b's line: the next run computes b again and appends it; the run after trusts the new line.
    writeFileSync(file, appended.replace(/^b\t[0-9a-f]+/m, 'b\t0000000000000000'));
    const third = ParseCache.load(ws.root, 'append');
    let computed = 0;
    third.summary('b', () => (computed++, b));
    third.save();
    const fourth = ParseCache.load(ws.root, 'append');
    for (const key of ['a', 'b', 'c']) fourth.summary(key, () => (computed++, a));
    expect(computed).toBe(1);
    expect(fourth.summary('b', () => a)).toEqual(b);
  });

  it('reads back every entry of a file larger than its read chunk, lines across chunks and one longer than a chunk', () => {
    ws = createFixtureWorkspace({ 'nx.json': '{}' });
    const file = join(ws.root, '.nx', 'workspace-data', 'nx-lockstep', 'big.cache');
    // ~12 MB: entries of ~300 KB cross the 4 MB chunk boundaries; one of ~9 MB is longer than a chunk.
    const values = new Map<string, string[]>();
    for (let index = 0; index < 12; index++) values.set(`k${index}`, [`v${index}-`.padEnd(300_000, 'x')]);
    values.set('huge', ['h'.padEnd(9_000_000, 'y')]);
    for (let index = 12; index < 24; index++) values.set(`k${index}`, [`v${index}-`.padEnd(300_000, 'z')]);
    const isList = (value: unknown): value is string[] => Array.isArray(value);
    const first = ParseCache.load(ws.root, 'big');
    for (const [key, value] of values) first.value(key, () => value, isList);
    first.save();
    expect(readFileSync(file).length).toBeGreaterThan(12_000_000);

    const loaded = ParseCache.load(ws.root, 'big');
    const computed: string[] = [];
    for (const [key, value] of [...values].reverse())
      expect(loaded.value(key, () => (computed.push(key), ['recomputed']), isList)).toEqual(value);
    expect(computed).toEqual([]);
  });

  it('reads many small entries in any order through reused blocks, and a rewrite copies them intact', () => {
    ws = createFixtureWorkspace({ 'nx.json': '{}' });
    const isList = (value: unknown): value is string[] => Array.isArray(value);
    // 21,000 entries of ~250 bytes: a 5 MB file, about twenty 256 KB blocks (sixteen are kept).
    const valueOf = (index: number) => [`value ${index} `.padEnd(200 + (index % 50), String(index % 10))];
    const first = ParseCache.load(ws.root, 'many');
    for (let index = 0; index < 21_000; index++) first.value(`k${index}`, () => valueOf(index), isList);
    first.save();

    // Asked for out of order (a stride through the file, back and forth): every block is evicted
    // and its memory read into again many times.
    const loaded = ParseCache.load(ws.root, 'many');
    const order = Array.from({ length: 21_000 }, (_, index) => (index * 7_919) % 21_000);
    const wrong: number[] = [];
    for (const index of order.slice(0, 300))
      if (JSON.stringify(loaded.value(`k${index}`, () => ['recomputed'], isList)) !== JSON.stringify(valueOf(index)))
        wrong.push(index);
    expect(wrong).toEqual([]);

    // One new entry with 21,000 stored and 300 used: the file is rewritten, copying the used
    // entries and the most recent others from the file through the same reused blocks.
    loaded.value('new', () => ['new'], isList);
    loaded.save();
    const rewritten = ParseCache.load(ws.root, 'many');
    const recomputed: number[] = [];
    let found = 0;
    for (let index = 0; index < 21_000; index++) {
      const value = rewritten.value(`k${index}`, () => (recomputed.push(index), valueOf(index)), isList);
      expect(value).toEqual(valueOf(index));
      if (!recomputed.includes(index)) found++;
    }
    // Kept: up to 2 × 301 + 1,000 entries (the 301 used, then the most recent others), one of them the new one.
    expect(found).toBe(2 * 301 + 1000 - 1);
    for (const index of order.slice(0, 300)) expect(recomputed).not.toContain(index);
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

describe('the parse cache index', () => {
  const isList = (value: unknown): value is string[] => Array.isArray(value);
  const valueOf = (index: number) => [`value ${index} `.padEnd(60 + (index % 30), String(index % 10))];
  const cacheFile = (root: string) => join(root, '.nx', 'workspace-data', 'nx-lockstep', 'indexed.cache');
  /** Every key's value as this cache answers it, and the keys it had to compute. */
  const answers = (cache: ParseCache, keys: string[]) => {
    const computed: string[] = [];
    const values = keys.map((key) => cache.value(key, () => (computed.push(key), ['computed']), isList));
    return { values, computed };
  };
  /** How many lines the cache had to scan on load (the rest came from the index). */
  const scanned = (cache: ParseCache) =>
    (cache as unknown as { stored: { scanned: Map<string, unknown> } }).stored.scanned.size;

  it('finds entries through the index instead of scanning, and past it the lines appended since', () => {
    ws = createFixtureWorkspace({ 'nx.json': '{}' });
    const keys = Array.from({ length: 3000 }, (_, index) => `k${index}`);
    const first = ParseCache.load(ws.root, 'indexed');
    keys.forEach((key, index) => first.value(key, () => valueOf(index), isList));
    first.save();
    expect(readFileSync(`${cacheFile(ws.root)}.index`).length).toBe(8 * (5 + 3 * 3000));

    const warm = ParseCache.load(ws.root, 'indexed');
    expect(scanned(warm)).toBe(0);
    expect(answers(warm, keys)).toEqual({ values: keys.map((_, index) => valueOf(index)), computed: [] });
    expect(warm.has('k17')).toBe(true);
    expect(warm.has('absent')).toBe(false);
    // A run appends an entry and leaves the index as it is (a few lines past its end cost the next
    // run less than writing the index again); so is a line another run appends meanwhile. Both are
    // found by scanning past the index's end.
    const index = readFileSync(`${cacheFile(ws.root)}.index`);
    warm.value('new-1', () => ['n1'], isList);
    warm.value('k5', () => ['never'], isList);
    warm.save();
    expect(readFileSync(`${cacheFile(ws.root)}.index`)).toEqual(index);
    writeFileSync(
      cacheFile(ws.root),
      `other\t${createHash('sha1').update('["o"]').digest('hex').slice(0, 16)}\t["o"]\n`,
      {
        flag: 'a',
      },
    );
    const next = ParseCache.load(ws.root, 'indexed');
    expect(scanned(next)).toBe(2);
    expect(answers(next, ['new-1', 'other', 'k5', 'k2999'])).toEqual({
      values: [['n1'], ['o'], valueOf(5), valueOf(2999)],
      computed: [],
    });
    // A run that appends many entries writes the index again: it covers every line, its own and
    // those past the old end, and the next run scans nothing.
    const many = Array.from({ length: 1200 }, (_, index) => `m${index}`);
    many.forEach((key, index) => next.value(key, () => valueOf(index), isList));
    next.save();
    const after = ParseCache.load(ws.root, 'indexed');
    expect(scanned(after)).toBe(0);
    expect(answers(after, ['new-1', 'other', 'm1199', 'k2999'])).toEqual({
      values: [['n1'], ['o'], valueOf(1199), valueOf(2999)],
      computed: [],
    });
  });

  it('finds an entry whose key is not ASCII (a path with accents), through the index and by scanning', () => {
    ws = createFixtureWorkspace({ 'nx.json': '{}' });
    const key = 'git:0123abcd:libs/café/src/naïve-ünïcode.ts';
    const first = ParseCache.load(ws.root, 'indexed');
    first.value(key, () => ['accented'], isList);
    first.save();
    expect(answers(ParseCache.load(ws.root, 'indexed'), [key])).toEqual({ values: [['accented']], computed: [] });
    rmSync(`${cacheFile(ws.root)}.index`);
    expect(answers(ParseCache.load(ws.root, 'indexed'), [key])).toEqual({ values: [['accented']], computed: [] });
  });

  it('never trusts an index: one of another generation, damaged or pointing elsewhere costs a scan or a miss, never a wrong entry', () => {
    ws = createFixtureWorkspace({ 'nx.json': '{}' });
    const keys = Array.from({ length: 200 }, (_, index) => `k${index}`);
    const write = () => {
      const cache = ParseCache.load(ws!.root, 'indexed');
      keys.forEach((key, index) => cache.value(key, () => valueOf(index), isList));
      cache.save();
    };
    write();
    const file = cacheFile(ws.root);
    const index = readFileSync(`${file}.index`);
    const expected = { values: keys.map((_, index) => valueOf(index)), computed: [] };

    // Damaged or cut short: not used, the cache is scanned.
    writeFileSync(`${file}.index`, index.subarray(0, index.length - 5));
    expect(scanned(ParseCache.load(ws.root, 'indexed'))).toBe(200);
    expect(answers(ParseCache.load(ws.root, 'indexed'), keys)).toEqual(expected);
    writeFileSync(`${file}.index`, Buffer.alloc(index.length, 7));
    expect(answers(ParseCache.load(ws.root, 'indexed'), keys)).toEqual(expected);

    // Of another cache file (a rewrite made a new generation): not used either.
    writeFileSync(`${file}.index`, index);
    rmSync(file);
    write();
    expect(readFileSync(`${file}.index`).equals(index)).toBe(false);
    const fresh = readFileSync(`${file}.index`);
    writeFileSync(`${file}.index`, index);
    expect(scanned(ParseCache.load(ws.root, 'indexed'))).toBe(200);
    expect(answers(ParseCache.load(ws.root, 'indexed'), keys)).toEqual(expected);

    // Pointing elsewhere (the same generation, the lines moved: two lines swapped in place): a
    // line is used only under its own key, so the two moved entries are computed again.
    writeFileSync(`${file}.index`, fresh);
    const lines = readFileSync(file, 'utf8').split('\n');
    const [a, b] = [
      lines.findIndex((line) => line.startsWith('k10\t')),
      lines.findIndex((line) => line.startsWith('k11\t')),
    ];
    [lines[a], lines[b]] = [lines[b], lines[a]];
    writeFileSync(file, lines.join('\n'));
    const moved = answers(ParseCache.load(ws.root, 'indexed'), keys);
    expect(moved.values).toEqual(
      keys.map((key, index) => (key === 'k10' || key === 'k11' ? ['computed'] : valueOf(index))),
    );
    expect(moved.computed.sort()).toEqual(['k10', 'k11']);
  });
});

describe('remembered emits (symbol precision)', () => {
  it('each file version is emitted once: a later run answers from the cache, a damaged entry is emitted again', async () => {
    ws = createShopFixture();
    const base = git(ws.root, 'rev-parse', 'HEAD');
    ws.commit('change pad', { 'libs/util/src/pad.ts': 'export const pad = (text: string) => `<${text}>`;\n' });
    const headBlob = git(ws.root, 'rev-parse', 'HEAD:libs/util/src/pad.ts');
    const baseBlob = git(ws.root, 'rev-parse', `${base}:libs/util/src/pad.ts`);
    const dataDir = join(ws.root, '.nx', 'workspace-data', 'nx-lockstep');
    const cacheFile = join(dataDir, 'parse-cache-git.cache');
    const webReasons = async () => {
      rmSync(join(dataDir, 'results.cache'), { force: true });
      const result = await analyzeAffected({ workspaceRoot: ws!.root, base, precision: 'symbol' });
      return result.deployables
        .find((decision) => decision.project === 'web')!
        .reasons.map((reason) => ('declarations' in reason ? reason.declarations : reason.kind));
    };
    expect(await webReasons()).toEqual([['pad']]);

    // Both versions of pad.ts were emitted and remembered by blob id.
    const lines = () => readFileSync(cacheFile, 'utf8').split('\n');
    const emitLine = (blob: string) => lines().find((line) => line.startsWith(`emit:${blob}:`))!;
    expect(emitLine(headBlob)).toBeDefined();
    expect(emitLine(baseBlob)).toBeDefined();

    // Remember the base's emit for the head version too (with a valid checksum): a run that
    // trusts the cache now sees no runtime change, which proves it emitted nothing itself.
    const json = emitLine(baseBlob).split('\t')[2];
    const checksum = createHash('sha1').update(json).digest('hex').slice(0, 16);
    const headKey = emitLine(headBlob).split('\t')[0];
    writeFileSync(
      cacheFile,
      lines()
        .map((line) => (line.startsWith(`${headKey}\t`) ? `${headKey}\t${checksum}\t${json}` : line))
        .join('\n'),
    );
    expect(await webReasons()).toEqual([]);

    // A damaged entry (its checksum no longer matches) is never trusted: emitted again, the change is found.
    writeFileSync(
      cacheFile,
      lines()
        .map((line) => (line.startsWith(`${headKey}\t`) ? `${headKey}\t0000000000000000\t${json}` : line))
        .join('\n'),
    );
    expect(await webReasons()).toEqual([['pad']]);
  });
});

describe('remembered resolved imports', () => {
  it('a commit that only edits files resolves only those; adding a file is a new resolution context, which resolves only what changed', async () => {
    ws = createShopFixture();
    const first = git(ws.root, 'rev-parse', 'HEAD');
    const cacheFile = join(ws.root, '.nx', 'workspace-data', 'nx-lockstep', 'parse-cache-git.cache');
    const edgeLines = () =>
      readFileSync(cacheFile, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('edges:'));
    const contexts = () => new Set(edgeLines().map((line) => line.split('\t')[0].split(':')[2]));
    await analyzeAffected({ workspaceRoot: ws.root, base: first, precision: 'file' });
    const before = edgeLines().length;
    expect(before).toBeGreaterThan(3);
    expect(contexts().size).toBe(1);

    ws.commit('edit pad', { 'libs/util/src/pad.ts': 'export const pad = (text: string) => `(${text})`;\n' });
    const result = await analyzeAffected({ workspaceRoot: ws.root, base: first, precision: 'file' });
    expect(result.deployables.filter((decision) => decision.affected).map((decision) => decision.project)).toEqual([
      'api',
      'web',
    ]);
    // One new line: the edited file's new version; every other file's imports were remembered.
    expect(edgeLines().length).toBe(before + 1);
    expect(contexts().size).toBe(1);

    const graphKey = () =>
      (
        readFramed(join(ws!.root, '.nx', 'workspace-data', 'nx-lockstep', 'import-graph.cache'))?.header as {
          key: string;
        }
      ).key;
    const keyBefore = graphKey();
    ws.commit('add a file', { 'libs/util/src/extra.ts': 'export const extra = 1;\n' });
    await analyzeAffected({ workspaceRoot: ws.root, base: first, precision: 'file' });
    // A new file list is a new resolution context: the stored import graph is written under it,
    // and the files whose imports still resolve as they did come from it, not resolved again.
    expect(graphKey()).not.toBe(keyBefore);
    expect(edgeLines().length).toBe(before + 1);
    ws.commit('use it', {
      'libs/util/src/index.ts':
        "export { log } from './log';\nexport { pad } from './pad';\nexport { extra } from './extra';\n",
    });
    await analyzeAffected({ workspaceRoot: ws.root, base: first, precision: 'file' });
    // The edited file is resolved under the new context.
    expect(contexts().size).toBe(2);
  });
});

describe('an unreadable file version', () => {
  it('counts as a whole-file change, never as unchanged (a blob missing from git, as in a partial clone)', async () => {
    ws = createShopFixture();
    const base = ws.commit('pad v1', { 'libs/util/src/pad.ts': 'export const pad = (text: string) => `[${text}]`;\n' });
    ws.commit('pad v2', { 'libs/util/src/pad.ts': 'export const pad = (text: string) => `{${text}}`;\n' });
    // The base version exists only in git's object store (the working tree holds v2): remove it.
    const blob = git(ws.root, 'rev-parse', `${base}:libs/util/src/pad.ts`);
    rmSync(join(ws.root, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
    expect(() => git(ws!.root, 'cat-file', '-e', blob)).toThrow();

    const result = await analyzeAffected({ workspaceRoot: ws.root, base, precision: 'symbol' });
    const web = result.deployables.find((decision) => decision.project === 'web')!;
    expect(web.affected).toBe(true);
    expect(web.reasons).toEqual([
      {
        kind: 'imported-file-changed',
        file: 'libs/util/src/pad.ts',
        via: ['apps/web/src/main.ts', 'libs/util/src/index.ts', 'libs/util/src/pad.ts'],
      },
    ]);
  });
});
