/**
 * Why a lock-step group deploys together, ranked: in each commit that deploys two or more of its
 * members, the causes two or more of them share — a change to the same project's code (a shared
 * library, down to its files and the symbols used), the same package or global input — and
 * commits that changed two or more members' own code at once (functionality scattered across
 * services). The first kind is fixed in code (split the library, a contract), the second in how
 * work is sliced.
 */
import type { DeployCause, GroupCause, HistoryCommit } from './history-result';

const EXAMPLES = 5;

export function groupCauses(
  group: readonly string[],
  commits: readonly HistoryCommit[],
): { commits: number; causes: GroupCause[] } {
  const members = new Set(group);
  const tallies = new Map<string, Tally>();
  let together = 0;
  for (const commit of commits) {
    const deployed = commit.lockstep.filter((project) => members.has(project));
    if (deployed.length < 2) continue;
    together++;
    // cause key → the members it deployed in this commit, and the cause from each.
    const byKey = new Map<string, Array<{ project: string; cause: DeployCause }>>();
    for (const project of deployed)
      for (const cause of commit.causes[project] ?? []) {
        const key = causeKey(cause);
        if (key) byKey.set(key, [...(byKey.get(key) ?? []), { project, cause }]);
      }
    for (const [key, hits] of byKey) {
      // Two members must share it: one member's two files of a library couple nothing.
      if (new Set(hits.map((hit) => hit.project)).size < 2) continue;
      let tally = tallies.get(key);
      if (!tally) tallies.set(key, (tally = newTally(hits[0].cause)));
      tally.commits++;
      for (const hit of hits) tally.deployables.add(hit.project);
      tally.examples.push({ sha: commit.sha, subject: commit.subject });
      const files = new Map<string, Set<string>>();
      for (const { cause } of hits)
        if (cause.kind === 'shared-code') {
          const symbols = files.get(cause.file) ?? new Set<string>();
          for (const symbol of cause.symbols ?? []) symbols.add(symbol);
          files.set(cause.file, symbols);
        }
      for (const [file, symbols] of files) {
        const known = tally.files.get(file) ?? { commits: 0, symbols: new Set<string>() };
        known.commits++;
        for (const symbol of symbols) known.symbols.add(symbol);
        tally.files.set(file, known);
      }
    }
  }
  const causes = [...tallies.values()].map(toGroupCause);
  causes.sort((x, y) => y.commits - x.commits || rank(x) - rank(y) || label(x).localeCompare(label(y)));
  return { commits: together, causes };
}

interface Tally {
  cause: DeployCause;
  commits: number;
  deployables: Set<string>;
  examples: Array<{ sha: string; subject: string }>;
  files: Map<string, { commits: number; symbols: Set<string> }>;
}

function newTally(cause: DeployCause): Tally {
  return { cause, commits: 0, deployables: new Set(), examples: [], files: new Map() };
}

/** What two members' causes must share to be one cause of the group; `other` (safety rules) is no coupling. */
function causeKey(cause: DeployCause): string | undefined {
  switch (cause.kind) {
    case 'own':
      return 'scattered';
    case 'shared-code':
      return `project:${cause.project}`;
    case 'external-package':
      return `package:${cause.package}`;
    case 'global-input':
      return `global:${cause.file}`;
    default:
      return undefined;
  }
}

function toGroupCause(tally: Tally): GroupCause {
  const deployables = [...tally.deployables].sort();
  const { cause, commits } = tally;
  switch (cause.kind) {
    case 'own':
      return { kind: 'scattered', commits, deployables, examples: tally.examples.slice(-EXAMPLES).reverse() };
    case 'shared-code':
      return {
        kind: 'shared-code',
        project: cause.project,
        commits,
        deployables,
        files: [...tally.files]
          .map(([file, { commits: count, symbols }]) => ({ file, commits: count, symbols: [...symbols].sort() }))
          .sort((x, y) => y.commits - x.commits || x.file.localeCompare(y.file)),
      };
    case 'external-package':
      return { kind: 'external-package', package: cause.package, commits, deployables };
    case 'global-input':
      return { kind: 'global-input', file: cause.file, commits, deployables };
    default:
      throw new Error(`no group cause for ${cause.kind}`);
  }
}

/** Structural causes before scattered ones at equal counts: they are fixed in code. */
function rank(cause: GroupCause): number {
  return ['shared-code', 'external-package', 'global-input', 'scattered'].indexOf(cause.kind);
}

function label(cause: GroupCause): string {
  switch (cause.kind) {
    case 'shared-code':
      return cause.project;
    case 'external-package':
      return cause.package;
    case 'global-input':
      return cause.file;
    case 'scattered':
      return '';
  }
}
