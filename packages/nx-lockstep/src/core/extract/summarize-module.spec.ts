import { describe, expect, it } from 'vitest';
import { summarizeModule } from './summarize-module';

const importsOf = (text: string, file = 'a.ts') =>
  summarizeModule(file, text).imports.map(({ specifier, kind, typeOnly, bindings }) => ({
    specifier,
    kind,
    typeOnly,
    bindings,
  }));

describe('summarizeModule: imports', () => {
  it('static imports: default, named (renamed), namespace, with per-binding type-only', () => {
    expect(
      importsOf("import React, { useState as use, type FC } from 'react';\nimport * as path from 'node:path';"),
    ).toEqual([
      {
        specifier: 'react',
        kind: 'static',
        typeOnly: false,
        bindings: [
          { local: 'React', imported: 'default', typeOnly: false },
          { local: 'use', imported: 'useState', typeOnly: false },
          { local: 'FC', imported: 'FC', typeOnly: true },
        ],
      },
      {
        specifier: 'node:path',
        kind: 'static',
        typeOnly: false,
        bindings: [{ local: 'path', imported: '*', typeOnly: false }],
      },
    ]);
  });

  it('import elision: a binding used only in types is erased (TS files, no decorators; JSX factories stay)', () => {
    const bindings = (file: string, text: string) =>
      summarizeModule(file, text).imports.flatMap((record) =>
        record.bindings.map((binding) => `${binding.local}:${binding.typeOnly}`),
      );
    const text = [
      "import { Order, total } from 'orders';",
      "import * as z from 'zod';",
      "import { Unused } from 'unused';",
      'export const sum = (order: Order, schema: z.ZodType): number => total(order);',
    ].join('\n');
    // `Unused` is used nowhere: left alone (only bindings seen in types are erased).
    expect(bindings('a.ts', text)).toEqual(['Order:true', 'total:false', 'z:true', 'Unused:false']);
    // JavaScript keeps every import; decorators may emit metadata naming a type.
    expect(bindings('a.js', "import { A } from 'a';\n/** @type {A} */ export const x = 1;")).toEqual(['A:false']);
    const nest = [
      "import { Injectable } from '@nestjs/common';",
      "import { UsersService } from './users.service';",
      '@Injectable() export class Api { constructor(private readonly users: UsersService) {} }',
    ].join('\n');
    expect(bindings('api.ts', nest)).toEqual(['Injectable:false', 'UsersService:false']);
    // Exported again: a value for all we know.
    expect(bindings('b.ts', "import { B } from 'b';\nexport { B };\nlet b: B;")).toEqual(['B:false']);
    const jsx = "import React, { FC } from 'react';\nexport const App: FC = () => <div />;";
    expect(bindings('app.tsx', jsx)).toEqual(['React:false', 'FC:true']);
  });

  it('type-only imports and exports are marked on the record', () => {
    expect(importsOf("import type { A } from './a';\nexport type { B } from './b';")).toEqual([
      { specifier: './a', kind: 'static', typeOnly: true, bindings: [{ local: 'A', imported: 'A', typeOnly: true }] },
      {
        specifier: './b',
        kind: 're-export',
        typeOnly: true,
        bindings: [{ local: '', imported: 'B', exportedAs: 'B', typeOnly: true }],
      },
    ]);
  });

  it('side-effect imports, JSON and asset imports', () => {
    expect(
      importsOf(
        "import './polyfill';\nimport data from './data.json' with { type: 'json' };\nimport logo from './logo.svg';",
      ),
    ).toEqual([
      { specifier: './polyfill', kind: 'side-effect', typeOnly: false, bindings: [] },
      {
        specifier: './data.json',
        kind: 'static',
        typeOnly: false,
        bindings: [{ local: 'data', imported: 'default', typeOnly: false }],
      },
      {
        specifier: './logo.svg',
        kind: 'static',
        typeOnly: false,
        bindings: [{ local: 'logo', imported: 'default', typeOnly: false }],
      },
    ]);
  });

  it('re-exports: named, renamed, namespace and export *', () => {
    expect(importsOf("export { a, b as c } from './x';\nexport * as ns from './y';\nexport * from './z';")).toEqual([
      {
        specifier: './x',
        kind: 're-export',
        typeOnly: false,
        bindings: [
          { local: '', imported: 'a', exportedAs: 'a', typeOnly: false },
          { local: '', imported: 'b', exportedAs: 'c', typeOnly: false },
        ],
      },
      {
        specifier: './y',
        kind: 're-export',
        typeOnly: false,
        bindings: [{ local: '', imported: '*', exportedAs: 'ns', typeOnly: false }],
      },
      { specifier: './z', kind: 're-export-all', typeOnly: false, bindings: [] },
    ]);
  });

  it('dynamic import(), require(), import = require() and import() types, anywhere in the file', () => {
    const text = [
      "import fs = require('fs');",
      'export async function load() {',
      "  const page = await import('./page');",
      "  const legacy = require('./legacy.cjs');",
      "  let t: import('./types').T;",
      '  return [page, legacy, t];',
      '}',
    ].join('\n');
    expect(importsOf(text)).toEqual([
      {
        specifier: 'fs',
        kind: 'import-equals',
        typeOnly: false,
        bindings: [{ local: 'fs', imported: '*', typeOnly: false }],
      },
      {
        specifier: './page',
        kind: 'dynamic',
        typeOnly: false,
        bindings: [{ local: '', imported: '*', typeOnly: false }],
      },
      {
        specifier: './legacy.cjs',
        kind: 'require',
        typeOnly: false,
        bindings: [{ local: '', imported: '*', typeOnly: false }],
      },
      {
        specifier: './types',
        kind: 'dynamic',
        typeOnly: true,
        bindings: [{ local: '', imported: '*', typeOnly: true }],
      },
    ]);
  });

  it('records which top-level declaration makes a dynamic import or require call', () => {
    const summary = summarizeModule(
      'a.ts',
      "export async function load() { return import('./page'); }\nconst config = require('./config.json');\nimport('./polyfill');\n",
    );
    expect(summary.imports.map(({ specifier, declaration }) => ({ specifier, declaration }))).toEqual([
      { specifier: './page', declaration: 'load' },
      { specifier: './config.json', declaration: 'config' },
      { specifier: './polyfill', declaration: '#2' },
    ]);
  });

  it('computed imports and requires are recorded as dynamicUnknown, not guessed', () => {
    const summary = summarizeModule('a.js', "const name = 'x';\nrequire(name);\nimport(`./locales/${name}.js`);");
    expect(summary.imports).toEqual([]);
    expect(summary.dynamicUnknown).toEqual(['require(<expression>) at line 2', 'import(<expression>) at line 3']);
  });

  it('line numbers are 1-based', () => {
    expect(summarizeModule('a.ts', "\n\nimport './x';").imports[0].line).toBe(3);
  });

  it('reports syntax errors instead of throwing', () => {
    const summary = summarizeModule('broken.ts', 'export const = ;\n');
    expect(summary.parseErrors.length).toBeGreaterThan(0);
    expect(summary.parseErrors[0]).toMatch(/^line 1: /);
  });

  it('parses JSX in .tsx files', () => {
    const summary = summarizeModule(
      'a.tsx',
      'import { Button } from \'./button\';\nexport const App = () => <Button label="x" />;\n',
    );
    expect(summary.parseErrors).toEqual([]);
    expect(summary.declarations.find((declaration) => declaration.id === 'App')?.references).toEqual(['Button']);
  });
});

