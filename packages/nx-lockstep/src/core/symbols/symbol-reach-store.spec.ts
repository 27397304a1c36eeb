import { describe, expect, it } from 'vitest';
import { affectedBySymbols } from './affected-by-symbols';
import {
  DamagedStepGraph,
  reachSymbols,
  recordFits,
  storeStepGraph,
  type StepGraphStore,
  type StoredStepGraph,
  type SymbolReach,
} from './symbol-reach';
import { changesBetween, inMemoryWorkspace, type Files } from './__fixtures__/in-memory-workspace';

/** The step graph a run over `files` stores after reaching every deployable. */
function storedAfter(files: Files, deployables: string[][]): StoredStepGraph {
  const { summaries, resolve } = inMemoryWorkspace(files);
  let saved: StoredStepGraph | undefined;
  const store: StepGraphStore = {
    load: () => undefined,
    save: (write) => {
      const chunks: number[] = [];
      const tables = write((chunk) => chunks.push(...chunk));
      saved = { ...tables, data: Int32Array.from(chunks) };
    },
  };
  for (const entries of deployables) reachSymbols({ entries, summaries, resolve, store });
  expect(storeStepGraph(resolve, false, store)).toBe(true);
  return saved!;
}

/** Everything a reach answers, in a comparable form. */
function described(reach: SymbolReach) {
  return {
    files: [...reach.files]
      .map(([file, { whole, declarations, exports }]) => [file, whole, [...declarations].sort(), [...exports].sort()])
      .sort(),
    externals: [...reach.externals].sort(),
    uncertain: reach.uncertain,
    chains: [...reach.files.keys()].sort().map((file) => reach.stepsTo(file)),
  };
}

/** A reach at head taken over from the graph stored at base, and one worked out from nothing. */
function bothWays(base: Files, head: Files, entries: string[], stored = storedAfter(base, [entries])) {
  const { summaries, resolve } = inMemoryWorkspace(head);
  let seeded = 0;
  const store: StepGraphStore = {
    load: () => ({
      graph: stored,
      changed: (file) => {
        seeded++;
        return base[file] !== head[file];
      },
    }),
    save: () => undefined,
  };
  const fromStore = reachSymbols({ entries, summaries, resolve, store });
  expect(seeded).toBeGreaterThan(0);
  const fresh = inMemoryWorkspace(head).reach(...entries);
  const changed = changesBetween(base, head);
  return {
    fromStore: { ...described(fromStore), hits: affectedBySymbols(fromStore, changed) },
    fresh: { ...described(fresh), hits: affectedBySymbols(fresh, changed) },
  };
}

const base: Files = {
  'apps/a/main.ts': `import { used, moved } from '../../libs/hub/index';\nimport './side';\nconsole.log(used(1), moved());\n`,
  'apps/a/side.ts': `const name = require(process.env.X as string);\nimport('left-pad');\nexport const s = name;\n`,
  'libs/hub/index.ts': `export * from './lib/util';\nexport * from './lib/more';\n`,
  'libs/hub/lib/util.ts': `import chalk from 'chalk';\nexport function used(n: number) { return chalk.red(String(n * 2)); }\nexport function moved() { return 1; }\n`,
  'libs/hub/lib/more.ts': `export function more() { return 2; }\n`,
};
const APP = ['apps/a/main.ts'];

