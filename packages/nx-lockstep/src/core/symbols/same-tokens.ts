import { TEMPORARY_NAME } from './emitted-module';

/**
 * Whether two versions of a TypeScript module have the same tokens, comments and layout aside:
 * then they parse to the same tree and emit the same JavaScript, and comparing them needs
 * neither a transpile nor the compiler. Used only as a shortcut to `none`: whenever it cannot be
 * sure, it answers false and the versions are emitted and compared as before.
 *
 * Each run of whitespace and comments becomes one space, or one newline when it holds a line
 * break (line breaks decide automatic semicolon insertion); everything else is kept as it is.
 * Only `.ts`, `.mts` and `.cts` files (no JSX, whose text keeps its spaces). Nothing is collapsed
 * where it could be part of a literal:
 * - strings are copied as they are; one that does not close on its line is given up on;
 * - template literals are copied as they are, `${…}` included; a `/` inside one is given up on;
 * - any other `/` may start a regular expression: the rest of its line is copied as it is, and a
 *   line that also holds a backtick, a block comment or a trailing backslash is given up on.
 */
export function sameTokens(fileName: string, before: string, after: string): boolean {
  if (!TOKEN_COMPARABLE.test(fileName) || fileName.endsWith('.d.ts')) return false;
  const left = tokenText(before);
  if (left === undefined || left !== tokenText(after)) return false;
  // The emitter keeps a compiler temporary's name (`_a`) when the source holds it, comments included.
  return temporaryNames(before) === temporaryNames(after);
}

function temporaryNames(text: string): string {
  return [...new Set(text.match(TEMPORARY_NAME) ?? [])].sort().join(' ');
}

const TOKEN_COMPARABLE = /\.[cm]?ts$/;

/** The text with comments and layout reduced as above, or undefined where unsure. */
export function tokenText(text: string): string | undefined {
  let out = '';
  let index = 0;
  const length = text.length;
  while (index < length) {
    const char = text.charCodeAt(index);
    if (
      isSpace(char) ||
      (char === SLASH && (text.charCodeAt(index + 1) === SLASH || text.charCodeAt(index + 1) === STAR))
    ) {
      const end = skipTrivia(text, index);
      if (end === undefined) return undefined;
      out += end.lineBreak ? '\n' : ' ';
      index = end.index;
    } else if (char === QUOTE || char === DOUBLE_QUOTE) {
      const end = skipString(text, index);
      if (end === undefined) return undefined;
      out += text.slice(index, end);
      index = end;
    } else if (char === BACKTICK) {
      const end = skipTemplate(text, index);
      if (end === undefined) return undefined;
      out += text.slice(index, end);
      index = end;
    } else if (char === SLASH) {
      // Division or a regular expression: keep the rest of the line verbatim.
      let end = index;
      while (end < length && !isLineBreak(text.charCodeAt(end))) end++;
      const line = text.slice(index, end);
      if (line.includes('`') || line.includes('/*') || line.endsWith('\\')) return undefined;
      out += line;
      index = end;
    } else {
      out += text[index++];
    }
  }
  return out;
}

/** Past a run of whitespace and comments; whether it held a line break. Undefined: an unclosed comment. */
function skipTrivia(text: string, start: number): { index: number; lineBreak: boolean } | undefined {
  let index = start;
  let lineBreak = false;
  while (index < text.length) {
    const char = text.charCodeAt(index);
    if (isSpace(char)) {
      if (isLineBreak(char)) lineBreak = true;
      index++;
    } else if (char === SLASH && text.charCodeAt(index + 1) === SLASH) {
      index += 2;
      while (index < text.length && !isLineBreak(text.charCodeAt(index))) index++;
    } else if (char === SLASH && text.charCodeAt(index + 1) === STAR) {
      const close = text.indexOf('*/', index + 2);
      if (close < 0) return undefined;
      for (let at = index + 2; at < close; at++) if (isLineBreak(text.charCodeAt(at))) lineBreak = true;
      index = close + 2;
    } else break;
  }
  return { index, lineBreak };
}

/** The index past a quoted string starting at `start`; undefined when it does not close on its line. */
function skipString(text: string, start: number): number | undefined {
  const quote = text.charCodeAt(start);
  let index = start + 1;
  while (index < text.length) {
    const char = text.charCodeAt(index);
    if (char === quote) return index + 1;
    if (char === BACKSLASH) index += 2;
    else if (isLineBreak(char)) return undefined;
    else index++;
  }
  return undefined;
}

/** The index past a template literal starting at `start` (its substitutions included); undefined where unsure. */
function skipTemplate(text: string, start: number): number | undefined {
  let index = start + 1;
  while (index < text.length) {
    const char = text.charCodeAt(index);
    if (char === BACKTICK) return index + 1;
    if (char === BACKSLASH) index += 2;
    else if (char === DOLLAR && text.charCodeAt(index + 1) === OPEN_BRACE) {
      const end = skipSubstitution(text, index + 2);
      if (end === undefined) return undefined;
      index = end;
    } else index++;
  }
  return undefined;
}

/** The index past the `}` closing a template substitution whose code starts at `start`. */
function skipSubstitution(text: string, start: number): number | undefined {
  let depth = 1;
  let index = start;
  while (index < text.length) {
    const char = text.charCodeAt(index);
    let end: number | undefined = index + 1;
    if (char === OPEN_BRACE) depth++;
    else if (char === CLOSE_BRACE) {
      if (--depth === 0) return index + 1;
    } else if (char === QUOTE || char === DOUBLE_QUOTE) end = skipString(text, index);
    else if (char === BACKTICK) end = skipTemplate(text, index);
    else if (char === SLASH) {
      const next = text.charCodeAt(index + 1);
      // Comments are skipped; any other slash may start a regular expression holding a brace.
      if (next !== SLASH && next !== STAR) return undefined;
      end = skipTrivia(text, index)?.index;
    }
    if (end === undefined) return undefined;
    index = end;
  }
  return undefined;
}

function isSpace(char: number): boolean {
  return char === 32 || char === 9 || char === 11 || char === 12 || isLineBreak(char);
}

/** Line terminators as JavaScript has them (U+2028 and U+2029 end a `//` comment too). */
function isLineBreak(char: number): boolean {
  return char === 10 || char === 13 || char === 0x2028 || char === 0x2029;
}

const SLASH = 47;
const STAR = 42;
const QUOTE = 39;
const DOUBLE_QUOTE = 34;
const BACKTICK = 96;
const BACKSLASH = 92;
const DOLLAR = 36;
const OPEN_BRACE = 123;
const CLOSE_BRACE = 125;
