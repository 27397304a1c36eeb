import { describe, expect, it } from 'vitest';
import { FailOnError, parseFailOn, rulesFor } from './fail-on';

describe('parseFailOn', () => {
  it('reads comma-separated rules, repeated flags and a blast-radius threshold', () => {
    expect(parseFailOn(['deployable-import, cycle', 'blast-radius>5'])).toEqual([
      { rule: 'deployable-import' },
      { rule: 'cycle' },
      { rule: 'blast-radius', threshold: 5 },
    ]);
  });

  it('keeps the last threshold when blast-radius is given twice', () => {
    expect(parseFailOn('blast-radius>5,blast-radius>2')).toEqual([{ rule: 'blast-radius', threshold: 2 }]);
  });

  it('refuses an unknown word, naming it and the known rules', () => {
    expect(() => parseFailOn('deployable-imports')).toThrow(FailOnError);
    expect(() => parseFailOn('deployable-imports')).toThrow(/"deployable-imports".*Known rules: deployable-import/);
    expect(() => parseFailOn('blast-radius')).toThrow(/needs a number of deployables/);
  });

  it('sends each rule to the command that checks it', () => {
    expect(rulesFor(parseFailOn('group-grew'), 'history')).toEqual([{ rule: 'group-grew' }]);
    expect(() => rulesFor(parseFailOn('group-grew,cycle'), 'report')).toThrow(
      /group-grew is checked by `lockstep history`/,
    );
    expect(() => rulesFor(parseFailOn('cycle'), 'history')).toThrow(/cycle is checked by `lockstep report`/);
  });
});
