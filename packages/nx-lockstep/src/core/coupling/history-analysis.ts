/**
 * `lockstep history` from the replayed commits, pure: deploys saved (lockstep vs Nx vs lock-step,
 * everything every commit), co-deploy coupling and lock-step groups with their ranked causes,
 * and drift per window of commits.
 */
import { coupledPairs, lockstepGroups } from './history-coupling';
import { groupCauses } from './history-group-causes';
import {
  DEFAULT_HISTORY_OPTIONS,
  HISTORY_RESULT_VERSION,
  type DeploysOfDeployable,
  type DriftWindow,
  type HistoryCommit,
  type HistoryOptions,
  type HistoryReplay,
  type HistoryResult,
  type LockstepGroup,
} from './history-result';

export function analyzeHistory(replay: HistoryReplay, options: Partial<HistoryOptions> = {}): HistoryResult {
  const settings: HistoryOptions = { ...DEFAULT_HISTORY_OPTIONS, ...options };
  const { commits } = replay;
  const deployables = deploysSaved(replay);
  const pairs = coupledPairs(
    commits.map((commit) => commit.lockstep),
    settings,
  );
  const counted = commits.filter((commit) => commit.lockstep.length <= settings.maxDeployables);
  const groups: LockstepGroup[] = lockstepGroups(pairs).map((members) => ({
    deployables: members,
    pairs: pairs.filter((pair) => members.includes(pair.a)),
    ...groupCauses(members, counted),
  }));
  const nxGroups = lockstepGroups(
    coupledPairs(
      commits.map((commit) => commit.nx),
      settings,
    ),
  ).map((members) => ({ deployables: members }));
  return {
    version: HISTORY_RESULT_VERSION,
    head: replay.head,
    precision: replay.precision,
    range: {
      from: commits[0]?.sha ?? null,
      to: commits.at(-1)?.sha ?? null,
      commits: commits.length,
      ...(replay.since ? { since: replay.since } : {}),
    },
    options: settings,
    totals: {
      commits: commits.length,
      lockstep: sum(deployables.map((entry) => entry.lockstep)),
      nx: sum(deployables.map((entry) => entry.nx)),
      lockStep: sum(deployables.map((entry) => entry.lockStep)),
    },
    deployables,
    pairs,
    groups,
    nxGroups,
    drift: drift(commits, settings),
    commits,
    ...(replay.warnings?.length ? { warnings: replay.warnings } : {}),
  };
}

/** Per deployable: deploys by lockstep, by Nx, and by lock-step deployment (every commit it existed in). */
function deploysSaved(replay: HistoryReplay): DeploysOfDeployable[] {
  const rows = new Map<string, DeploysOfDeployable>();
  const row = (project: string) => {
    let entry = rows.get(project);
    if (!entry) rows.set(project, (entry = { project, lockstep: 0, nx: 0, lockStep: 0 }));
    return entry;
  };
  for (const [project, commits] of Object.entries(replay.present)) row(project).lockStep = commits;
  for (const commit of replay.commits) {
    for (const project of commit.lockstep) row(project).lockstep++;
    for (const project of commit.nx) row(project).nx++;
  }
  return [...rows.values()].sort(
    (x, y) => y.nx - y.lockstep - (x.nx - x.lockstep) || x.project.localeCompare(y.project),
  );
}

/** Deploys per commit and the largest group, per window of `window` commits (oldest first). */
function drift(commits: readonly HistoryCommit[], settings: HistoryOptions): DriftWindow[] {
  const windows: DriftWindow[] = [];
  for (let start = 0; start < commits.length; start += settings.window) {
    const slice = commits.slice(start, start + settings.window);
    const groups = lockstepGroups(
      coupledPairs(
        slice.map((commit) => commit.lockstep),
        settings,
      ),
    );
    windows.push({
      from: slice[0].sha,
      to: slice.at(-1)!.sha,
      commits: slice.length,
      lockstepPerCommit: round(sum(slice.map((commit) => commit.lockstep.length)) / slice.length),
      nxPerCommit: round(sum(slice.map((commit) => commit.nx.length)) / slice.length),
      largestGroup: groups[0]?.length ?? 0,
      groups: groups.length,
    });
  }
  return windows;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
