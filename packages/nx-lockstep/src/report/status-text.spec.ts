import { describe, expect, it } from 'vitest';
import type { StatusResult } from '../core/status-result';
import { statusText } from './status-text';

describe('statusText', () => {
  it('prints one aligned row per deployable and the reasons of pending ones', () => {
    const report: StatusResult = {
      version: 1,
      env: 'production',
      head: 'a'.repeat(40),
      precision: 'file',
      warnings: ['no git remote "origin": deploy markers are read from local tags only'],
      deployables: [
        {
          project: 'api',
          tag: 'lockstep/production/api',
          marker: { sha: 'b'.repeat(40), date: '2026-01-01T00:00:00.000Z' },
          age: '2d 1h',
          commitsSince: 3,
          pending: true,
          reasons: [{ kind: 'own-file-changed', file: 'apps/api/main.ts' }],
        },
        {
          project: 'web',
          tag: 'lockstep/production/web',
          marker: null,
          age: null,
          commitsSince: null,
          pending: true,
          reasons: [{ kind: 'never-deployed', env: 'production' }],
        },
        {
          project: 'worker',
          tag: 'lockstep/production/worker',
          marker: { sha: 'c'.repeat(40), date: null },
          age: 'unknown',
          commitsSince: null,
          pending: false,
          reasons: [],
        },
      ],
    };
    expect(statusText(report)).toBe(
      [
        'production @ aaaaaaaa (precision file)',
        '',
        'deployable  marker    deployed at               age      commits since  deploy pending',
        'api         bbbbbbbb  2026-01-01T00:00:00.000Z  2d 1h    3              yes',
        'web         -         -                         -        -              yes',
        'worker      cccccccc  -                         unknown  ?              no',
        '',
        'pending:',
        '  api:',
        '    - own file changed: apps/api/main.ts',
        '  web:',
        '    - never deployed to production (no marker)',
        'warning: no git remote "origin": deploy markers are read from local tags only',
        '',
      ].join('\n'),
    );
  });
});