describe('the stored step graph (SymbolReachInput.store)', () => {
  it('stores steps with their effects: externals and uncertain notes too', () => {
    const stored = storedAfter(base, [APP]);
    expect(stored.files).toContain('libs/hub/lib/util.ts');
    expect(stored.names).toContain('chalk');
    expect(stored.notes.some((note) => note.includes('loads modules the analysis cannot follow'))).toBe(true);
  });

  it('answers as a fresh walk when nothing changed, and when a function body changed', () => {
    const same = bothWays(base, base, APP);
    expect(same.fromStore).toEqual(same.fresh);
    const head = { ...base, 'libs/hub/lib/util.ts': base['libs/hub/lib/util.ts'].replace('n * 2', 'n * 3') };
    const { fromStore, fresh } = bothWays(base, head, APP);
    expect(fromStore).toEqual(fresh);
    expect(fromStore.hits.map((hit) => hit.file)).toEqual(['libs/hub/lib/util.ts']);
  });

  it('works out again an export found through `export *` when a file the stars lead to changed', () => {
    // `moved` moves from util.ts to more.ts: index.ts is unchanged, but its step for `moved` led
    // to util.ts and must now lead to more.ts.
    const head = {
      ...base,
      'libs/hub/lib/util.ts': base['libs/hub/lib/util.ts'].replace('export function moved() { return 1; }\n', ''),
      'libs/hub/lib/more.ts': `${base['libs/hub/lib/more.ts']}export function moved() { return 3; }\n`,
    };
    const { fromStore, fresh } = bothWays(base, head, APP);
    expect(fromStore).toEqual(fresh);
    expect(fromStore.hits.map((hit) => hit.file)).toContain('libs/hub/lib/more.ts');
  });

  it('works out again the steps of a file that changed its imports and side effects', () => {
    const head = {
      ...base,
      'apps/a/side.ts': `import { more } from '../../libs/hub/lib/more';\nexport const s = more();\nconsole.log(s);\n`,
    };
    const { fromStore, fresh } = bothWays(base, head, APP);
    expect(fromStore).toEqual(fresh);
    expect(fromStore.uncertain).toEqual([]);
  });

  it('takes a graph stored by another deployable, and adds the steps it lacks', () => {
    const other = ['apps/a/side.ts'];
    const { fromStore, fresh } = bothWays(base, base, APP, storedAfter(base, [other]));
    expect(fromStore).toEqual(fresh);
  });

  it('takes nothing from a graph whose record index does not fit: cut short, a start out of order, a file outside its table', () => {
    const stored = storedAfter(base, [APP]);
    const fresh = described(inMemoryWorkspace(base).reach(...APP));
    const records = stored.data.length - (2 * stored.steps + 1);
    const damages: Array<(data: Int32Array) => Int32Array> = [
      (data) => data.subarray(0, data.length - 1),
      (data) => Int32Array.from(data, (value, index) => (index === records + 1 ? value + 100 : value)),
      (data) => Int32Array.from(data, (value, index) => (index === data.length - 1 ? stored.files.length : value)),
    ];
    for (const damage of damages) {
      const { summaries, resolve } = inMemoryWorkspace(base);
      let asked = 0;
      const store: StepGraphStore = {
        load: () => ({ graph: { ...stored, data: damage(stored.data) }, changed: () => (asked++, false) }),
        save: () => undefined,
      };
      expect(described(reachSymbols({ entries: APP, summaries, resolve, store }))).toEqual(fresh);
      expect(asked).toBe(0);
    }
  });

  it('throws DamagedStepGraph when a record it reads does not fit: an index outside its table, a count past the record', () => {
    const stored = storedAfter(base, [APP]);
    const recordAt = (id: number) => stored.data[stored.data.length - 2 * stored.steps - 1 + id];
    // Every record damaged the same way: whichever the walk reads first is caught.
    const damages: Array<(data: Int32Array, at: number) => void> = [
      (data, at) => (data[at + 1] = stored.files.length),
      (data, at) => (data[at + 2] = stored.names.length + 5),
      (data, at) => data[at + 4] === 1 && (data[at + 8] = 1_000_000), // a next-step count
    ];
    for (const damage of damages) {
      const data = Int32Array.from(stored.data);
      for (let id = 0; id < stored.steps; id++) damage(data, recordAt(id));
      const { summaries, resolve } = inMemoryWorkspace(base);
      const store: StepGraphStore = {
        load: () => ({ graph: { ...stored, data }, changed: () => false }),
        save: () => undefined,
      };
      expect(() => reachSymbols({ entries: APP, summaries, resolve, store })).toThrow(DamagedStepGraph);
    }
  });

  it('checks every number of a record: any one of them out of its range makes the record not fit', () => {
    const stored = storedAfter(base, [APP, ['apps/a/side.ts']]);
    const records = stored.data.length - (2 * stored.steps + 1);
    const recordAt = stored.data.subarray(records, records + stored.steps + 1);
    const recordFile = stored.data.subarray(records + stored.steps + 1);
    const fits = (data: Int32Array, id: number) =>
      recordFits({ ...stored, data }, recordAt[id], recordAt[id + 1], recordFile[id], stored.steps);
    let withEffects = 0;
    let listed = 0;
    for (let id = 0; id < stored.steps; id++) {
      expect(fits(stored.data, id)).toBe(true);
      const at = recordAt[id];
      const hasEffects = stored.data[at + 4] === 1;
      if (hasEffects) withEffects++;
      // The record's own numbers, each changed alone; the flags (at + 5) are any bits.
      for (let place = at; place < recordAt[id + 1]; place++) {
        if (place === at + 5) continue;
        if (place >= at + 8) listed++;
        for (const wrong of [-2, 2 ** 31 - 1, -(2 ** 31)]) {
          const data = Int32Array.from(stored.data);
          data[place] = wrong;
          expect(fits(data, id), `step ${id}, number ${place - at} = ${wrong}`).toBe(false);
        }
      }
      // The first value past each table: a kind, a file, a name, a member.
      const past = [4, stored.files.length, stored.names.length, stored.names.length];
      for (const [offset, value] of past.entries()) {
        const data = Int32Array.from(stored.data);
        data[at + offset] = value;
        expect(fits(data, id), `step ${id}, number ${offset} = ${value}`).toBe(false);
      }
      // Another file than the index names, though within the table.
      const data = Int32Array.from(stored.data);
      data[at + 1] = (recordFile[id] + 1) % stored.files.length;
      if (stored.files.length > 1) expect(fits(data, id)).toBe(false);
    }
    // The graph has records with effects and lists, so every kind of number was tried.
    expect(withEffects).toBeGreaterThan(0);
    expect(listed).toBeGreaterThan(0);
  });

  it('reads records on demand: only the ranges a walk asks for, and a range that cannot be read is damage', () => {
    const stored = storedAfter(base, [APP, ['apps/a/side.ts']]);
    const records = stored.data.length - (2 * stored.steps + 1);
    const read = new Uint8Array(stored.data.length);
    const lazy = (readable: boolean): StepGraphStore => ({
      load: () => ({
        graph: {
          ...stored,
          load: (from, to) => {
            read.fill(1, from, to);
            return readable || from >= records; // the index reads; the records do not
          },
        },
        changed: () => false,
      }),
      save: () => undefined,
    });
    const { summaries, resolve } = inMemoryWorkspace(base);
    const side = ['apps/a/side.ts'];
    expect(described(reachSymbols({ entries: side, summaries, resolve, store: lazy(true) }))).toEqual(
      described(inMemoryWorkspace(base).reach(...side)),
    );
    const recordsRead = read.subarray(0, records).reduce((sum, value) => sum + value, 0);
    expect(recordsRead).toBeGreaterThan(0);
    expect(recordsRead).toBeLessThan(records);
    const other = inMemoryWorkspace(base);
    expect(() =>
      reachSymbols({ entries: APP, summaries: other.summaries, resolve: other.resolve, store: lazy(false) }),
    ).toThrow(DamagedStepGraph);
  });

  it('takes over a graph stored with 130,000 files (its file table was once spread as arguments: a stack overflow)', () => {
    const stored = storedAfter(base, [APP]);
    const files = [...stored.files];
    for (let index = 0; files.length < 130_000; index++) files.push(`libs/many/f${index}.ts`);
    const { summaries, resolve } = inMemoryWorkspace(base);
    let asked = 0;
    const store: StepGraphStore = {
      load: () => ({ graph: { ...stored, files }, changed: () => (asked++, false) }),
      save: () => undefined,
    };
    expect(described(reachSymbols({ entries: APP, summaries, resolve, store }))).toEqual(
      described(inMemoryWorkspace(base).reach(...APP)),
    );
    expect(asked).toBeGreaterThan(0);
  });

  it('is not written again when almost all of it was taken over', () => {
    const stored = storedAfter(base, [APP]);
    const { summaries, resolve } = inMemoryWorkspace(base);
    const store: StepGraphStore = { load: () => ({ graph: stored, changed: () => false }), save: () => undefined };
    reachSymbols({ entries: APP, summaries, resolve, store });
    expect(storeStepGraph(resolve, false, store)).toBe(false);
  });
});
