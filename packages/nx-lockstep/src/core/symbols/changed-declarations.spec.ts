import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { summarizeModule } from '../extract/summarize-module';
import { changedDeclarations, COMPUTED_MODULE_SOURCE, MODULE_LOAD, type ModuleSource } from './changed-declarations';
import {
  emittedFromJson,
  emittedToJson,
  emitModule,
  emitOptions,
  isEmittedModuleJson,
  statementId,
} from './emitted-module';

const compare = (before: string, after: string, options: Record<string, unknown> = {}, fileName = 'libs/a/src/a.ts') =>
  changedDeclarations({ fileName, text: before }, { fileName, text: after }, options);

const service = `
import { Injectable } from './di';
import { UserRepository } from './user-repository';
import type { Logger } from './logger';

/** Serves users. */
@Injectable()
export class UserService {
  constructor(private readonly users: UserRepository, private readonly log?: Logger) {}
  find(id: string): Promise<unknown> { return this.users.byId(id); }
}

export function format(user: { name: string }): string {
  return user.name;
}

export interface Shape { id: string }
console.log('loaded');
`;

describe('changedDeclarations', () => {
  it('finds nothing in comment, whitespace and type-only edits', () => {
    const edited = service
      .replace('/** Serves users. */', '// Serves all users.\n')
      .replace('return user.name;', 'return   user\n    .name; // the name')
      .replace('export interface Shape { id: string }', 'export interface Shape { id: string; name?: string }')
      .replace('find(id: string): Promise<unknown>', 'find(id: string | number): Promise<string>')
      .replace(
        "import type { Logger } from './logger';",
        "import type { Logger } from './logger';\nimport type { Audit } from './audit';\ntype Extra = Audit;",
      );
    expect(compare(service, edited)).toEqual({ kind: 'none' });
  });

  it('names the declarations whose emitted JavaScript changed', () => {
    expect(compare(service, service.replace('return user.name;', 'return user.name.trim();'))).toEqual({
      kind: 'declarations',
      ids: ['format'],
    });
    expect(compare(service, service.replace('this.users.byId(id)', 'this.users.byId(id.trim())'))).toEqual({
      kind: 'declarations',
      ids: ['UserService'],
    });
  });

  it('counts a constructor parameter type change only when emitDecoratorMetadata emits it', () => {
    const retyped = service.replace(
      'private readonly users: UserRepository',
      'private readonly users: Map<string, unknown>',
    );
    expect(compare(service, retyped, { experimentalDecorators: true })).toEqual({ kind: 'none' });
    const withMetadata = compare(service, retyped, { experimentalDecorators: true, emitDecoratorMetadata: true });
    expect(withMetadata.kind).toBe('declarations');
    expect(withMetadata.kind === 'declarations' && withMetadata.ids).toContain('UserService');
  });

  it('does not count a new decorated class as a change to another one (compiler temporaries)', () => {
    const added = `${service}\n@Injectable()\nexport class Other { constructor(private readonly users: UserRepository) {} }\n`;
    expect(compare(service, added, { experimentalDecorators: true, emitDecoratorMetadata: true })).toEqual({
      kind: 'declarations',
      ids: ['Other'],
      exports: ['Other'],
    });
  });

  it('still sees a change between user variables named like compiler temporaries', () => {
    expect(
      compare(
        `const _a = 1;\nconst _b = 2;\nexport const f = () => _a;\n`,
        `const _a = 1;\nconst _b = 2;\nexport const f = () => _b;\n`,
      ),
    ).toEqual({ kind: 'declarations', ids: ['f'] });
  });

  it('treats new, deleted and unparsable files as whole', () => {
    expect(changedDeclarations(null, { fileName: 'a.ts', text: 'export const a = 1;' }, {})).toEqual({
      kind: 'whole',
      detail: 'a.ts is new',
    });
    expect(changedDeclarations({ fileName: 'a.ts', text: 'export const a = 1;' }, null, {})).toEqual({
      kind: 'whole',
      detail: 'a.ts was deleted',
    });
    expect(compare('export const a = 1;', 'export const a = ;;{')).toEqual({
      kind: 'whole',
      detail: 'libs/a/src/a.ts does not parse',
    });
  });

  it('treats an edited asset as whole and an edited .d.ts as nothing', () => {
    expect(compare('{"a":1}', '{"a":2}', {}, 'config.json')).toEqual({
      kind: 'whole',
      detail: 'config.json changed (shipped as a whole)',
    });
    expect(compare('export declare const a: string;', 'export declare const a: number;', {}, 'types.d.ts')).toEqual({
      kind: 'none',
    });
  });

  it('matches anonymous statements by their code, not by their shifting index', () => {
    const before = `import { a } from './b';\na();\nconsole.log('x');\n`;
    const shifted = `import type { T } from './t';\nimport { a } from './b';\nlet t: T;\na();\nconsole.log('x');\n`;
    expect(compare(before, shifted)).toEqual({ kind: 'declarations', ids: ['t'] });
    expect(compare(before, before.replace("console.log('x')", "console.log('y')"))).toEqual({
      kind: 'declarations',
      ids: ['#2'],
    });
  });

  it('marks the module load changed when a side-effectful statement goes away', () => {
    expect(compare(`export const a = 1;\nsetup();\n`, `export const a = 1;\n`)).toEqual({
      kind: 'declarations',
      ids: [MODULE_LOAD],
    });
    // `register()` stops running on load although `x` keeps its name: every loader is affected.
    expect(compare(`export const x = register();\n`, `export const x = 1;\n`)).toEqual({
      kind: 'declarations',
      ids: [MODULE_LOAD, 'x'],
    });
  });

  it('counts statements that run on load moving relative to each other, but not hoisted functions', () => {
    expect(
      compare(`export const a = f();\nexport const b = g();\n`, `export const b = g();\nexport const a = f();\n`),
    ).toEqual({ kind: 'declarations', ids: [MODULE_LOAD] });
    expect(
      compare(
        `export function f() {}\nexport function g() {}\nrun();\n`,
        `export function g() {}\nrun();\nexport function f() {}\n`,
      ),
    ).toEqual({ kind: 'none' });
  });

  it('counts enums and const enums as runtime code', () => {
    expect(compare('export enum Color { Red = 1 }', 'export enum Color { Red = 2 }')).toEqual({
      kind: 'declarations',
      ids: ['Color'],
    });
    expect(compare('export const enum Size { S = 1 }', 'export const enum Size { S = 2 }')).toEqual({
      kind: 'declarations',
      ids: ['Size'],
    });
  });

  it('marks the declarations that use a rebound import as changed', () => {
    const before = `import { price } from './old-pricing';\nexport function total() { return price(); }\nexport function other() { return 1; }\n`;
    const after = before.replace('./old-pricing', './new-pricing');
    expect(compare(before, after)).toEqual({
      kind: 'declarations',
      ids: ['total'],
      loads: ['./old-pricing', './new-pricing'],
    });
  });

  it('reports exported names that resolve to something else', () => {
    expect(compare(`export { a as b } from './x';\n`, `export { c as b } from './x';\n`)).toEqual({
      kind: 'declarations',
      ids: [],
      exports: ['b'],
    });
    expect(
      compare(`const a = 1;\nconst c = 2;\nexport { a as b };\n`, `const a = 1;\nconst c = 2;\nexport { c as b };\n`),
    ).toEqual({ kind: 'declarations', ids: [], exports: ['b'] });
    expect(compare(`export * from './x';\nexport * from './y';\n`, `export * from './x';\n`)).toEqual({
      kind: 'declarations',
      ids: [MODULE_LOAD],
      loads: ['./y'],
    });
  });

  it('reports a new side-effect import as a changed load', () => {
    expect(
      compare(`import './a';\nexport const a = 1;\n`, `import './a';\nimport './polyfill';\nexport const a = 1;\n`),
    ).toEqual({ kind: 'declarations', ids: [], loads: ['./polyfill'] });
  });

  it('counts the variables of a module that starts or stops importing anything (bundlers inline its constants only while it imports nothing)', () => {
    const alone = `export const a = 1;\nexport function f() { return a; }\n`;
    expect(compare(alone, `import './polyfill';\n${alone}`)).toEqual({
      kind: 'declarations',
      ids: ['a'],
      loads: ['./polyfill'],
    });
    // An import TypeScript elides as unused still counts; a type-only one does not.
    expect(compare(alone, `import { unused } from './x';\n${alone}`)).toEqual({ kind: 'declarations', ids: ['a'] });
    expect(compare(alone, `import type { T } from './x';\n${alone}`)).toEqual({ kind: 'none' });
    expect(compare(`import './polyfill';\n${alone}`, alone)).toEqual({
      kind: 'declarations',
      ids: ['a'],
      loads: ['./polyfill'],
    });
  });

  it('keeps using the workspace jsx setting for .tsx files', () => {
    const before = `export const App = () => <div className="a">hi</div>;\nexport const B = () => <span/>;\n`;
    const after = before.replace('hi', 'hello');
    expect(compare(before, after, { jsx: 'react-jsx' }, 'app.tsx')).toEqual({ kind: 'declarations', ids: ['App'] });
    expect(compare(before, after, {}, 'app.tsx')).toEqual({ kind: 'declarations', ids: ['App'] });
  });

  it('names statements exactly as the extractor does', () => {
    const text = [
      `import { x } from './x';`,
      `export default function () { return x; }`,
      `export class A {}`,
      `function f() {}`,
      `export const { p, q } = { p: 1, q: 2 };`,
      `enum E { A }`,
      `namespace N { export const n = 1; }`,
      `console.log(f);`,
      `let late;`,
      `interface I {}`,
      `type T = string;`,
      `if (x) { late = 1; }`,
    ].join('\n');
    const sourceFile = ts.createSourceFile('a.ts', text, ts.ScriptTarget.Latest, true);
    const ours = sourceFile.statements
      .filter((statement) => !ts.isImportDeclaration(statement))
      .map((statement) => statementId(statement, sourceFile.statements.indexOf(statement)));
    expect(ours).toEqual(summarizeModule('a.ts', text).declarations.map((declaration) => declaration.id));
  });

  it('reads emits and summaries from a ModuleSource, and compares content ids without reading texts', () => {
    const asked: string[] = [];
    const recording: ModuleSource = {
      emitted: (version, options) => (
        asked.push(`emit ${version.id}`),
        COMPUTED_MODULE_SOURCE.emitted(version, options)
      ),
      summary: (version) => (asked.push(`summary ${version.id}`), COMPUTED_MODULE_SOURCE.summary(version)),
    };
    const unread = (id: string) => ({
      fileName: 'a.ts',
      id,
      get text(): string {
        throw new Error(`text of ${id} read`);
      },
    });
    expect(changedDeclarations(unread('same'), unread('same'), {}, recording)).toEqual({ kind: 'none' });
    expect(asked).toEqual([]);
    const before = { fileName: 'a.ts', id: 'b1', text: 'export const a = 1;\nexport const b = 2;\n' };
    const after = { fileName: 'a.ts', id: 'b2', text: 'export const a = 1;\nexport const b = 3;\n' };
    expect(changedDeclarations(before, after, {}, recording)).toEqual({ kind: 'declarations', ids: ['b'] });
    expect(asked).toEqual(expect.arrayContaining(['emit b1', 'emit b2']));
  });
});

describe('emitted modules as JSON', () => {
  it('round-trip exactly, and anything of another shape is rejected', () => {
    const emitted = emitModule(
      'a.ts',
      service,
      emitOptions({ experimentalDecorators: true, emitDecoratorMetadata: true }),
    )!;
    const json = JSON.parse(JSON.stringify(emittedToJson(emitted)));
    expect(isEmittedModuleJson(json)).toBe(true);
    expect(emittedFromJson(json)).toEqual(emitted);
    expect(isEmittedModuleJson(null)).toBe(true); // a file that does not parse
    expect(emittedFromJson(null)).toBeUndefined();
    for (const broken of [
      {},
      { ...json, declarations: [['a', 1, []]] },
      { ...json, loads: 'x' },
      { ...json, exports: [['a']] },
      'text',
    ])
      expect(isEmittedModuleJson(broken)).toBe(false);
  });
});
