import { describe, expect, it } from 'vitest';
import { BaselineError, formatBaseline, parseBaseline, withSection } from './baseline';

describe('baseline', () => {
  it('replaces one command section and keeps the other', () => {
    const now = new Date('2026-12-03T00:00:00Z');
    const first = withSection(undefined, 'history', { groups: [['api', 'web']] }, now);
    const both = withSection(first, 'report', { findings: ['deployable-import/abc'] }, now);
    expect(parseBaseline(formatBaseline(both))).toEqual({
      version: 1,
      updated: '2026-12-03T00:00:00.000Z',
      history: { groups: [['api', 'web']] },
      report: { findings: ['deployable-import/abc'] },
    });
  });

  it('names the fix for a file that is not a baseline', () => {
    expect(() => parseBaseline('{', 'lockstep-baseline.json')).toThrow(BaselineError);
    expect(() => parseBaseline('{"version":7}')).toThrow(/Delete it and rerun with --update-baseline/);
  });
});
