import { decideAffected } from '../core/affected/decide-affected';
import type { AffectedResult } from '../core/result';
import type { AnalyzeRequest } from './analyze-request';
import { readWorkspaceModel } from './read-workspace-model';

export { AnalyzeUsageError, type AnalyzeRequest } from './analyze-request';

/**
 * The deploy decision of every deployable between its base and head, with reasons: reads the
 * world into a model (git, the Nx projects, the caches), decides in the pure core, and remembers
 * the result for the same question asked again.
 */
export async function analyzeAffected(request: AnalyzeRequest): Promise<AffectedResult> {
  const reading = await readWorkspaceModel(request);
  if (reading.kind === 'remembered') return reading.result;
  const result = decideAffected(reading.model, reading.request);
  reading.done(result);
  return result;
}
