import { describe, expect, it } from 'vitest';
import { ts } from 'ts-morph';
import { collectNamespaceMembers, namespaceMembersOf, type NamespaceUses } from './namespace-members';

const membersIn = (code: string, locals: string[]) => {
  const sourceFile = ts.createSourceFile('a.ts', code, ts.ScriptTarget.Latest, true);
  const uses: NamespaceUses = new Map();
  for (const statement of sourceFile.statements) collectNamespaceMembers(statement, new Set(locals), uses);
  return namespaceMembersOf(uses);
};

describe('namespace members', () => {
  it('lists static member accesses, in types too (decorator metadata emits parameter types)', () => {
    expect(membersIn(`export function f(x: ns.Shape): ns.Other { return ns.a(x) + ns?.b + ns.a(1); }`, ['ns'])).toEqual(
      { ns: ['Other', 'Shape', 'a', 'b'] },
    );
    // A bare type use adds no entry: the reference is then followed as a whole (safe).
    expect(membersIn(`let s: Foo; type T = typeof ns;`, ['ns', 'Foo'])).toBeUndefined();
    expect(membersIn(`import A = ns.B;`, ['ns'])).toEqual({ ns: ['B'] });
    expect(membersIn(`class C extends ns.Base {}`, ['ns'])).toEqual({ ns: ['Base'] });
  });

  it('leaves out a namespace that escapes: passed, spread, indexed, destructured, shorthand', () => {
    for (const code of [
      `f(ns);`,
      `const o = { ...ns };`,
      `const v = ns[key];`,
      `const { a } = ns;`,
      `const o = { ns };`,
      `export default ns;`,
    ]) {
      expect(membersIn(`${code}\nns.a();`, ['ns']), code).toBeUndefined();
    }
  });

  it('does not mistake a property spelled like the local for a use', () => {
    expect(membersIn(`const o = { ns: 1 }; o.ns; ns.a();`, ['ns'])).toEqual({ ns: ['a'] });
  });
});
