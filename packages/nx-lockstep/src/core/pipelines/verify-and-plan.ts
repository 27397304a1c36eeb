/**
 * The commands every provider's pipelines share, in one place: the verify step of a
 * deployable's own pipeline and the pull-request plan. The plan is `lockstep report … --format
 * markdown`: what the merge would deploy (the decisions first), then the coupling findings.
 */
import type { PipelinePlan } from './pipeline-plan';

/**
 * Runs a binary of the workspace's install (`nx`, `lockstep`) from `node_modules/.bin`, and
 * through npx only where the install put it elsewhere (a parent folder's node_modules): npx
 * spends ~0.45 s of npm's own start-up on every command (Node 20 and 24, benchmarks.md). A
 * shell function of the binary's name, so the line that runs it reads as usual.
 */
export function installedCommand(bin: 'nx' | 'lockstep', args: string): string {
  return [
    `# ${bin} as installed; npx (~0.5 s of npm's start-up) only where the install put it elsewhere`,
    `${bin}() { if [ -x node_modules/.bin/${bin} ]; then node_modules/.bin/${bin} "$@"; else npx ${bin} "$@"; fi; }`,
    `${bin} ${args}`,
  ].join('\n');
}

/** Verifies what changed in the deployable's own closure since its marker for the first environment. */
export function verifyCommand(plan: PipelinePlan): string {
  // The project name reaches the shell only through a variable, never inline.
  return installedCommand(
    'lockstep',
    `verify-targets "$LOCKSTEP_PROJECT" --env=${plan.settings.environments[0]} --run`,
  );
}

/** Runs the deployable's affected-deploy target for `env`. */
export function deployCommand(affectedDeployTargetName: string, env: string): string {
  // The project name reaches the shell only through a variable, never inline.
  return installedCommand('nx', `run "$LOCKSTEP_PROJECT:${affectedDeployTargetName}" --env=${env}`);
}

/**
 * Writes what the merge would deploy and what it couples, as Markdown, to `$LOCKSTEP_PLAN_FILE`. The shell variables
 * named hold the commits (set by the provider, never from a branch name or title).
 */
export function planCommand(baseVariable: string, headVariable: string): string {
  return [
    `base="$(git merge-base "$${baseVariable}" "$${headVariable}")"`,
    installedCommand(
      'lockstep',
      `report --base "$base" --head "$${headVariable}" --format markdown > "$LOCKSTEP_PLAN_FILE"`,
    ),
  ].join('\n');
}

/** Marks the one comment the plan owns, so a new run updates it instead of adding another. */
export const PLAN_COMMENT_MARKER = '<!-- nx-lockstep:pull-request-plan -->';

/** The file name of the workspace's one pull-request plan pipeline, in each provider's directory. */
export const PLAN_FILE_NAME = 'lockstep-pull-request-plan.yml';

/** Nx's own task cache, restored in verify jobs so unchanged tasks are not run again. */
export const NX_CACHE_PATH = '.nx/cache';
