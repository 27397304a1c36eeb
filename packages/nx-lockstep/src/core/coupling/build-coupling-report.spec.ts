import { describe, expect, it } from 'vitest';
import { BASE_COMMIT, HEAD_COMMIT } from '../model/__fixtures__/in-memory-model';
import { COUPLING_FILES as FILES, couplingShop as shop } from './__fixtures__/coupling-shop';
import { buildCouplingReport, contractLibrariesOf } from './build-coupling-report';
import type { ContractChange } from './contract-change';
import { applyGate, baselineOf } from './gate';
import { parseFailOn } from '../../config/fail-on';

describe('buildCouplingReport (pure, on an in-memory model)', () => {
  it('section 1: a deployable importing another deployable’s file, with the line, chain, symbols and the move', () => {
    const report = buildCouplingReport(shop().build());
    expect(report.deployableImports).toEqual([
      {
        from: 'web',
        to: 'api',
        file: 'apps/api/src/prices.ts',
        importer: 'apps/web/src/main.ts',
        line: 2,
        specifier: '../../api/src/prices',
        via: ['apps/web/src/main.ts', 'apps/api/src/prices.ts'],
        symbols: ['price'],
        suggestion: {
          move: 'library',
          text: 'move price from apps/api/src/prices.ts into a library that web and api both import, so a change to api no longer redeploys web',
        },
      },
    ]);
    expect(report.findings.filter((finding) => finding.rule === 'deployable-import')).toEqual([
      {
        rule: 'deployable-import',
        level: 'error',
        fingerprint: 'deployable-import:web:apps/web/src/main.ts->apps/api/src/prices.ts',
        message:
          "web imports api's apps/api/src/prices.ts (price): a change to it redeploys both. Suggested: move price from apps/api/src/prices.ts into a library that web and api both import, so a change to api no longer redeploys web.",
        file: 'apps/web/src/main.ts',
        line: 2,
      },
    ]);
  });

  it('section 2: blast radius per library and file at project and symbol precision, and per barrel export', () => {
    const { blastRadius } = buildCouplingReport(shop().build());
    expect(blastRadius.libraries).toEqual([
      {
        id: 'util',
        project: 'util',
        file: 'libs/util/project.json',
        projectPrecision: ['api', 'web'],
        symbolPrecision: ['api', 'web'],
      },
      // api imports only a type from contracts, web reaches it only through api's project: Nx
      // redeploys both, lockstep neither.
      {
        id: 'contracts',
        project: 'contracts',
        file: 'libs/contracts/project.json',
        projectPrecision: ['api', 'web', 'worker'],
        symbolPrecision: ['worker'],
      },
      { id: 'a', project: 'a', file: 'libs/a/project.json', projectPrecision: ['worker'], symbolPrecision: ['worker'] },
      { id: 'b', project: 'b', file: 'libs/b/project.json', projectPrecision: ['worker'], symbolPrecision: ['worker'] },
    ]);
    expect(blastRadius.hotFiles.map((entry) => [entry.id, entry.symbolPrecision])).toEqual([
      ['libs/util/src/greet.ts', ['api', 'web']],
      ['libs/util/src/index.ts', ['api', 'web']],
      ['libs/contracts/src/index.ts', ['worker']],
      ['libs/util/src/text.ts', ['web']],
      ['libs/a/src/index.ts', ['worker']],
      ['libs/b/src/index.ts', ['worker']],
    ]);
    expect(blastRadius.barrels).toEqual([
      {
        file: 'libs/util/src/index.ts',
        project: 'util',
        usedBy: ['api', 'web'],
        exports: [
          { name: 'greet', usedBy: ['api', 'web'] },
          { name: 'shout', usedBy: ['web'] },
          { name: 'slug', usedBy: [] },
        ],
      },
    ]);
  });

  it('section 3: attaches consumers to injected contract changes and reports a changed OpenAPI file', () => {
    const model = shop()
      .change({ 'libs/contracts/openapi.yaml': FILES['libs/contracts/openapi.yaml'].replace('1.0.0', '1.1.0') })
      .build();
    expect(contractLibrariesOf(model)).toEqual([
      { project: 'contracts', root: 'libs/contracts', deployables: ['api', 'web', 'worker'], tagged: true },
      { project: 'util', root: 'libs/util', deployables: ['api', 'web'], tagged: false },
    ]);
    const removed: ContractChange = {
      project: 'contracts',
      file: 'libs/contracts/src/index.ts',
      line: 1,
      exportName: 'Order',
      kind: 'changed-export',
      breaking: true,
      detail: 'property `id` changed from string to number',
    };
    const added: ContractChange = {
      ...removed,
      exportName: 'cancel',
      kind: 'added-export',
      breaking: false,
      detail: 'new export',
    };
    const report = buildCouplingReport(model, { base: BASE_COMMIT, contractChanges: [added, removed] });
    expect(report.base).toBe(BASE_COMMIT);
    expect(report.head).toBe(HEAD_COMMIT);
    expect(report.contracts.classified).toBe(true);
    expect(report.contracts.contractChanges).toEqual([
      // A type-only import is a consumer of a type: its build breaks.
      { ...removed, consumers: [{ deployable: 'api', file: 'apps/api/src/main.ts', line: 2 }] },
      {
        project: 'contracts',
        file: 'libs/contracts/openapi.yaml',
        line: 1,
        exportName: '',
        kind: 'contract-file-changed',
        breaking: false,
        detail: 'OpenAPI modified: not classified; review it for breaking changes before its consumers deploy',
        consumers: [
          { deployable: 'api', file: 'apps/api/src/main.ts', line: 2 },
          // web depends on contracts only through api's project: pointed at its config file.
          { deployable: 'web', file: 'apps/web/project.json', line: 1 },
          { deployable: 'worker', file: 'apps/worker/src/main.ts', line: 1 },
        ],
      },
      { ...added, consumers: [] },
    ]);
    expect(report.findings.filter((finding) => finding.rule === 'breaking-contract')).toEqual([
      {
        rule: 'breaking-contract',
        level: 'error',
        fingerprint: 'breaking-contract:contracts:Order:changed-export',
        message: 'changed-export contracts:Order: property `id` changed from string to number (consumed by api)',
        file: 'libs/contracts/src/index.ts',
        line: 1,
      },
      {
        rule: 'breaking-contract',
        level: 'error',
        fingerprint: 'breaking-contract:contracts:Order:changed-export:api:apps/api/src/main.ts',
        message: 'api uses contracts:Order here, which changed: property `id` changed from string to number',
        file: 'apps/api/src/main.ts',
        line: 2,
      },
    ]);
  });

  it('no range, no contract changes: injected ones are ignored without --base', () => {
    const report = buildCouplingReport(shop().build(), {});
    expect(report.contracts.contractChanges).toEqual([]);
    expect(report.contracts.classified).toBe(false);
  });

  it('section 4: a cycle between projects, located at the import that starts it', () => {
    expect(buildCouplingReport(shop().build()).cycles).toEqual([
      { projects: ['a', 'b'], path: ['a', 'b', 'a'], file: 'libs/a/src/index.ts', line: 1 },
    ]);
  });

  it('gate: fails on new findings, passes on the ones the baseline accepted', () => {
    const report = buildCouplingReport(shop().build(), { blastRadiusThreshold: 1 });
    const rules = parseFailOn('deployable-import,cycle,blast-radius>1');
    const first = applyGate(report, rules, undefined);
    expect(first.failed).toBe(true);
    expect(first.failures.map((failure) => failure.fingerprint)).toEqual([
      'deployable-import:web:apps/web/src/main.ts->apps/api/src/prices.ts',
      'cycle:a,b',
      'blast-radius:util',
    ]);
    const accepted = applyGate(report, rules, baselineOf(report));
    expect(accepted).toEqual({
      rules: ['deployable-import', 'cycle', 'blast-radius>1'],
      failed: false,
      failures: [],
      accepted: 3,
    });
    // A blast radius that grew past the baseline's fails again.
    const grown = applyGate(report, rules, { ...baselineOf(report), blastRadius: { util: 1 } });
    expect(grown.failures).toEqual([
      {
        rule: 'blast-radius',
        fingerprint: 'blast-radius:util',
        message: 'a change to util redeploys 2 deployables, more than 1 (the baseline accepted 1)',
      },
    ]);
  });
});
