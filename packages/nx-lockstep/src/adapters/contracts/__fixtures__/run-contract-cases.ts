import type { ContractChange, ContractChangeKind } from '../../../core/coupling/contract-change';
import { findContractChanges } from '../find-contract-changes';
import type { ContractCase } from './contract-cases';

const ROOT = 'libs/shared';

export interface CaseOutcome {
  testCase: ContractCase;
  /** The change reported for the case's export; undefined when none was. */
  change?: ContractChange;
  /** All changes reported for the case's library. */
  changes: ContractChange[];
  got: { kind: ContractChangeKind | 'none'; breaking: boolean };
}

const reader = (files: Record<string, string>) => (path: string) =>
  path.startsWith(`${ROOT}/src/`) ? files[path.slice(`${ROOT}/src/`.length)] : undefined;

/** Runs the classifier on one labelled case, as a library `shared` whose entry is src/index.ts. */
export function runContractCase(testCase: ContractCase): CaseOutcome {
  const changes = findContractChanges({
    libraries: [
      {
        project: 'shared',
        root: ROOT,
        entryFiles: [`${ROOT}/src/index.ts`],
        readBase: reader(testCase.base),
        readHead: reader(testCase.head),
      },
    ],
  });
  const change = changes.find((candidate) => candidate.exportName === testCase.exportName);
  return {
    testCase,
    change,
    changes,
    got: change ? { kind: change.kind, breaking: change.breaking } : { kind: 'none', breaking: false },
  };
}

export interface Score {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  precision: number;
  recall: number;
  misclassified: CaseOutcome[];
}

/** Precision and recall of `breaking` over the outcomes, and every case whose label differs. */
export function score(outcomes: CaseOutcome[]): Score {
  const count = (expected: boolean, got: boolean) =>
    outcomes.filter((outcome) => outcome.testCase.expected.breaking === expected && outcome.got.breaking === got)
      .length;
  const truePositives = count(true, true);
  const falsePositives = count(false, true);
  const falseNegatives = count(true, false);
  return {
    truePositives,
    falsePositives,
    falseNegatives,
    trueNegatives: count(false, false),
    precision: truePositives / Math.max(1, truePositives + falsePositives),
    recall: truePositives / Math.max(1, truePositives + falseNegatives),
    misclassified: outcomes.filter(
      (outcome) =>
        outcome.testCase.expected.breaking !== outcome.got.breaking ||
        outcome.testCase.expected.kind !== outcome.got.kind,
    ),
  };
}

/** The labelled set as a Markdown table (docs/contracts.md): case, area, label, what the classifier said. */
export function markdownTable(outcomes: CaseOutcome[]): string {
  const label = (kind: string, breaking: boolean) => `${kind}${breaking ? ' (breaking)' : ''}`;
  const cell = (text: string) => (text.length > 240 ? `${text.slice(0, 239)}…` : text).replace(/\|/g, '\\|');
  const rows = outcomes.map(({ testCase, got, change }) => {
    const agrees = testCase.expected.kind === got.kind && testCase.expected.breaking === got.breaking;
    return [
      `${testCase.id}${testCase.heldOut ? ' *' : ''}`,
      testCase.area,
      testCase.change,
      label(testCase.expected.kind, testCase.expected.breaking),
      agrees
        ? '✓'
        : `✗ ${label(got.kind, got.breaking)}${testCase.knownMiss ? ` — known miss: ${testCase.knownMiss}` : ''}`,
      change?.detail ?? '',
    ]
      .map(cell)
      .join(' | ');
  });
  return [
    '| case | area | change | label | classifier | detail |',
    '|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}
