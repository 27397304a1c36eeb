import { describe, expect, it } from 'vitest';
import { affectedBySymbols } from './affected-by-symbols';
import type { ChangedDeclarations } from './changed-declarations';
import { reachSymbols, type SymbolsThatMatter } from './symbol-reach';
import { changesBetween, inMemoryWorkspace, type Files } from './__fixtures__/in-memory-workspace';

/** What of each changed file matters, as decide-affected.ts asks for it. */
function mattersOf(changed: ReadonlyMap<string, ChangedDeclarations>, entries: string[]): SymbolsThatMatter {
  return {
    of: (file) => {
      const change = changed.get(file);
      if (!change || change.kind === 'none') return undefined;
      if (change.kind === 'whole') return 'all';
      return { declarations: new Set(change.ids), exports: new Set(change.exports ?? []) };
    },
    entries,
  };
}

/** Hits and uncertainty of every deployable, walked whole and walked with `matters`, side by side. */
function bothWays(base: Files, head: Files, deployables: string[][]) {
  const changed = changesBetween(base, head);
  const { summaries, resolve } = inMemoryWorkspace(head);
  const within = new Set(Object.keys(head));
  const matters = mattersOf(changed, deployables.flat());
  return deployables.map((entries) => {
    const whole = reachSymbols({ entries, summaries, resolve, within });
    const narrow = reachSymbols({ entries, summaries, resolve, within, matters });
    return {
      whole: { hits: affectedBySymbols(whole, changed), uncertain: whole.uncertain, files: whole.files.size },
      narrow: { hits: affectedBySymbols(narrow, changed), uncertain: narrow.uncertain, files: narrow.files.size },
    };
  });
}

const base: Files = {
  'apps/a/main.ts': `import { used } from '../../libs/hub/index';\nimport { other } from '../../libs/dom/index';\nconsole.log(used(1), other());\n`,
  'apps/b/main.ts': `import { other } from '../../libs/dom/index';\nconsole.log(other());\n`,
  'apps/c/main.ts': `import * as hub from '../../libs/hub/index';\nexport async function run() { const lazy = await import('../../libs/hub/index'); return lazy.used(2) + hub.unused(); }\nrun();\n`,
  'libs/hub/index.ts': `export * from './lib/util';\nexport * from './lib/more';\n`,
  'libs/hub/lib/util.ts': `export function used(n: number) { return n * 2; }\nexport function unused() { return 1; }\nexport const named = 'x';\n`,
  'libs/hub/lib/more.ts': `import { named } from './util';\nexport function more() { return named; }\n`,
  'libs/dom/index.ts': `import { more } from '../hub/index';\nexport function other() { return more(); }\n`,
};
const deployables = [['apps/a/main.ts'], ['apps/b/main.ts'], ['apps/c/main.ts']];

describe('reachSymbols with `matters` (only steps that can reach a change)', () => {
  it('gives the same hits, chains and uncertainty as the whole walk, for a changed function body', () => {
    const head = { ...base, 'libs/hub/lib/util.ts': base['libs/hub/lib/util.ts'].replace('n * 2', 'n * 3') };
    const results = bothWays(base, head, deployables);
    for (const { whole, narrow } of results) {
      expect(narrow.hits).toEqual(whole.hits);
      expect(narrow.uncertain).toEqual(whole.uncertain);
    }
    // a and c use the changed function (c through a dynamic import, whole); b does not.
    expect(results.map(({ whole }) => whole.hits.length)).toEqual([1, 0, 1]);
    // and the narrow walk is narrower: b walks nothing, a less than everything it loads.
    expect(results[1].narrow.files).toBe(0);
    expect(results[0].narrow.files).toBeLessThan(results[0].whole.files);
  });

  it('gives the same chain when only an export changed (a chain the narrow walk takes from the whole one)', () => {
    const head = {
      ...base,
      'libs/hub/lib/util.ts': base['libs/hub/lib/util.ts'].replace(
        "export const named = 'x';",
        "const named = 'x';\nexport { unused as named };",
      ),
    };
    for (const { whole, narrow } of bothWays(base, head, deployables)) {
      expect(narrow.hits).toEqual(whole.hits);
      expect(narrow.uncertain).toEqual(whole.uncertain);
    }
  });

  it('gives the same hits for a file changed whole and keeps every uncertain spot with its chain', () => {
    const head = {
      ...base,
      'libs/hub/lib/more.ts': `import { named } from './util';\nexport function more() { return named + require(named); }\n`,
      'libs/hub/lib/util.ts': `export function used(n: number) { return n * 2 }}\n`,
    };
    const results = bothWays(base, head, deployables);
    for (const { whole, narrow } of results) {
      expect(narrow.hits).toEqual(whole.hits);
      expect(narrow.uncertain).toEqual(whole.uncertain);
    }
    expect(results.some(({ whole }) => whole.uncertain.length > 0)).toBe(true);
  });
});
