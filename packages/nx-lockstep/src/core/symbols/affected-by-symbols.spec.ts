import { describe, expect, it } from 'vitest';
import {
  changesBetween,
  hitsFor,
  inMemoryResolver,
  inMemoryWorkspace,
  type Files,
} from './__fixtures__/in-memory-workspace';
import { MODULE_LOAD } from './changed-declarations';
import { affectedBySymbols } from './affected-by-symbols';
import { reachSymbols } from './symbol-reach';
import { resolverFromGraph } from './resolver-from-graph';
import { createImportGraph } from '../graph/import-graph';

/** Two deployables sharing one library through its barrel. */
const base: Files = {
  'apps/orders/src/main.ts': `import { formatPrice } from '../../../libs/shared/src/index';\nconsole.log(formatPrice(1));\n`,
  'apps/users/src/main.ts': `import { formatName } from '../../../libs/shared/src/index';\nconsole.log(formatName('a'));\n`,
  'libs/shared/src/index.ts': `export * from './lib/price';\nexport * from './lib/name';\n`,
  'libs/shared/src/lib/price.ts': `import { round } from './math';\n/** Formats a price. */\nexport function formatPrice(value: number): string {\n  return round(value).toFixed(2);\n}\n`,
  'libs/shared/src/lib/name.ts': `export interface Named { name: string }\nexport function formatName(name: string): string {\n  return name.trim();\n}\n`,
  'libs/shared/src/lib/math.ts': `export const round = (n: number) => Math.round(n);\nexport const floor = (n: number) => Math.floor(n);\n`,
  'libs/shared/src/lib/polyfill.ts': `(globalThis as any).patched = true;\n`,
  'libs/shared/src/lib/pure.ts': `export const nothing = 0;\n`,
  'libs/shared/src/lib/name.spec.ts': `import { formatName } from './name';\nformatName(' x ');\n`,
};
const ORDERS = ['apps/orders/src/main.ts'];
const USERS = ['apps/users/src/main.ts'];
const edit = (file: string, from: string, to: string): Files => {
  if (!base[file].includes(from)) throw new Error(`fixture edit: ${from} not in ${file}`);
  return { ...base, [file]: base[file].replace(from, to) };
};

