/**
 * Deploy or skip, with reasons: the marker settles the simple cases (never deployed, base
 * missing, nothing new), the engine the rest. On any doubt the answer is deploy.
 */
import type { AnalyzeRequest } from '../../adapters/analyze';
import { git } from '../../adapters/markers/git';
import { readMarkerFacts } from '../../adapters/markers/marker-decision';
import { decideFromMarkerFacts, type MarkerFacts } from '../../core/affected/decide-from-marker';
import type { DeployMarker } from '../../core/markers';
import type { AffectedResult, DeployableDecision, Reason } from '../../core/result';
import type { DeploySettings } from './deploy-settings';

export interface DecideInput {
  settings: DeploySettings;
  head: string;
  marker: DeployMarker | null;
  /** `--base`: compare from this instead of the marker. */
  base?: string;
  force?: boolean;
  /** Whether the clone is shallow, when the caller already knows. */
  shallow?: boolean;
  analyze(request: AnalyzeRequest): Promise<AffectedResult>;
  warn(line: string): void;
  /** What git said about the base, when it was asked (not with --force): the caller reuses it. */
  onMarkerFacts?(facts: MarkerFacts): void;
}

export async function decideDeploy({
  settings,
  head,
  marker,
  base: baseOption,
  force,
  shallow,
  analyze,
  warn,
  onMarkerFacts,
}: DecideInput): Promise<DeployableDecision> {
  const { root, project, env, precision } = settings;
  const base = baseOption ? resolveBase(root, baseOption) : marker ? marker.sha : null;
  const deploy = (reasons: Reason[]): DeployableDecision => ({ project, base, affected: true, reasons });
  if (force) return deploy([{ kind: 'forced' }]);
  const facts = readMarkerFacts(root, {
    project,
    env,
    base,
    head,
    shallow,
    tag: marker && !baseOption ? settings.tag : undefined,
  });
  onMarkerFacts?.(facts);
  const settled = decideFromMarkerFacts(facts);
  if (settled.kind === 'decided') return settled.decision;
  try {
    const result = await analyze({
      workspaceRoot: root,
      head,
      bases: { [project]: base },
      precision,
      projects: [project],
      env,
    });
    // Uncommitted changes are reported once, by the executor.
    for (const warning of result.warnings ?? []) if (!warning.startsWith('uncommitted changes')) warn(warning);
    const found = result.deployables.find((decision) => decision.project === project);
    if (!found)
      return deploy([
        { kind: 'analysis-uncertain', file: '', detail: `the analysis returned no decision for "${project}"` },
      ]);
    if (found.affected && found.reasons.length === 0) {
      return {
        ...found,
        reasons: [{ kind: 'analysis-uncertain', file: '', detail: 'the analysis marked it affected without a reason' }],
      };
    }
    return found;
  } catch (error) {
    // When unsure, deploy: a failing analysis must not turn into a missed deploy.
    const detail = `the analysis failed: ${error instanceof Error ? error.message : String(error)}`;
    warn(detail);
    return deploy([{ kind: 'analysis-uncertain', file: '', detail }]);
  }
}

function resolveBase(root: string, ref: string): string {
  const resolved = git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  if (resolved.code === 0) return resolved.stdout.trim();
  // A sha this clone lacks becomes base-unavailable (deploy); anything else is a typo.
  if (/^[0-9a-f]{7,40}$/i.test(ref)) return ref;
  throw new Error(
    `--base "${ref}" is not a commit, branch or tag in this repository. Example: --base=origin/main or --base=<sha>.`,
  );
}
