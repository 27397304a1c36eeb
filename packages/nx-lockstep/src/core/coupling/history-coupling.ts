/**
 * Co-deploy coupling, code-maat's logical coupling applied to deploys instead of file changes:
 * for a pair of deployables, degree = commits deploying both ÷ the mean of their deploy counts.
 * A pair counts when each deployed at least `minDeploys` times, they deployed together at least
 * `minShared` times and the degree is at least `minDegree`; commits deploying more than
 * `maxDeployables` are left out (a mass change says nothing about how two services are coupled).
 * Lock-step groups are the connected components of the pairs that count.
 */
import type { CoupledPair, CouplingOptions } from './history-result';

/** Pairs above the thresholds, highest degree first (then most shared, then names). */
export function coupledPairs(deploySets: ReadonlyArray<readonly string[]>, options: CouplingOptions): CoupledPair[] {
  const counted = deploySets.filter((set) => set.length <= options.maxDeployables);
  const deploys = new Map<string, number>();
  const shared = new Map<string, number>();
  for (const set of counted) {
    const sorted = [...new Set(set)].sort();
    for (const project of sorted) deploys.set(project, (deploys.get(project) ?? 0) + 1);
    for (let i = 0; i < sorted.length; i++)
      for (let j = i + 1; j < sorted.length; j++) {
        const key = `${sorted[i]}\0${sorted[j]}`;
        shared.set(key, (shared.get(key) ?? 0) + 1);
      }
  }
  const pairs: CoupledPair[] = [];
  for (const [key, together] of shared) {
    const [a, b] = key.split('\0');
    const aDeploys = deploys.get(a) ?? 0;
    const bDeploys = deploys.get(b) ?? 0;
    const degree = together / ((aDeploys + bDeploys) / 2);
    if (aDeploys < options.minDeploys || bDeploys < options.minDeploys) continue;
    if (together < options.minShared || degree < options.minDegree) continue;
    pairs.push({ a, b, shared: together, aDeploys, bDeploys, degree: Math.round(degree * 1000) / 1000 });
  }
  return pairs.sort(
    (x, y) => y.degree - x.degree || y.shared - x.shared || x.a.localeCompare(y.a) || x.b.localeCompare(y.b),
  );
}

/** Connected components of the pairs, each sorted, largest first (then by first name). */
export function lockstepGroups(pairs: readonly CoupledPair[]): string[][] {
  const parent = new Map<string, string>();
  const find = (node: string): string => {
    let root = node;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(node, root);
    return root;
  };
  for (const { a, b } of pairs) {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const [ra, rb] = [find(a), find(b)];
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const groups = new Map<string, string[]>();
  for (const node of parent.keys()) {
    const root = find(node);
    groups.set(root, [...(groups.get(root) ?? []), node]);
  }
  return [...groups.values()]
    .map((members) => members.sort())
    .sort((x, y) => y.length - x.length || x[0].localeCompare(y[0]));
}
