/**
 * `lockstep status [--env <name>] [--json]`: where each deployable stands in one environment —
 * its marker commit, when it was deployed, how many commits HEAD is ahead, and whether a deploy
 * is pending (with the reasons, from the same rules affected-deploy applies).
 */
import type { Command } from 'commander';
import { selectDeployables } from '../../core/affected/select-deployables';
import { DEFAULT_ENV, formatAge, markerTagName, validateEnvName, type DeployMarker } from '../../core/markers';
import type { Precision } from '../../core/result';
import type { StatusResult } from '../../core/status-result';
import { renderReport } from '../../report/reporters';
import { analyzeAffected } from '../../adapters/analyze';
import { git, isShallow, resolveCommit } from '../../adapters/markers/git';
import { settleFromMarkers } from '../../adapters/markers/marker-decision';
import { readMarkers } from '../../adapters/markers/read-markers';
import { GitTree } from '../../adapters/git-tree';
import { readCurrentProjects } from '../../adapters/nx-project-graph';
import { readNxJson } from '../../adapters/markers/marker-bases';
import { readLockstepOptions } from '../../config/options';
import { envOption, precisionOption, rootOption } from '../analysis-options';
import type { CliIo } from '../cli-io';
import { openWorkspace } from '../cli-workspace';

export interface StatusRequest {
  workspaceRoot: string;
  env?: string;
  precision?: Precision;
  now?: Date;
}

export async function collectStatus(request: StatusRequest): Promise<StatusResult> {
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
  const tags = Object.fromEntries(
    deployables.map((project) => [project, markerTagName(settings.markerPrefix, env, project)]),
  );
  const { settled: decisions, toAnalyze } = settleFromMarkers(root, { env, head, markers: bases, shallow, tags });
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
  // `^{commit}`: a marker moved onto a tree counts nothing, rather than every commit of HEAD.
  const out = git(root, ['rev-list', '--count', `${from}^{commit}..${to}`]);
  return out.code === 0 ? Number(out.stdout.trim()) : null;
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
      io.stdout(renderReport('status', options.json ? 'json' : 'text', report));
    });
}
