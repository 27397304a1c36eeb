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
  options: Pick<LockstepOptions, 'deployTargetName' | 'pipelines'>,
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
        `to the environment reaches it, then move its deploy marker`,
      help: {
        command: 'npx lockstep explain --help',
        example: { options: { env: 'staging' } },
      },
    },
  };
}
