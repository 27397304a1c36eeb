/**
 * The history gate: `--fail-on new-lockstep-group,group-grew` against the `history` key of
 * lockstep-baseline.json. A group matches the baseline group it shares the most members with
 * (two or more: the same coupling); a group with no match is new, a matched group with members
 * the baseline group lacked grew. Without a baseline every group is new.
 */
import type { HistoryBaseline } from './baseline';
import type { GateFinding, HistoryGate } from './history-result';

type HistoryRule = HistoryGate['rules'][number];

export function historyGate(
  groups: ReadonlyArray<readonly string[]>,
  /** The `--fail-on` rule names given (others are ignored here: `rulesFor` refused them already). */
  rules: readonly string[],
  baseline: HistoryBaseline | undefined,
): HistoryGate {
  const checked = rules.filter((rule): rule is HistoryRule => rule === 'new-lockstep-group' || rule === 'group-grew');
  const findings: GateFinding[] = [];
  for (const group of groups) {
    const match = bestMatch(group, baseline?.groups ?? []);
    if (!match) {
      if (checked.includes('new-lockstep-group'))
        findings.push({
          rule: 'new-lockstep-group',
          group: [...group],
          message: `new lock-step group: ${group.join(', ')} deploy together${baseline ? ' and the baseline has no such group' : ' (no baseline yet: every group is new; accept the current ones with --update-baseline)'}`,
        });
      continue;
    }
    const added = group.filter((project) => !match.includes(project));
    if (added.length > 0 && checked.includes('group-grew'))
      findings.push({
        rule: 'group-grew',
        group: [...group],
        added,
        baseline: [...match],
        message: `lock-step group grew: ${added.join(', ')} now deploy${added.length === 1 ? 's' : ''} with ${match.join(', ')}`,
      });
  }
  return { rules: checked, baseline: baseline !== undefined, findings, passed: findings.length === 0 };
}

/** The baseline group sharing the most members (at least two), the first on a tie. */
function bestMatch(
  group: readonly string[],
  baseline: ReadonlyArray<readonly string[]>,
): readonly string[] | undefined {
  let best: readonly string[] | undefined;
  let bestOverlap = 1;
  for (const candidate of baseline) {
    const overlap = candidate.filter((project) => group.includes(project)).length;
    if (overlap > bestOverlap) [best, bestOverlap] = [candidate, overlap];
  }
  return best;
}

/** The `history` key to write with --update-baseline. */
export function historyBaseline(groups: ReadonlyArray<readonly string[]>): HistoryBaseline {
  return { groups: groups.map((group) => [...group].sort()) };
}
