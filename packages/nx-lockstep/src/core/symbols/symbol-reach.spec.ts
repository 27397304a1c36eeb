import { describe, expect, it } from 'vitest';
import { reachSymbols } from './symbol-reach';
import { inMemoryWorkspace, reachedIn } from './__fixtures__/in-memory-workspace';
import type { ModuleSummary } from '../module-summary';

describe('reachSymbols', () => {
  it('follows a name through three barrels (export *, export { a as b } from) to its declaration only', () => {
    const reach = inMemoryWorkspace({
      'apps/api/src/main.ts': `import { greet } from '../../../libs/util/src/index';\nconsole.log(greet('x'));\n`,
      'libs/util/src/index.ts': `export * from './lib/level2';\nexport const version = '1';\n`,
      'libs/util/src/lib/level2.ts': `export { hello as greet, bye } from './level3';\n`,
      'libs/util/src/lib/level3.ts': [
        `import { shout } from './shout';`,
        `export function hello(name: string) { return shout(prefix + name); }`,
        `const prefix = 'hi ';`,
        `export function bye() { return 'bye'; }`,
      ].join('\n'),
      'libs/util/src/lib/shout.ts': `export const shout = (s: string) => s.toUpperCase();\nexport const whisper = (s: string) => s.toLowerCase();\n`,
    }).reach('apps/api/src/main.ts');

    expect(reachedIn(reach, 'apps/api/src/main.ts')).toBe('whole');
    expect(reachedIn(reach, 'libs/util/src/index.ts')).toEqual([]);
    expect(reachedIn(reach, 'libs/util/src/lib/level3.ts')).toEqual(['hello', 'prefix']);
    expect(reachedIn(reach, 'libs/util/src/lib/shout.ts')).toEqual(['shout']);
    expect(reach.chainTo('libs/util/src/lib/shout.ts', 'shout')).toEqual([
      'apps/api/src/main.ts',
      'libs/util/src/index.ts',
      'libs/util/src/lib/level2.ts',
      'libs/util/src/lib/level3.ts',
      'libs/util/src/lib/shout.ts',
    ]);
    expect(reach.stepsTo('libs/util/src/lib/level3.ts', 'hello')).toEqual([
      'apps/api/src/main.ts',
      'apps/api/src/main.ts##1',
      'libs/util/src/index.ts>greet',
      'libs/util/src/lib/level2.ts>greet',
      'libs/util/src/lib/level3.ts>hello',
      'libs/util/src/lib/level3.ts#hello',
    ]);
    expect(reach.uncertain).toEqual([]);
  });

  it('takes the whole module for `export * as ns from` used through the namespace (no member information)', () => {
    const reach = inMemoryWorkspace(
      {
        'main.ts': `import { math } from './barrel';\nmath.add(1, 2);\n`,
        'barrel.ts': `export * as math from './math';\n`,
        'math.ts': `export const add = (a: number, b: number) => a + b;\nexport const sub = (a: number, b: number) => a - b;\n`,
      },
      { namespaceMembers: false },
    ).reach('main.ts');
    expect(reachedIn(reach, 'math.ts')).toBe('whole');
  });

  it('takes the whole module for a namespace import (no member information) and for a dynamic import', () => {
    const reach = inMemoryWorkspace(
      {
        'main.ts': `import * as colors from './colors';\nexport async function run() { const lazy = await import('./lazy'); return colors.red + lazy.x; }\n`,
        'colors.ts': `export const red = 'red';\nexport const blue = 'blue';\n`,
        'lazy.ts': `export const x = 1;\nexport const y = 2;\n`,
      },
      { namespaceMembers: false },
    ).reach('main.ts');
    expect(reachedIn(reach, 'colors.ts')).toBe('whole');
    expect(reachedIn(reach, 'lazy.ts')).toBe('whole');
  });

  it('reaches side-effectful statements of a reached module with what they reference, and nothing else', () => {
    const reach = inMemoryWorkspace({
      'main.ts': `import { used } from './lib';\nused();\n`,
      'lib.ts': [
        `import { register } from './registry';`,
        `import { unusedHelper } from './helpers';`,
        `export function used() { return 1; }`,
        `export function notUsed() { return unusedHelper(); }`,
        `function handler() { return 2; }`,
        `register('x', handler);`,
        `export const table = buildTable();`,
        `function buildTable() { return {}; }`,
        `export const plain = { a: 1 };`,
      ].join('\n'),
      'registry.ts': `export function register(name: string, fn: () => number) {}\nexport function lookup() {}\n`,
      'helpers.ts': `export function unusedHelper() { return 3; }\n`,
    }).reach('main.ts');
    // `register(…)` (#5) and `const table = buildTable()` run on load; `plain` is a literal.
    expect(reachedIn(reach, 'lib.ts')).toEqual(['#5', 'buildTable', 'handler', 'table', 'used']);
    expect(reachedIn(reach, 'registry.ts')).toEqual(['register']);
    // helpers.ts is loaded (a runtime import of a reached module) but nothing of it is used.
    expect(reachedIn(reach, 'helpers.ts')).toEqual([]);
  });

  it('reaches a class whole: every member, its decorators and what they reference', () => {
    const reach = inMemoryWorkspace({
      'main.ts': `import { Service } from './service';\nnew Service();\n`,
      'service.ts': [
        `import { Injectable } from './di';`,
        `import { format } from './format';`,
        `@Injectable()`,
        `export class Service { describe() { return format(this); } static make() { return new Service(); } }`,
      ].join('\n'),
      'di.ts': `export const Injectable = () => (target: unknown) => target;\n`,
      'format.ts': `export function format(value: unknown) { return String(value); }\nexport function other() {}\n`,
    }).reach('main.ts');
    expect(reachedIn(reach, 'service.ts')).toEqual(['Service']);
    expect(reachedIn(reach, 'di.ts')).toEqual(['Injectable']);
    expect(reachedIn(reach, 'format.ts')).toEqual(['format']);
  });

  it('never follows type-only edges', () => {
    const reach = inMemoryWorkspace({
      'main.ts': [
        `import type { User } from './user';`,
        `import { type Order } from './order';`,
        `export type { Invoice } from './invoice';`,
        `export const u: User | Order | null = null;`,
      ].join('\n'),
      'user.ts': `export interface User { id: string }\nconsole.log('never');\n`,
      'order.ts': `export interface Order { id: string }\n`,
      'invoice.ts': `export interface Invoice { id: string }\n`,
    }).reach('main.ts');
    expect([...reach.files.keys()]).toEqual(['main.ts']);
  });

  it('loads a module imported only for its types with `import { type A }` under verbatimModuleSyntax', () => {
    const workspace = inMemoryWorkspace({
      'main.ts': `import { type Order } from './order';\nexport const o: Order | null = null;\n`,
      'order.ts': `export interface Order { id: string }\nconsole.log('loaded');\n`,
    });
    const reach = reachSymbols({
      entries: ['main.ts'],
      summaries: workspace.summaries,
      resolve: workspace.resolve,
      verbatimModuleSyntax: true,
    });
    expect(reachedIn(reach, 'order.ts')).toEqual(['#1']);
  });

  it('takes all candidates of an ambiguous `export *` name', () => {
    const reach = inMemoryWorkspace({
      'main.ts': `import { dup } from './barrel';\ndup();\n`,
      'barrel.ts': `export * from './a';\nexport * from './b';\nexport * from './c';\n`,
      'a.ts': `export function dup() {}\nexport function onlyA() {}\n`,
      'b.ts': `export function dup() {}\n`,
      'c.ts': `export function other() {}\n`,
    }).reach('main.ts');
    expect(reachedIn(reach, 'a.ts')).toEqual(['dup']);
    expect(reachedIn(reach, 'b.ts')).toEqual(['dup']);
    expect(reachedIn(reach, 'c.ts')).toEqual([]);
  });

  it('takes the whole module when a name cannot be found (CommonJS) and for require()', () => {
    const reach = inMemoryWorkspace({
      'main.ts': `import { legacy } from './legacy';\nimport config = require('./config');\nlegacy(config);\n`,
      'legacy.js': `function legacy() {}\nmodule.exports = { legacy };\n`,
      'config.ts': `export const port = 1;\nexport const host = 'h';\n`,
      'old.js': `const x = require('./dep');\n`,
    }).reach('main.ts');
    expect(reachedIn(reach, 'legacy.js')).toBe('whole');
    expect(reachedIn(reach, 'config.ts')).toBe('whole');
  });

  it('follows an import that a module re-exports by name (`import { x } …; export { x }`) and a default export expression', () => {
    const reach = inMemoryWorkspace({
      'main.ts': `import settings, { helper } from './index';\nhelper(settings);\n`,
      'index.ts': `import { helper } from './helper';\nimport cfg from './cfg';\nexport { helper };\nexport default cfg;\n`,
      'helper.ts': `export function helper(x: unknown) {}\nexport function unused() {}\n`,
      'cfg.ts': `import { base } from './base';\nexport default { ...base, debug: false };\n`,
      'base.ts': `export const base = { a: 1 };\nexport const other = { b: 2 };\n`,
    }).reach('main.ts');
    expect(reachedIn(reach, 'helper.ts')).toEqual(['helper']);
    expect(reachedIn(reach, 'cfg.ts')).toEqual(['default']);
    expect(reachedIn(reach, 'base.ts')).toEqual(['base']);
  });

  it('ships JSON and assets whole, never test files, and reports what it cannot follow', () => {
    const reach = inMemoryWorkspace({
      'main.ts': [
        `import { version } from './package-info.json';`,
        `import './styles.css';`,
        `import { fixture } from './data.spec';`,
        `import { missing } from './nowhere';`,
        `import { template } from './template.hbs';`,
        `console.log(version, fixture, missing, template);`,
      ].join('\n'),
      'package-info.json': `{ "version": "1.0.0" }`,
      'styles.css': `body {}`,
      'data.spec.ts': `export const fixture = 1;\n`,
      'template.hbs': `{{x}}`,
    }).reach('main.ts');
    expect(reachedIn(reach, 'package-info.json')).toBe('whole');
    expect(reachedIn(reach, 'styles.css')).toBe('whole');
    expect(reach.files.has('data.spec.ts')).toBe(false);
    expect(reach.uncertain.map((entry) => entry.detail)).toEqual([
      expect.stringContaining('imports "./nowhere"'),
      expect.stringContaining('template.hbs is reached but is not a kind of file'),
    ]);
    expect(reach.uncertain[1].via).toEqual(['main.ts', 'template.hbs']);
  });

  it('records external packages loaded by reached modules only', () => {
    const reach = inMemoryWorkspace({
      'main.ts': `import { a } from './lib';\nimport express from 'express';\nexpress(a);\n`,
      'lib.ts': `import { z } from 'zod';\nexport const a = 1;\n`,
      'unreached.ts': `import _ from 'lodash';\n`,
    }).reach('main.ts');
    expect(Object.fromEntries(reach.externals)).toEqual({ express: 'main.ts', zod: 'lib.ts' });
  });

  it('reports parse errors and takes such a file whole, from hand-made summaries too', () => {
    const summaries: Record<string, ModuleSummary> = {
      'main.ts': {
        imports: [
          {
            specifier: './broken',
            kind: 'static',
            typeOnly: false,
            bindings: [{ local: 'b', imported: 'b', typeOnly: false }],
            line: 1,
          },
        ],
        exports: [],
        declarations: [{ id: '#1', names: [], references: ['b'], sideEffect: true, typeOnly: false, line: 2 }],
        parseErrors: [],
        dynamicUnknown: [],
      },
      'broken.ts': {
        imports: [],
        exports: [{ name: 'b', declaration: 'b', typeOnly: false }],
        declarations: [
          { id: 'b', names: ['b'], references: [], sideEffect: false, typeOnly: false, line: 1 },
          { id: 'c', names: ['c'], references: [], sideEffect: false, typeOnly: false, line: 2 },
        ],
        parseErrors: ['line 3: Declaration or statement expected.'],
        dynamicUnknown: [],
      },
    };
    const reach = reachSymbols({
      entries: ['main.ts'],
      summaries: (file) => summaries[file],
      resolve: (_from, specifier) => ({ kind: 'file', file: `${specifier.slice(2)}.ts` }),
    });
    expect(reachedIn(reach, 'broken.ts')).toBe('whole');
    expect(reach.uncertain).toEqual([
      {
        file: 'broken.ts',
        detail: 'broken.ts does not parse: line 3: Declaration or statement expected.',
        via: ['main.ts', 'broken.ts'],
      },
    ]);
  });

  it('takes a dynamic import only with the declaration that contains it, when the summary says which', () => {
    const lazyRoutes = (withDeclaration: boolean): ModuleSummary => ({
      imports: [
        {
          specifier: './admin',
          kind: 'dynamic',
          typeOnly: false,
          bindings: [{ local: '', imported: '*', typeOnly: false }],
          line: 2,
          ...(withDeclaration ? { declaration: 'loadAdmin' } : {}),
        },
        {
          specifier: './shop',
          kind: 'dynamic',
          typeOnly: false,
          bindings: [{ local: '', imported: '*', typeOnly: false }],
          line: 3,
          ...(withDeclaration ? { declaration: 'loadShop' } : {}),
        },
      ],
      exports: [
        { name: 'loadAdmin', declaration: 'loadAdmin', typeOnly: false },
        { name: 'loadShop', declaration: 'loadShop', typeOnly: false },
      ],
      declarations: [
        { id: 'loadAdmin', names: ['loadAdmin'], references: [], sideEffect: false, typeOnly: false, line: 2 },
        { id: 'loadShop', names: ['loadShop'], references: [], sideEffect: false, typeOnly: false, line: 3 },
      ],
      parseErrors: [],
      dynamicUnknown: [],
    });
    const leaf: ModuleSummary = { imports: [], exports: [], declarations: [], parseErrors: [], dynamicUnknown: [] };
    const main: ModuleSummary = {
      imports: [
        {
          specifier: './routes',
          kind: 'static',
          typeOnly: false,
          bindings: [{ local: 'loadShop', imported: 'loadShop', typeOnly: false }],
          line: 1,
        },
      ],
      exports: [],
      declarations: [{ id: '#1', names: [], references: ['loadShop'], sideEffect: true, typeOnly: false, line: 2 }],
      parseErrors: [],
      dynamicUnknown: [],
    };
    const reachWith = (withDeclaration: boolean) => {
      const summaries: Record<string, ModuleSummary> = {
        'main.ts': main,
        'routes.ts': lazyRoutes(withDeclaration),
        'admin.ts': leaf,
        'shop.ts': leaf,
      };
      return reachSymbols({
        entries: ['main.ts'],
        summaries: (file) => summaries[file],
        resolve: (_from, specifier) => ({ kind: 'file', file: `${specifier.slice(2)}.ts` }),
      });
    };
    expect(reachedIn(reachWith(true), 'shop.ts')).toBe('whole');
    expect(reachWith(true).files.has('admin.ts')).toBe(false);
    // Without the containing declaration, every dynamic import of a loaded module is taken (safe).
    expect(reachedIn(reachWith(false), 'admin.ts')).toBe('whole');
  });

  it('follows only the members used through a namespace when the summary lists them', () => {
    const files = {
      'main.ts': [
        `import * as colors from './colors';`,
        `import { math } from './barrel';`,
        `import * as all from './all';`,
        `import * as types from './types';`,
        `let shape: types.Shape | undefined;`,
        `export const total = math.add(1, 2) + colors.red.length + (colors?.blue ?? '').length;`,
        `export const spread = { ...all };`,
      ].join('\n'),
      'colors.ts': `export const red = 'red';\nexport const blue = 'blue';\nexport const green = 'green';\n`,
      'barrel.ts': `export * as math from './math';\n`,
      'math.ts': `export const add = (a: number, b: number) => a + b;\nexport const sub = (a: number, b: number) => a - b;\n`,
      'all.ts': `export const x = 1;\nexport const y = 2;\n`,
      'types.ts': `export interface Shape { id: string }\nexport const unused = 1;\n`,
    };
    const reach = inMemoryWorkspace(files, { namespaceMembers: true }).reach('main.ts');
    expect(reachedIn(reach, 'colors.ts')).toEqual(['blue', 'red']);
    expect(reachedIn(reach, 'math.ts')).toEqual(['add']);
    expect(reachedIn(reach, 'all.ts')).toBe('whole'); // spread: the namespace escapes
    // `types` is used in a type only: TypeScript elides the import, types.ts is not even loaded.
    expect(reachedIn(reach, 'types.ts')).toBeUndefined();
    expect(reach.chainTo('math.ts', 'add')).toEqual(['main.ts', 'barrel.ts', 'math.ts']);
    // Without the summary field, a namespace import takes the whole module.
    expect(reachedIn(inMemoryWorkspace(files, { namespaceMembers: false }).reach('main.ts'), 'colors.ts')).toBe(
      'whole',
    );
  });

  it('shares one step graph between deployables of a snapshot without leaking one reach into another', () => {
    const files = {
      'apps/a/src/main.ts': `import { shared } from '../../../libs/core/src/lib/shared';\nimport 'left-pad';\nimport './missing';\nconsole.log(shared());\n`,
      'apps/b/src/main.ts': `import { other } from '../../../libs/core/src/index';\nconsole.log(other());\n`,
      'libs/core/src/index.ts': `export * from './lib/shared';\nexport * from './lib/other';\n`,
      'libs/core/src/lib/shared.ts': `import { base } from './base';\nexport const shared = () => base + 1;\n`,
      'libs/core/src/lib/other.ts': `import { base } from './base';\nexport const other = () => base + 2;\nexport const later = () => import('./lazy');\n`,
      'libs/core/src/lib/base.ts': `export const base = 1;\n`,
      'libs/core/src/lib/lazy.ts': `export const lazy = 1;\n`,
    };
    const view = (reach: ReturnType<typeof reachSymbols>) => ({
      files: [...reach.files]
        .map(([file, fileReach]) => [
          file,
          fileReach.whole,
          [...fileReach.declarations].sort(),
          [...fileReach.exports].sort(),
        ])
        .sort(),
      externals: [...reach.externals],
      uncertain: reach.uncertain,
      chain: reach.chainTo('libs/core/src/lib/base.ts', 'base'),
      lazyMatters: reach.loadChangeMatters('libs/core/src/lib/shared.ts', './lazy'),
    });
    const shared = inMemoryWorkspace(files);
    const reachA = shared.reach('apps/a/src/main.ts');
    const second = view(shared.reach('apps/b/src/main.ts'));
    const first = view(reachA); // read after b's walk went over the same steps
    expect(second).toEqual(view(inMemoryWorkspace(files).reach('apps/b/src/main.ts')));
    expect(first).toEqual(view(inMemoryWorkspace(files).reach('apps/a/src/main.ts')));
    expect(first.externals).toEqual([['left-pad', 'apps/a/src/main.ts']]);
    expect(second.externals).toEqual([]);
    expect(first.uncertain.map((entry) => entry.file)).toEqual(['apps/a/src/main.ts']);
    expect(second.uncertain).toEqual([]);
    // b loads other.ts, whose import() makes lazy.ts lazily initialised; a does not.
    expect([first.lazyMatters, second.lazyMatters]).toEqual([false, true]);
  });

  it('answers chains of a walk after a later walk restamped its steps', () => {
    // 30 modules in a row, reached by two deployables: b's walk passes over every step a's did.
    const files: Record<string, string> = {
      'apps/a/src/main.ts': `import { f0 } from '../../../libs/m/m0';\nconsole.log(f0());\n`,
      'apps/b/src/main.ts': `import { f0 } from '../../../libs/m/m0';\nexport const b = f0();\n`,
    };
    for (let index = 0; index < 30; index++)
      files[`libs/m/m${index}.ts`] =
        index < 29
          ? `import { f${index + 1} } from './m${index + 1}';\nexport const f${index} = () => f${index + 1}() + 1;\n`
          : `export const f${index} = () => 1;\n`;
    const modules = Array.from({ length: 30 }, (_, index) => `libs/m/m${index}.ts`);
    const chains = (reach: ReturnType<typeof reachSymbols>) =>
      modules.flatMap((file, index) => [reach.chainTo(file, `f${index}`), reach.stepsTo(file, `f${index}`)]);
    const shared = inMemoryWorkspace(files);
    const reachA = shared.reach('apps/a/src/main.ts');
    shared.reach('apps/b/src/main.ts');
    const expected = chains(inMemoryWorkspace(files).reach('apps/a/src/main.ts'));
    expect(chains(reachA)).toEqual(expected);
    expect(expected[2 * 29]).toEqual(['apps/a/src/main.ts', ...modules]);
    expect(reachA.chainTo('libs/m/nowhere.ts')).toEqual([]);
  });

  it('within: a walk limited to the files that can reach what matters finds the same there, with the same chains and notes', () => {
    const workspace = inMemoryWorkspace({
      'apps/api/src/main.ts': [
        `import { a } from './a';`,
        `import { b } from './b';`,
        `import { big } from './big';`,
        `console.log(a(), b(), big());`,
      ].join('\n'),
      'apps/api/src/a.ts': `import { changed } from './changed';\nexport const a = () => changed();\n`,
      'apps/api/src/b.ts': `import { changed, other } from './changed';\nimport { missing } from './missing';\nexport const b = () => changed() + other() + missing;\n`,
      'apps/api/src/changed.ts': `export function changed() { return 1; }\nexport function other() { return 2; }\nexport function unused() { return 3; }\n`,
      'apps/api/src/big.ts': `import { deep } from './deep';\nexport const big = () => deep();\n`,
      'apps/api/src/deep.ts': `export const deep = () => 4;\n`,
    });
    const full = reachSymbols({
      entries: ['apps/api/src/main.ts'],
      summaries: workspace.summaries,
      resolve: workspace.resolve,
    });
    // What reaches changed.ts, or holds the unresolved import (b.ts): big.ts and deep.ts do not.
    const within = new Set([
      'apps/api/src/main.ts',
      'apps/api/src/a.ts',
      'apps/api/src/b.ts',
      'apps/api/src/changed.ts',
    ]);
    const limited = reachSymbols({
      entries: ['apps/api/src/main.ts'],
      summaries: workspace.summaries,
      resolve: workspace.resolve,
      within,
    });
    for (const file of within) {
      expect(reachedIn(limited, file)).toEqual(reachedIn(full, file));
      expect(limited.chainTo(file)).toEqual(full.chainTo(file));
    }
    expect(reachedIn(limited, 'apps/api/src/changed.ts')).toEqual(['changed', 'other']);
    expect(limited.chainTo('apps/api/src/changed.ts', 'other')).toEqual(
      full.chainTo('apps/api/src/changed.ts', 'other'),
    );
    expect(limited.uncertain).toEqual(full.uncertain);
    expect(limited.uncertain.map((entry) => entry.file)).toEqual(['apps/api/src/b.ts']);
    // Outside the set nothing is walked.
    expect(reachedIn(full, 'apps/api/src/deep.ts')).toEqual(['deep']);
    expect(limited.files.has('apps/api/src/big.ts')).toBe(false);
    expect(limited.files.has('apps/api/src/deep.ts')).toBe(false);
  });
});
