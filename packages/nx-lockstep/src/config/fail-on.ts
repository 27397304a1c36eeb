/**
 * The coupling gate's rules (`--fail-on` of `lockstep report` and `lockstep history`), parsed in
 * one place so both commands accept and refuse the same words.
 *
 * - `deployable-import`: one deployable's code imported by another.
 * - `breaking-contract`: a breaking change to an export that crosses a deploy boundary.
 * - `blast-radius>N`: a library (or file) whose change would redeploy more than N deployables
 *   (at symbol precision, what lockstep would deploy).
 * - `cycle`: a dependency cycle between projects.
 * - `new-lockstep-group`: a group of deployables that deploy together and was not in the baseline.
 * - `group-grew`: a lock-step group of the baseline that gained members.
 */
export type FailOnRuleName =
  'deployable-import' | 'breaking-contract' | 'blast-radius' | 'cycle' | 'new-lockstep-group' | 'group-grew';

export interface FailOnRule {
  rule: FailOnRuleName;
  /** Only for `blast-radius`: fail when more than this many deployables redeploy. */
  threshold?: number;
}

export const FAIL_ON_RULES: readonly string[] = [
  'deployable-import',
  'breaking-contract',
  'blast-radius>N',
  'cycle',
  'new-lockstep-group',
  'group-grew',
];

const SIMPLE: ReadonlySet<string> = new Set([
  'deployable-import',
  'breaking-contract',
  'cycle',
  'new-lockstep-group',
  'group-grew',
]);
const BLAST_RADIUS = /^blast-radius\s*>\s*(\d+)$/;

export class FailOnError extends Error {
  override name = 'FailOnError';
}

/**
 * Parses `deployable-import,blast-radius>5` (comma-separated, repeated flags already joined).
 * Throws a FailOnError naming the word it did not understand and the words it knows.
 */
export function parseFailOn(text: string | readonly string[]): FailOnRule[] {
  const words = (typeof text === 'string' ? [text] : text)
    .flatMap((part) => part.split(','))
    .map((word) => word.trim())
    .filter((word) => word !== '');
  const rules = new Map<string, FailOnRule>();
  for (const word of words) {
    const rule = parseOne(word);
    rules.set(rule.rule, rule);
  }
  return [...rules.values()];
}

function parseOne(word: string): FailOnRule {
  if (SIMPLE.has(word)) return { rule: word as FailOnRuleName };
  const blast = BLAST_RADIUS.exec(word);
  if (blast) return { rule: 'blast-radius', threshold: Number(blast[1]) };
  const hint =
    word === 'blast-radius'
      ? ' blast-radius needs a number of deployables, e.g. "blast-radius>5" (quote it in a shell).'
      : '';
  throw new FailOnError(
    `Unknown --fail-on rule ${JSON.stringify(word)}.${hint} Known rules: ${FAIL_ON_RULES.join(', ')} ` +
      `(comma-separated, e.g. --fail-on "deployable-import,blast-radius>5").`,
  );
}

/** The rules a command can check; the others are refused with a message naming the command that can. */
export function rulesFor(rules: readonly FailOnRule[], command: 'report' | 'history'): FailOnRule[] {
  const history = new Set<FailOnRuleName>(['new-lockstep-group', 'group-grew']);
  const wrong = rules.filter((rule) => (command === 'history') !== history.has(rule.rule));
  if (wrong.length > 0) {
    const other = command === 'report' ? 'lockstep history' : 'lockstep report';
    throw new FailOnError(
      `--fail-on ${wrong.map((rule) => rule.rule).join(', ')} is checked by \`${other}\`, not \`lockstep ${command}\`.`,
    );
  }
  return [...rules];
}
