import { describe, expect, it } from 'vitest';
import { CONTRACT_CASES } from './__fixtures__/contract-cases';
import { markdownTable, runContractCase, score, type CaseOutcome } from './__fixtures__/run-contract-cases';

describe('findContractChanges on the labelled contract cases', () => {
  const outcomes: CaseOutcome[] = [];

  it('has at least 40 labelled cases, breaking and additive, in every area', () => {
    expect(CONTRACT_CASES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(CONTRACT_CASES.map((testCase) => testCase.id)).size).toBe(CONTRACT_CASES.length);
    for (const area of ['function', 'interface', 'class', 'enum', 'generic', 'overload', 're-export'] as const) {
      const inArea = CONTRACT_CASES.filter((testCase) => testCase.area === area);
      expect(
        inArea.some((testCase) => testCase.expected.breaking),
        area,
      ).toBe(true);
      expect(
        inArea.some((testCase) => !testCase.expected.breaking),
        area,
      ).toBe(true);
    }
  });

  it.each(CONTRACT_CASES.map((testCase) => [testCase.id, testCase] as const))('%s', (_id, testCase) => {
    const outcome = runContractCase(testCase);
    outcomes.push(outcome);
    const explain = `${testCase.change}\n${JSON.stringify(outcome.changes, null, 2)}`;
    if (testCase.knownMiss) {
      // Still wrong, for the reason given; when it starts passing, drop `knownMiss`.
      expect(outcome.got, explain).not.toEqual(testCase.expected);
      return;
    }
    expect(outcome.got, explain).toEqual(testCase.expected);
    expect(outcome.change?.detail.length ?? 0).toBeGreaterThan(20);
  });

  it('reports precision and recall of `breaking` over the set', () => {
    const result = score(outcomes);
    console.log(
      `contract cases: ${outcomes.length}, precision ${result.precision.toFixed(3)}, recall ${result.recall.toFixed(3)} ` +
        `(TP ${result.truePositives}, FP ${result.falsePositives}, FN ${result.falseNegatives}, TN ${result.trueNegatives})`,
    );
    const heldOut = score(outcomes.filter((outcome) => outcome.testCase.heldOut));
    console.log(
      `held-out cases: ${outcomes.filter((outcome) => outcome.testCase.heldOut).length}, precision ${heldOut.precision.toFixed(3)}, recall ${heldOut.recall.toFixed(3)}`,
    );
    // CONTRACT_TABLE=1 prints the table docs/contracts.md shows.
    if (process.env.CONTRACT_TABLE) console.log(markdownTable(outcomes));
    expect(outcomes.length).toBe(CONTRACT_CASES.length);
    // Every misclassification is a labelled known miss, and every known miss is still one.
    expect(result.misclassified.map((outcome) => outcome.testCase.id)).toEqual(
      CONTRACT_CASES.filter((testCase) => testCase.knownMiss).map((testCase) => testCase.id),
    );
  });
});
