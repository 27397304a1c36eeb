import { describe, expect, it } from 'vitest';
import { changedDeclarations, COMPUTED_MODULE_SOURCE, type ModuleSource } from './changed-declarations';
import { sameTokens, tokenText } from './same-tokens';

const file = 'libs/a/src/a.ts';
const code = `import { b } from './b';
/** Doubles. */
export function double(n: number): number {
  const label = 'two  words';
  return n * 2 + b(\`x  \${n}  y\`); // trailing
}
`;

describe('sameTokens', () => {
  it('holds across comment and layout edits', () => {
    const edited = code
      .replace('/** Doubles. */', '// Doubles a number,\n// twice.')
      .replace('n * 2', 'n  *  2')
      .replace('// trailing', '/* other */');
    expect(sameTokens(file, code, edited)).toBe(true);
    expect(tokenText(code)).toContain("'two  words'");
  });

  it('fails on any change inside a string, a template or a regular expression', () => {
    expect(sameTokens(file, code, code.replace("'two  words'", "'two words'"))).toBe(false);
    expect(sameTokens(file, code, code.replace('x  ${n}', 'x ${n}'))).toBe(false);
    expect(sameTokens(file, code, code.replace('${n}  y', '${n} y'))).toBe(false);
    const regex = 'export const r = /a  b/;\n';
    expect(sameTokens(file, regex, regex.replace('a  b', 'a b'))).toBe(false);
  });

  it('keeps line breaks apart from spaces (automatic semicolon insertion)', () => {
    expect(sameTokens(file, 'export function f() { return 1; }', 'export function f() { return\n1; }')).toBe(false);
    expect(sameTokens(file, 'let a = b\n(c)', 'let a = b /* x */ (c)')).toBe(false);
    expect(sameTokens(file, 'let a = b\n(c)', 'let a = b /* x\n */ (c)')).toBe(true);
    // U+2028 ends a line comment: the code after it counts.
    expect(sameTokens(file, 'a(); // x\u2028b();', 'a(); // x\u2028c();')).toBe(false);
  });

  it('gives up where it cannot be sure, and on files other than .ts', () => {
    // A slash that may start a regular expression: its line is compared as it is.
    expect(sameTokens(file, 'x = a / b; // one', 'x = a / b; // two')).toBe(false);
    expect(tokenText('x = a / b + `t\n  u`;')).toBeUndefined();
    expect(tokenText('const s = "open\n";')).toBeUndefined();
    expect(tokenText('/* never closed')).toBeUndefined();
    expect(tokenText('`${ /}/ }`')).toBeUndefined();
    expect(sameTokens('libs/a/src/a.tsx', code, code.replace('// trailing', ''))).toBe(false);
    expect(sameTokens('libs/a/src/a.d.ts', code, code.replace('// trailing', ''))).toBe(false);
  });

  it('fails when a comment adds or drops a name the emitter would give a temporary', () => {
    expect(sameTokens(file, code, code.replace('// trailing', '// see _a'))).toBe(false);
  });
});

describe('changedDeclarations with the same tokens', () => {
  it('answers none without emitting either side', () => {
    let emits = 0;
    const counting: ModuleSource = {
      ...COMPUTED_MODULE_SOURCE,
      emitted: (version, options) => (emits++, COMPUTED_MODULE_SOURCE.emitted(version, options)),
    };
    const edited = code.replace('/** Doubles. */', '/** Doubles, fast. */');
    const result = changedDeclarations(
      { fileName: file, text: code, id: 'base' },
      { fileName: file, text: edited, id: 'head' },
      {},
      counting,
    );
    expect(result).toEqual({ kind: 'none' });
    expect(emits).toBe(0);
    // A real edit is still emitted and found.
    const changed = changedDeclarations(
      { fileName: file, text: code, id: 'base' },
      { fileName: file, text: code.replace('n * 2', 'n * 3'), id: 'head' },
      {},
      counting,
    );
    expect(changed).toEqual({ kind: 'declarations', ids: ['double'] });
    expect(emits).toBe(2);
  });

  it('still counts a file that does not parse as changed as a whole', () => {
    const broken = 'export const a = ;\n';
    const result = changedDeclarations(
      { fileName: file, text: broken, id: 'base' },
      { fileName: file, text: `// note\n${broken}`, id: 'head' },
    );
    expect(result.kind).toBe('whole');
  });
});
