import { describe, expect, it } from 'vitest';
import {
  describeDeclaration,
  describeReason,
  formatReasonLine,
  publicDeclarationId,
  summarizeReason,
} from './format-reason';
import type { Reason } from './result';
import { MODULE_LOAD, PACKAGE_RESOLUTION } from './symbols';

const imported: Reason = {
  kind: 'imported-file-changed',
  file: 'libs/money/src/lib/currency.ts',
  via: ['apps/api/src/main.ts', 'libs/money/src/index.ts', 'libs/money/src/lib/currency.ts'],
  declarations: ['formatMoney', 'export:Money', '#8'],
};

describe('reason formatting', () => {
  it('one reason, three lengths: table cell, CI log line with the full chain, explain lines', () => {
    expect(summarizeReason(imported)).toBe(
      'imported file changed: libs/money/src/lib/currency.ts (2 imports from apps/api/src/main.ts)',
    );
    expect(formatReasonLine(imported)).toBe(
      'imported file changed: libs/money/src/lib/currency.ts (changed: `formatMoney`, export `Money` now points elsewhere, ' +
        'top-level statement 9 that runs on load; via apps/api/src/main.ts → libs/money/src/index.ts → libs/money/src/lib/currency.ts)',
    );
    expect(describeReason(imported)).toEqual([
      'imported file changed: libs/money/src/lib/currency.ts (2 imports from apps/api/src/main.ts)',
      '  import chain:',
      '      apps/api/src/main.ts',
      '    → libs/money/src/index.ts',
      '    → libs/money/src/lib/currency.ts',
      '  changed: `formatMoney`, export `Money` now points elsewhere, top-level statement 9 that runs on load',
    ]);
  });

  it("renders the symbol engine's pseudo declaration ids for a person", () => {
    // The formatter matches the ids as text (it must not load the symbol engine): keep them in step.
    expect(MODULE_LOAD).toBe('#load');
    expect(PACKAGE_RESOLUTION).toBe('#resolution');
    expect(describeDeclaration('#load')).toBe("the module's side effects or load order");
    expect(describeDeclaration('#resolution', 'libs/money/package.json')).toBe(
      'which file an import of this package loads',
    );
    expect(describeDeclaration('export:formatMoney')).toBe('export `formatMoney` now points elsewhere');
    expect(describeDeclaration('load:./polyfills')).toBe('import of `./polyfills` added or removed');
    expect(describeDeclaration('#0')).toBe('top-level statement 1 that runs on load');
    expect(describeDeclaration('main', 'libs/money/package.json')).toBe('field `main`');
    expect(describeDeclaration('main', 'libs/money/src/main.ts')).toBe('`main`');
  });

  it('every kind has a line a person can read, with its detail', () => {
    const lines = (
      [
        { kind: 'own-file-changed', file: 'apps/api/Dockerfile' },
        { kind: 'dependency-project-changed', project: 'db', file: 'libs/db/src/client.ts', via: ['api', 'db'] },
        {
          kind: 'external-package-changed',
          package: 'express',
          from: '4.18.2',
          to: '4.19.0',
          lockfile: 'package-lock.json',
          importedBy: 'apps/api/src/main.ts',
        },
        { kind: 'external-package-changed', package: 'zod', from: null, to: '3.23.0', lockfile: 'package-lock.json' },
        { kind: 'global-input-changed', file: 'tsconfig.base.json', detail: 'compilerOptions changed: target' },
        { kind: 'never-deployed', env: 'staging' },
        { kind: 'base-unavailable', base: 'a'.repeat(40), hint: 'fetch full history (fetch-depth: 0)' },
        {
          kind: 'analysis-uncertain',
          file: 'apps/api/src/main.ts',
          detail: 'cannot resolve ./gone',
          via: ['apps/api/src/main.ts'],
        },
        { kind: 'analysis-uncertain', file: '', detail: 'the analysis failed: boom' },
        { kind: 'forced' },
      ] satisfies Reason[]
    ).map(formatReasonLine);
    expect(lines).toEqual([
      'own file changed: apps/api/Dockerfile',
      'dependency project db changed: libs/db/src/client.ts (via api → db)',
      'package express 4.18.2 → 4.19.0 in package-lock.json (imported by apps/api/src/main.ts)',
      'package zod added at 3.23.0 in package-lock.json',
      'global input changed: tsconfig.base.json (compilerOptions changed: target)',
      'never deployed to staging (no marker)',
      'base aaaaaaaaaaaa unavailable: fetch full history (fetch-depth: 0)',
      'analysis uncertain at apps/api/src/main.ts: cannot resolve ./gone',
      'analysis uncertain: the analysis failed: boom',
      'forced (--force)',
    ]);
  });
});

describe('declaration ids in the result', () => {
  it('become words, statements numbered from 1 as in the text output', () => {
    expect(publicDeclarationId('#4')).toBe('statement-5');
    expect(publicDeclarationId(MODULE_LOAD)).toBe('module-load');
    expect(publicDeclarationId(PACKAGE_RESOLUTION)).toBe('package-resolution');
    expect(publicDeclarationId('load:@ws/util')).toBe('import:@ws/util');
    expect(publicDeclarationId('formatMoney')).toBe('formatMoney');
    expect(publicDeclarationId('export:Money')).toBe('export:Money');
  });

  it('read the same in text as the internal ids did', () => {
    for (const id of ['#4', MODULE_LOAD, PACKAGE_RESOLUTION, 'load:@ws/util'])
      expect(describeDeclaration(publicDeclarationId(id))).toBe(describeDeclaration(id));
    expect(describeDeclaration('statement-5')).toBe('top-level statement 5 that runs on load');
  });
});
