/**
 * `lockstep status [--env <name>] [--json]`: where each deployable stands in one environment —
 * its marker commit, when it was deployed, how many commits HEAD is ahead, and whether a deploy
 * is pending (with the reasons, from the same rules affected-deploy applies).
 */
import type { Command } from 'commander';
import { selectDeployables } from '../../core/affected/select-deployables';
import { formatReasonLine } from '../../core/format-reason';
import { DEFAULT_ENV, formatAge, markerTagName, validateEnvName, type DeployMarker } from '../../core/markers';
import type { DeployableDecision, Precision } from '../../core/result';
import { analyzeAffected } from '../../adapters/analyze';
import { git, isShallow, resolveCommit } from '../../adapters/markers/git';
import { settleFromMarkers } from '../../adapters/markers/marker-decision';
import { readMarkers } from '../../adapters/markers/read-markers';
import { GitTree } from '../../adapters/git-tree';
import { readCurrentProjects } from '../../adapters/nx-project-graph';
import { readNxJson } from '../../adapters/markers/marker-bases';
import { readLockstepOptions } from '../../plugin/options';
import { envOption, precisionOption, rootOption } from '../analysis-options';
import type { CliIo } from '../cli-io';
import { openWorkspace } from '../cli-workspace';

export interface DeployableStatus {
  project: string;
  /** The marker tag name, whether or not it exists. */
  tag: string;
  marker: { sha: string; date: string | null; runId?: string } | null;
  /** "3d 4h" since the marker's deploy time; null without a marker. */
  age: string | null;
  /** Commits from the marker to HEAD; null without a marker or when history is missing. */
  commitsSince: number | null;
  pending: boolean;
  reasons: DeployableDecision['reasons'];
}

export interface StatusReport {
  version: 1;
  env: string;
  head: string;
  precision: Precision;
  deployables: DeployableStatus[];
  warnings: string[];
}

export interface StatusRequest {
  workspaceRoot: string;
  env?: string;
  precision?: Precision;
  now?: Date;
}

export async function collectStatus(request: StatusRequest): Promise<StatusReport> {
  const root = request.workspaceRoot;
  const env = validateEnvName(request.env ?? DEFAULT_ENV);
  const settings = readLockstepOptions(readNxJson(root));
  const precision = request.precision ?? settings.precision;
  const head = resolveCommit(root, 'HEAD');
  const warnings: string[] = [];

  // The projects alone (targets after inference) name the deployables: no dependency analysis needed.
  const { projects } = await readCurrentProjects(GitTree.open(root, ['HEAD']));
  // Listed in code-unit order (the table's order since status began), not the analysis's locale order.
  const deployables = selectDeployables(Object.values(projects), settings.deployTargetName)
    .map((project) => project.name)
    .sort();
  const markers = await readMarkers(root, {
    env,
    prefix: settings.markerPrefix,
    remote: settings.remote,
    projects: deployables,
    onWarning: (message) => warnings.push(message),
  });

  const shallow = isShallow(root);
  const bases = Object.fromEntries(deployables.map((project) => [project, markers[project]?.sha ?? null]));
  const { settled: decisions, toAnalyze } = settleFromMarkers(root, { env, head, markers: bases, shallow });
  if (Object.keys(toAnalyze).length > 0) {
    try {
      const result = await analyzeAffected({
        workspaceRoot: root,
        head,
        bases: toAnalyze,
        precision,
        projects: Object.keys(toAnalyze),
        env,
      });
      warnings.push(...(result.warnings ?? []));
      for (const decision of result.deployables) decisions.set(decision.project, decision);
    } catch (error) {
      // Unknown is pending: status must never report "up to date" on a failed analysis.
      const detail = `the analysis failed: ${error instanceof Error ? error.message : String(error)}`;
      warnings.push(detail);
      for (const [project, base] of Object.entries(toAnalyze)) {
        decisions.set(project, {
          project,
          base,
          affected: true,
          reasons: [{ kind: 'analysis-uncertain', file: '', detail }],
        });
      }
    }
  }

  const now = request.now ?? new Date();
  return {
    version: 1,
    env,
    head,
    precision,
    warnings,
    deployables: deployables.map((project) => {
      const marker: DeployMarker | null = markers[project] ?? null;
      const decision = decisions.get(project);
      return {
        project,
        tag: markerTagName(settings.markerPrefix, env, project),
        marker: marker
          ? { sha: marker.sha, date: marker.date, ...(marker.runId ? { runId: marker.runId } : {}) }
          : null,
        age: marker ? formatAge(marker.date, now) : null,
        commitsSince: marker ? commitsBetween(root, marker.sha, head, shallow) : null,
        pending: decision ? decision.affected : true,
        reasons: decision?.reasons ?? [{ kind: 'analysis-uncertain', file: '', detail: 'no decision' }],
      };
    }),
  };
}

function commitsBetween(root: string, from: string, to: string, shallow: boolean): number | null {
  if (shallow) return null;
  const out = git(root, ['rev-list', '--count', `${from}..${to}`]);
  return out.code === 0 ? Number(out.stdout.trim()) : null;
}

/** The text table: one line per deployable, then the reasons of the pending ones. */
export function formatStatus(report: StatusReport): string {
  const rows = report.deployables.map((d) => [
    d.project,
    d.marker ? d.marker.sha.slice(0, 8) : '-',
    d.marker?.date ?? '-',
    d.age ?? '-',
    d.commitsSince === null ? (d.marker ? '?' : '-') : String(d.commitsSince),
    d.pending ? 'yes' : 'no',
  ]);
  const header = ['deployable', 'marker', 'deployed at', 'age', 'commits since', 'deploy pending'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  const out = [
    `${report.env} @ ${report.head.slice(0, 8)} (precision ${report.precision})`,
    '',
    line(header),
    ...rows.map(line),
  ];
  const pending = report.deployables.filter((d) => d.pending);
  if (pending.length > 0) {
    out.push('', 'pending:');
    for (const d of pending) {
      out.push(`  ${d.project}:`);
      for (const reason of d.reasons) out.push(`    - ${formatReasonLine(reason)}`);
    }
  }
  for (const warning of report.warnings) out.push(`warning: ${warning}`);
  return out.join('\n') + '\n';
}

export function register(program: Command, io: CliIo): void {
  program
    .command('status')
    .description(
      "each deployable's deploy marker for an environment: commit, age, commits since, and whether a deploy is pending",
    )
    .addOption(envOption('the environment whose markers to read'))
    .addOption(precisionOption())
    .option('--json', 'print the status as JSON (version 1)')
    .addOption(rootOption())
    .action(async (options: { env: string; precision?: Precision; json?: boolean; root?: string }) => {
      const workspaceRoot = openWorkspace(options.root, io.cwd);
      const report = await collectStatus({ workspaceRoot, env: options.env, precision: options.precision });
      io.stdout(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatStatus(report));
    });
}
