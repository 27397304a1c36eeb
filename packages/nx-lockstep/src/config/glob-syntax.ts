/**
 * A cheap syntax check for user-supplied globs. micromatch never throws on a malformed glob — an
 * unbalanced `{` or `[` silently matches nothing — so a typo in nx.json would quietly make a
 * deployable disappear. Catching it up front turns that into a clear error.
 *
 * Returns a description of the problem, or undefined when the glob looks well-formed.
 */
export function findGlobSyntaxError(glob: string): string | undefined {
  if (glob.trim() === '') return 'it is empty';
  if (glob.startsWith('/')) return 'it is absolute; globs are relative to the project or workspace root';

  const closers: Record<string, string> = { '{': '}', '[': ']', '(': ')' };
  const open: string[] = [];
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i];
    if (char === '\\') {
      i++; // an escaped character never opens or closes a group
      continue;
    }
    if (open[open.length - 1] === '[') {
      // Inside a character class only `]` is special (a leading `]` or `!]`/`^]` is literal).
      if (char === ']' && !/^\[[!^]?$/.test(glob.slice(glob.lastIndexOf('[', i - 1), i))) open.pop();
      continue;
    }
    if (char in closers) open.push(char);
    else if (char === '}' || char === ']' || char === ')') {
      const expected = open.pop();
      if (expected === undefined || closers[expected] !== char) {
        return `"${char}" at position ${i + 1} has no matching opening bracket`;
      }
    }
  }
  if (open.length > 0) {
    const last = open[open.length - 1];
    return `"${last}" is never closed with "${closers[last]}"`;
  }
  return undefined;
}
