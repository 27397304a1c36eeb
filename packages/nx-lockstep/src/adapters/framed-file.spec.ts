import { describe, expect, it } from 'vitest';
import { packList, unpackList } from './framed-file';

describe('lists kept as one text (packList, unpackList)', () => {
  const awkward = [
    'libs/a/src/index.ts',
    '',
    'apps/new\nline.ts', // git allows a newline in a path
    'C:\\windows\\style',
    'a literal \\n, not a newline',
    'ends with a backslash \\',
    'export name "✓" and 🚀',
  ];

  it('gives every entry back as it was, escapes and all', () => {
    const list = unpackList(packList(awkward), awkward.length)!;
    expect(list.length).toBe(awkward.length);
    expect(list.all()).toEqual(awkward);
    awkward.forEach((entry, index) => {
      expect(list.at(index)).toBe(entry);
      expect(list.equals(index, entry)).toBe(true);
      expect(list.equals(index, `${entry}x`)).toBe(false);
    });
    expect(list.at(awkward.length)).toBeUndefined();
    expect(list.at(-1)).toBeUndefined();
  });

  it('compares without escapes by position and length', () => {
    const ids = ['a'.repeat(40), 'b'.repeat(40), ''];
    const list = unpackList(packList(ids), ids.length)!;
    expect(list.equals(0, 'a'.repeat(40))).toBe(true);
    expect(list.equals(0, 'a'.repeat(39))).toBe(false);
    expect(list.equals(1, 'a'.repeat(40))).toBe(false);
    expect(list.equals(2, '')).toBe(true);
    expect(list.equals(3, '')).toBe(false);
  });

  it('reads nothing from a text that does not hold exactly the count it is stored with', () => {
    const text = packList(['a', 'b', 'c']);
    expect(unpackList(text, 2)).toBeUndefined();
    expect(unpackList(text, 4)).toBeUndefined();
    expect(unpackList(text.slice(0, -1), 3)).toBeUndefined();
    expect(unpackList('', 0)?.length).toBe(0);
  });
});
