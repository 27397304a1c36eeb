/**
 * The inferred `affected-deploy` target: runs the deployable's deploy target only when a change
 * since its own last deploy to the environment reaches it, then moves its marker.
 * The executor lives in src/executors/affected-deploy; this only declares the target.
 */
import type { TargetConfiguration } from '@nx/devkit';
import type { LockstepOptions } from '../config/options';

export const AFFECTED_DEPLOY_EXECUTOR = 'nx-lockstep:affected-deploy';

export function inferAffectedDeployTarget(
  projectName: string,
  options: Pick<LockstepOptions, 'deployTargetName' | 'affectedDeployTargetName' | 'pipelines'>,
): TargetConfiguration {
  const env = options.pipelines.environments.includes('production') ? 'production' : options.pipelines.environments[0];
  return {
    executor: AFFECTED_DEPLOY_EXECUTOR,
    // Never cached: whether to deploy depends on git state (the marker), which Nx does not hash.
    cache: false,
    options: { env },
    metadata: {
      technologies: ['nx-lockstep'],
      description:
        `Run ${projectName}:${options.deployTargetName} only if a change since ${projectName}'s last deploy ` +
        `to the environment reaches it, then move its deploy marker. Why it would deploy: npx lockstep explain ${shellQuote(projectName)}`,
      // The options of this target (env, base, force, dryRun, leaseTimeout, …) from the executor's
      // schema; `lockstep explain <project>` (in the description) says why it would deploy.
      help: {
        command: `npx nx run ${shellQuote(`${projectName}:${options.affectedDeployTargetName}`)} --help`,
        example: { options: { env: 'staging' } },
      },
    },
  };
}

/** Single-quoted for a POSIX shell: project names are free text. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
