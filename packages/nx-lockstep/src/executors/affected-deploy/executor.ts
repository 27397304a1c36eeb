import type { ExecutorContext } from '@nx/devkit';
import { runAffectedDeploy } from './run-affected-deploy';
import type { AffectedDeployExecutorSchema } from './schema';

/** `nx-lockstep:affected-deploy`: deploy this project only if a change reached it since its marker. */
export default async function affectedDeployExecutor(
  options: AffectedDeployExecutorSchema,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  const outcome = await runAffectedDeploy(options, context);
  return { success: outcome.success };
}