describe('affectedBySymbols', () => {
  it('affects only the deployable that uses the changed declaration, with the chain to it', () => {
    const head = edit('libs/shared/src/lib/math.ts', 'Math.round(n)', 'Math.round(n * 100) / 100');
    expect(hitsFor(base, head, ORDERS)).toEqual([
      {
        file: 'libs/shared/src/lib/math.ts',
        declarations: ['round'],
        chain: [
          'apps/orders/src/main.ts',
          'libs/shared/src/index.ts',
          'libs/shared/src/lib/price.ts',
          'libs/shared/src/lib/math.ts',
        ],
      },
    ]);
    expect(hitsFor(base, head, USERS)).toEqual([]);
  });

  it('ignores a change to a declaration nobody reaches', () => {
    const head = edit('libs/shared/src/lib/math.ts', 'Math.floor(n)', 'Math.floor(n + 0.5)');
    expect(hitsFor(base, head, ORDERS)).toEqual([]);
    expect(hitsFor(base, head, USERS)).toEqual([]);
  });

  it('ignores comment, formatting and type-only edits', () => {
    let head = edit('libs/shared/src/lib/price.ts', '/** Formats a price. */', '// Formats a price with two decimals.');
    head = {
      ...head,
      'libs/shared/src/lib/name.ts': head['libs/shared/src/lib/name.ts']
        .replace('{ name: string }', '{ name: string; title?: string }')
        .replace('(name: string): string', '(name: string | String): string'),
    };
    expect(hitsFor(base, head, ORDERS)).toEqual([]);
    expect(hitsFor(base, head, USERS)).toEqual([]);
  });

  it('never ships a test file', () => {
    const head = edit('libs/shared/src/lib/name.spec.ts', "' x '", "' y '");
    expect(hitsFor(base, head, USERS)).toEqual([]);
  });

  it('affects every loader of a module whose side effects changed', () => {
    const head = edit(
      'libs/shared/src/lib/name.ts',
      'export interface',
      "console.log('names loaded');\nexport interface",
    );
    expect(hitsFor(base, head, ORDERS).map((hit) => [hit.file, hit.declarations])).toEqual([
      ['libs/shared/src/lib/name.ts', ['#0']],
    ]);
    expect(hitsFor(base, head, USERS).map((hit) => hit.file)).toEqual(['libs/shared/src/lib/name.ts']);
    const removed = hitsFor(head, base, ORDERS);
    expect(removed.map((hit) => hit.declarations)).toEqual([[MODULE_LOAD]]);
  });

  it('counts a newly loaded module only when loading it has side effects', () => {
    const withPolyfill = edit(
      'libs/shared/src/lib/price.ts',
      `import { round }`,
      `import './polyfill';\nimport { round }`,
    );
    expect(hitsFor(base, withPolyfill, ORDERS).map((hit) => hit.declarations)).toEqual([['load:./polyfill']]);
    const withPure = edit('libs/shared/src/lib/price.ts', `import { round }`, `import './pure';\nimport { round }`);
    expect(hitsFor(base, withPure, ORDERS)).toEqual([]);
  });

  it('counts a new or deleted file that a deployable reaches', () => {
    const head = {
      ...edit('libs/shared/src/lib/name.ts', 'return name.trim();', 'return titleCase(name.trim());'),
      'libs/shared/src/lib/name.ts': base['libs/shared/src/lib/name.ts']
        .replace('return name.trim();', 'return titleCase(name.trim());')
        .replace('export interface', "import { titleCase } from './title-case';\nexport interface"),
      'libs/shared/src/lib/title-case.ts': `export const titleCase = (s: string) => s[0].toUpperCase() + s.slice(1);\n`,
    };
    const hits = hitsFor(base, head, USERS);
    expect(hits.map((hit) => [hit.file, hit.declarations])).toEqual([
      // title-case.ts ships code (titleCase) where name.ts now loads it: the evaluation order counts too.
      ['libs/shared/src/lib/name.ts', ['formatName', 'load:./title-case']],
      ['libs/shared/src/lib/title-case.ts', []],
    ]);
    expect(hits[1]).toMatchObject({ detail: 'libs/shared/src/lib/title-case.ts is new' });
    expect(hitsFor(base, head, ORDERS)).toEqual([]);
  });

  it('affects the importer when a barrel stops providing a name', () => {
    const head = { ...base, 'libs/shared/src/index.ts': `export * from './lib/price';\n` };
    // users asks the barrel for formatName, which it no longer has: the barrel is taken whole.
    expect(hitsFor(base, head, USERS).map((hit) => [hit.file, hit.declarations])).toEqual([
      ['libs/shared/src/index.ts', [MODULE_LOAD]],
    ]);
  });

  it('judges a load removed since the base through the import graph and the resolver', () => {
    const withLoads = edit(
      'libs/shared/src/lib/price.ts',
      `import { round }`,
      `import './pure';\nimport './polyfill';\nimport { round }`,
    );
    const head = {
      ...withLoads,
      'libs/shared/src/lib/price.ts': withLoads['libs/shared/src/lib/price.ts'].replace(`import './pure';\n`, ''),
    };
    const workspace = inMemoryWorkspace(head);
    const resolve = inMemoryResolver(head);
    const graph = createImportGraph(workspace.summaries, resolve);
    const reachWith = (resolve: ReturnType<typeof resolverFromGraph>) =>
      reachSymbols({ entries: ORDERS, summaries: workspace.summaries, resolve });
    const changed = changesBetween(withLoads, head);
    expect(changed.get('libs/shared/src/lib/price.ts')).toEqual({ kind: 'declarations', ids: [], loads: ['./pure'] });
    // './pure' has no side effects: dropping it changes nothing at runtime.
    expect(affectedBySymbols(reachWith(resolverFromGraph(graph, resolve)), changed)).toEqual([]);
    // Without a resolver the removed specifier cannot be judged: it counts (safe).
    expect(affectedBySymbols(reachWith(resolverFromGraph(graph)), changed).map((hit) => hit.declarations)).toEqual([
      ['load:./pure'],
    ]);
    // Dropping the polyfill does change what runs.
    const noPolyfill = {
      ...withLoads,
      'libs/shared/src/lib/price.ts': withLoads['libs/shared/src/lib/price.ts'].replace(`import './polyfill';\n`, ''),
    };
    expect(hitsFor(withLoads, noPolyfill, ORDERS).map((hit) => hit.declarations)).toEqual([['load:./polyfill']]);
  });

  it('counts a workspace package.json only where it decides resolution, unless its JSON is imported', () => {
    const files: Files = {
      'apps/shop/src/main.ts': `import { money } from '@shop/money';\nconsole.log(money(1));\n`,
      'apps/admin/src/main.ts': `import pkg from '../../../libs/money/package.json';\nconsole.log(pkg.version);\n`,
      'libs/money/package.json': JSON.stringify({ name: '@shop/money', version: '1.0.0', main: './src/index.ts' }),
      'libs/money/src/index.ts': `export const money = (n: number) => n.toFixed(2);\n`,
      'libs/money/src/next.ts': `export const money = (n: number) => n.toFixed(3);\n`,
    };
    const bump = {
      ...files,
      'libs/money/package.json': JSON.stringify(
        { name: '@shop/money', version: '1.1.0', main: './src/index.ts' },
        null,
        2,
      ),
    };
    expect(hitsFor(files, bump, ['apps/shop/src/main.ts'])).toEqual([]);
    expect(hitsFor(files, bump, ['apps/admin/src/main.ts']).map((hit) => [hit.file, hit.declarations])).toEqual([
      ['libs/money/package.json', ['version']],
    ]);
    const reformatted = {
      ...files,
      'libs/money/package.json': JSON.stringify(JSON.parse(files['libs/money/package.json']), null, 4),
    };
    expect(hitsFor(files, reformatted, ['apps/admin/src/main.ts'])).toEqual([]);
    const repointed = {
      ...files,
      'libs/money/package.json': JSON.stringify({ name: '@shop/money', version: '1.0.0', main: './src/next.ts' }),
    };
    expect(
      hitsFor(files, repointed, ['apps/shop/src/main.ts']).map((hit) => [hit.file, hit.declarations, hit.chain]),
    ).toEqual([['libs/money/package.json', ['#resolution'], ['apps/shop/src/main.ts', 'libs/money/package.json']]]);
  });

  it('counts a new import of a module with side effects even when it is loaded elsewhere (evaluation order), and a new package import', () => {
    const loaded = {
      ...base,
      'apps/orders/src/main.ts': `${base['apps/orders/src/main.ts']}import '../../../libs/shared/src/lib/polyfill';\n`,
    };
    const alsoInPrice = {
      ...loaded,
      'libs/shared/src/lib/price.ts': `import './polyfill';\n${loaded['libs/shared/src/lib/price.ts']}`,
    };
    expect(hitsFor(loaded, alsoInPrice, ORDERS).map((hit) => hit.declarations)).toEqual([['load:./polyfill']]);
    const withZone = {
      ...base,
      'libs/shared/src/lib/price.ts': `import 'zone.js';\n${base['libs/shared/src/lib/price.ts']}`,
    };
    expect(hitsFor(base, withZone, ORDERS).map((hit) => hit.declarations)).toEqual([['load:zone.js']]);
    const withNodeFs = {
      ...base,
      'libs/shared/src/lib/price.ts': `import 'node:fs';\n${base['libs/shared/src/lib/price.ts']}`,
    };
    expect(hitsFor(base, withNodeFs, ORDERS)).toEqual([]);
  });

  it('counts a new import that moves code the deployable keeps in the evaluation order (oracle seed 21)', () => {
    // esbuild truth: `var PART=75;…function util…` becomes `function util…var PART=75;…` — the
    // module evaluation order changed although `extra` (the new import's only user) is unused.
    const files: Files = {
      'apps/app1/src/main.ts': `import { part } from './part';\nimport { util } from './util';\nconsole.log(part(1), util(2));\n`,
      'apps/app1/src/part.ts': `import { base } from './base';\nexport const PART = 75;\nexport function part(n: number) { return n + PART + base; }\n`,
      'apps/app1/src/util.ts': `export const UTIL = 3;\nexport function util(n: number) { return n * UTIL; }\nexport function spare(n: number) { return n; }\n`,
      'apps/app1/src/spare.ts': `export function spare(n: number) { return n; }\n`,
      'apps/app1/src/base.ts': `export const base = 1;\n`,
      'apps/app2/src/main.ts': `import { part } from '../../app1/src/part';\nconsole.log(part(3));\n`,
    };
    const withUtil = {
      ...files,
      'apps/app1/src/part.ts': `import { base } from './base';\nimport { util } from './util';\n${files['apps/app1/src/part.ts'].split('\n').slice(1).join('\n')}export function extra(n: number) { return util(n); }\n`,
    };
    expect(changesBetween(files, withUtil).get('apps/app1/src/part.ts')).toEqual({
      kind: 'declarations',
      ids: ['extra'],
      exports: ['extra'],
      loads: ['./util'],
    });
    expect(hitsFor(files, withUtil, ['apps/app1/src/main.ts']).map((hit) => [hit.file, hit.declarations])).toEqual([
      ['apps/app1/src/part.ts', ['load:./util']],
    ]);
    // app2 keeps nothing of util.ts and util.ts runs nothing on load: its bundle is the same.
    expect(hitsFor(files, withUtil, ['apps/app2/src/main.ts'])).toEqual([]);
    // The same import removed again counts too, and so does a reordering of the imports.
    expect(hitsFor(withUtil, files, ['apps/app1/src/main.ts']).map((hit) => hit.declarations)).toEqual([
      ['load:./util'],
    ]);
    const reordered = {
      ...withUtil,
      'apps/app1/src/part.ts': withUtil['apps/app1/src/part.ts'].replace(
        `import { base } from './base';\nimport { util } from './util';`,
        `import { util } from './util';\nimport { base } from './base';`,
      ),
    };
    expect(hitsFor(withUtil, reordered, ['apps/app2/src/main.ts']).map((hit) => hit.declarations)).toEqual([
      [MODULE_LOAD],
    ]);
    // A module that imports nothing yet: its first import changes how bundlers compile its constants.
    const spareFirst = {
      ...files,
      'apps/app1/src/util.ts': `import { spare as other } from './spare';\n${files['apps/app1/src/util.ts'].replace('return n; }', 'return other(n); }')}`,
    };
    expect(hitsFor(files, spareFirst, ['apps/app1/src/main.ts']).map((hit) => hit.declarations)).toEqual([['UTIL']]);
    expect(hitsFor(files, spareFirst, ['apps/app2/src/main.ts'])).toEqual([]);
  });

  it('counts a new import of a side-effect-free module that is also loaded lazily (bundlers initialise it where first imported)', () => {
    const lazyBase = {
      ...base,
      'apps/users/src/main.ts': `${base['apps/users/src/main.ts']}export const later = () => import('../../../libs/shared/src/lib/pure');\n`,
    };
    const eager = {
      ...lazyBase,
      'apps/users/src/main.ts': `import '../../../libs/shared/src/lib/pure';\n${lazyBase['apps/users/src/main.ts']}`,
    };
    expect(hitsFor(lazyBase, eager, USERS).map((hit) => hit.declarations)).toEqual([
      ['load:../../../libs/shared/src/lib/pure'],
    ]);
    // A lazy import() in a loaded file counts even inside a function the deployable never calls.
    const lazyInName = {
      ...base,
      'libs/shared/src/lib/name.ts': `${base['libs/shared/src/lib/name.ts']}export const unusedLater = () => import('./pure');\n`,
    };
    const eagerOrdersLazy = {
      ...lazyInName,
      'apps/orders/src/main.ts': `import '../../../libs/shared/src/lib/pure';\n${base['apps/orders/src/main.ts']}`,
    };
    expect(hitsFor(lazyInName, eagerOrdersLazy, ORDERS).map((hit) => hit.declarations)).toEqual([
      ['load:../../../libs/shared/src/lib/pure'],
    ]);
    // …and so does a new import of a module that only loads the lazily initialised one.
    const viaBridge = {
      ...lazyInName,
      'libs/shared/src/lib/bridge.ts': `import './pure';\nexport const bridge = 1;\n`,
    };
    const eagerBridge = {
      ...viaBridge,
      'apps/orders/src/main.ts': `import '../../../libs/shared/src/lib/bridge';\n${base['apps/orders/src/main.ts']}`,
    };
    expect(hitsFor(viaBridge, eagerBridge, ORDERS).map((hit) => hit.declarations)).toEqual([
      ['load:../../../libs/shared/src/lib/bridge'],
    ]);
    // The same import in a deployable that never loads it lazily changes nothing.
    const eagerOrders = {
      ...base,
      'apps/orders/src/main.ts': `import '../../../libs/shared/src/lib/pure';\n${base['apps/orders/src/main.ts']}`,
    };
    expect(hitsFor(base, eagerOrders, ORDERS)).toEqual([]);
  });
  it('ignores a new import of a module the only importer (a barrel) always loads first (bench seed 7, commit 10)', () => {
    // esbuild truth (benchmark history, commit 10): l404-f5.ts gains `import { L404_F3_C0 } from
    // './l404-f3'` for an export nobody uses; the barrel re-exports l404-f3 before l404-f5, so
    // l404-f3 has run before l404-f5 starts loading and no deployable's bundle changed.
    const files: Files = {
      'apps/app1/src/main.ts': `import { late, early } from '../../../libs/lib1/src/index';\nconsole.log(late(1), early(2));\n`,
      'libs/lib1/src/index.ts': `export { EARLY_C, early } from './lib/early';\nexport * from './lib/late';\n`,
      'libs/lib1/src/lib/early.ts': `export const EARLY_C = 7;\nexport function early(n: number) { return n + EARLY_C; }\n`,
      'libs/lib1/src/lib/late.ts': `import { UNIT } from './unit';\nexport const LATE_C = 3;\nexport function late(n: number) { return n * LATE_C * UNIT; }\n`,
      'libs/lib1/src/lib/unit.ts': `export const UNIT = 1;\n`,
    };
    const late = files['libs/lib1/src/lib/late.ts'];
    const withImport = {
      ...files,
      'libs/lib1/src/lib/late.ts': `import { EARLY_C } from './early';\n${late}export function extra(n: number) { return n + EARLY_C; }\n`,
    };
    const APP1 = ['apps/app1/src/main.ts'];
    expect(changesBetween(files, withImport).get('libs/lib1/src/lib/late.ts')).toMatchObject({ loads: ['./early'] });
    expect(hitsFor(files, withImport, APP1)).toEqual([]);
    // The import removed again: the same evaluation order.
    expect(hitsFor(withImport, files, APP1)).toEqual([]);
    // Still counted when the order is not certain: late.ts loaded before early.ts by the barrel
    // (esbuild: `var LATE_C=3;…function early…` becomes `function early…var LATE_C=3;…`)…
    const lateFirst = (version: Files): Files => ({
      ...version,
      'libs/lib1/src/index.ts': `export * from './lib/late';\nexport { EARLY_C, early } from './lib/early';\n`,
    });
    expect(hitsFor(lateFirst(files), lateFirst(withImport), APP1).map((hit) => hit.declarations)).toEqual([
      ['load:./early'],
    ]);
    // …late.ts loaded by a second module (here the entry itself, first)…
    const direct = (version: Files): Files => ({
      ...version,
      'apps/app1/src/main.ts': `import { LATE_C } from '../../../libs/lib1/src/lib/late';\n${version['apps/app1/src/main.ts']}console.log(LATE_C);\n`,
    });
    expect(hitsFor(direct(files), direct(withImport), APP1).map((hit) => hit.declarations)).toEqual([['load:./early']]);
    // …the barrel loading early.ts by an import TypeScript may elide…
    const plainImport = (version: Files): Files => ({
      ...version,
      'libs/lib1/src/index.ts': `import { EARLY_C } from './lib/early';\nexport * from './lib/late';\nexport const early = (n: number) => n + EARLY_C;\n`,
    });
    expect(hitsFor(plainImport(files), plainImport(withImport), APP1).map((hit) => hit.declarations)).toEqual([
      ['load:./early'],
    ]);
    // …or another loaded module's imports changing in the same commit (the barrel's order may be new).
    const barrelToo = {
      ...withImport,
      'libs/lib1/src/index.ts': `${files['libs/lib1/src/index.ts']}import './lib/early';\n`,
    };
    expect(hitsFor(files, barrelToo, APP1).some((hit) => hit.declarations.includes('load:./early'))).toBe(true);
  });
});