describe('summarizeModule: exports and declarations', () => {
  const text = [
    "import { helper } from './helper';", // 1
    "import type { Shape } from './shape';", // 2
    'export interface Options { shape: Shape }', // 3
    'export const VERSION = 1;', // 4
    'export function run(options: Options) { return helper(options) + VERSION; }', // 5
    'const registry = new Map();', // 6
    "console.log('loaded');", // 7
    'export default class Service { go() { return run({} as Options); } }', // 8
    'export { registry as store };', // 9
    'export const { a, b } = { a: 1, b: 2 };', // 10
  ].join('\n');
  const summary = summarizeModule('m.ts', text);

  it('lists local exports with the declaration that provides each', () => {
    expect(summary.exports).toEqual([
      { name: 'Options', declaration: 'Options', typeOnly: true },
      { name: 'VERSION', declaration: 'VERSION', typeOnly: false },
      { name: 'run', declaration: 'run', typeOnly: false },
      { name: 'default', declaration: 'Service', typeOnly: false },
      { name: 'a', declaration: 'a', typeOnly: false },
      { name: 'b', declaration: 'a', typeOnly: false },
      { name: 'store', declaration: 'registry', typeOnly: false },
    ]);
  });

  it('records what each top-level declaration references and whether it has load-time effects', () => {
    expect(summary.declarations).toEqual([
      { id: 'Options', names: ['Options'], references: ['Shape'], sideEffect: false, typeOnly: true, line: 3 },
      { id: 'VERSION', names: ['VERSION'], references: [], sideEffect: false, typeOnly: false, line: 4 },
      {
        id: 'run',
        names: ['run'],
        references: ['Options', 'helper', 'VERSION'],
        sideEffect: false,
        typeOnly: false,
        line: 5,
      },
      { id: 'registry', names: ['registry'], references: [], sideEffect: true, typeOnly: false, line: 6 },
      { id: '#6', names: [], references: [], sideEffect: true, typeOnly: false, line: 7 },
      {
        id: 'Service',
        names: ['Service'],
        references: ['run', 'Options'],
        sideEffect: false,
        typeOnly: false,
        line: 8,
      },
      { id: 'a', names: ['a', 'b'], references: [], sideEffect: true, typeOnly: false, line: 10 },
    ]);
  });

  it('records namespace imports used only as ns.member (namespaceMembers), not escaping ones', () => {
    const text =
      "import * as money from './money';\nimport * as log from './log';\nexport function total(n: number) { return money.round(n) + money.TAX; }\nexport const sink = () => log;\n";
    const [total, sink] = summarizeModule('t.ts', text).declarations;
    expect(total).toMatchObject({ id: 'total', references: ['money'], namespaceMembers: { money: ['TAX', 'round'] } });
    expect(sink.id).toBe('sink');
    expect(sink.namespaceMembers).toBeUndefined(); // `log` escapes: the whole module is taken
  });

  it('export default of an expression is a declaration of its own', () => {
    const result = summarizeModule('d.ts', "import { make } from './make';\nexport default make();\n");
    expect(result.exports).toEqual([{ name: 'default', declaration: 'default', typeOnly: false }]);
    expect(result.declarations).toEqual([
      { id: 'default', names: [], references: ['make'], sideEffect: true, typeOnly: false, line: 2 },
    ]);
  });

  it('merges overloads into one declaration', () => {
    const result = summarizeModule(
      'o.ts',
      'export function f(a: string): string;\nexport function f(a: number): number;\nexport function f(a: any) { return a; }\n',
    );
    expect(result.declarations.map((declaration) => declaration.id)).toEqual(['f']);
    expect(result.declarations[0].typeOnly).toBe(false);
  });
});
