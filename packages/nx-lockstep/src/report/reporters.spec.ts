import { describe, expect, it } from 'vitest';
import type { AffectedResult } from '../core/result';
import { REPORT_FORMATS, REPORTERS, renderReport } from './reporters';

const head = 'a'.repeat(40);
const result: AffectedResult = {
  version: 1,
  head,
  precision: 'symbol',
  deployables: [
    {
      project: 'api',
      base: 'b'.repeat(40),
      affected: true,
      reasons: [
        { kind: 'own-file-changed', file: 'apps/api/src/main.ts' },
        { kind: 'never-deployed', env: 'staging' },
      ],
    },
    {
      project: 'web',
      base: null,
      affected: false,
      reasons: [],
      changesNotShipped: [
        { file: 'libs/ui/src/a.ts', via: ['apps/web/src/main.ts', 'libs/ui/src/a.ts'], because: 'no-runtime-change' },
      ],
    },
  ],
  warnings: ['uncommitted changes are ignored'],
};

describe('reporters', () => {
  it('registers a text and a JSON reporter for every command', () => {
    for (const kind of Object.keys(REPORTERS) as (keyof typeof REPORTERS)[]) {
      expect(Object.keys(REPORTERS[kind])).toEqual(expect.arrayContaining(['text', 'json']));
      for (const format of Object.keys(REPORTERS[kind])) expect(REPORT_FORMATS).toContain(format);
    }
  });

  it('affected text: one row per deployable with its first reason and how many more', () => {
    expect(renderReport('affected', 'text', result)).toBe(
      [
        'head aaaaaaaaaaaa, precision symbol',
        '',
        'DEPLOYABLE  AFFECTED  REASON',
        'api         yes       own file changed: apps/api/src/main.ts (+1 more)',
        'web         no        -',
        '',
        '1 of 2 deployables affected',
        'warning: uncommitted changes are ignored',
        '',
      ].join('\n'),
    );
  });

  it('explain text: the named deployable, every reason numbered, the changes it does not ship', () => {
    expect(renderReport('explain', 'text', result, { project: 'web' })).toBe(
      [
        'web: not affected — no deploy needed',
        `  base (none)  head ${head}  precision symbol`,
        '',
        'No change between base and head reaches what this deployable ships.',
        '',
        'Changed, imported, but not shipped (symbol precision):',
        '- libs/ui/src/a.ts: no change to its runtime code (comments, types or layout only)',
        '    import chain:',
        '        apps/web/src/main.ts',
        '      → libs/ui/src/a.ts',
        'warning: uncommitted changes are ignored',
        '',
      ].join('\n'),
    );
    expect(() => renderReport('explain', 'text', result, { project: 'nope' })).toThrow(
      'explain: no decision for nope in the result (it has: api, web)',
    );
  });

  it('JSON: the result as is, and explain narrowed to its deployable', () => {
    expect(JSON.parse(renderReport('affected', 'json', result))).toEqual(result);
    expect(renderReport('affected', 'json', result).endsWith('}\n')).toBe(true);
    expect(JSON.parse(renderReport('explain', 'json', result, { project: 'api' }))).toEqual({
      ...result,
      deployables: [result.deployables[0]],
    });
  });
});
