import { readNxJson, type Tree } from '@nx/devkit';
import type { PipelineProvider, PipelineSettings } from '../../core/pipelines/pipeline-plan';
import { normalizeLockstepOptions, readLockstepOptions } from '../../config/options';

/** What the pipeline generators need from the plugin options, after defaults. */
export interface PipelineConfig {
  /** `nodeVersion` as configured (unset: the workspace's own, chosen when the pipelines are written). */
  settings: Omit<PipelineSettings, 'nodeVersion'> & { nodeVersion?: string };
  deployTargetName: string;
  include: string[];
  exclude: string[];
  globalInputs: string[];
}

export interface PipelineOverrides {
  provider?: PipelineProvider;
  environments?: string[];
}

/**
 * Reads the nx-lockstep plugin options from nx.json in the Tree (so `nx sync` sees pending edits),
 * validated by the plugin's own reader, with the generator's command-line overrides on top.
 */
export function readPipelineConfig(tree: Tree, overrides: PipelineOverrides = {}): PipelineConfig {
  const options = readLockstepOptions(readNxJson(tree) ?? {});
  // Overrides go through the same validation as nx.json values.
  const pipelines = normalizeLockstepOptions({ pipelines: { ...options.pipelines, ...overrides } }).pipelines;
  return {
    settings: {
      provider: pipelines.provider,
      environments: pipelines.environments,
      defaultBranch: pipelines.defaultBranch,
      ...(pipelines.nodeVersion !== undefined ? { nodeVersion: pipelines.nodeVersion } : {}),
      installCommand: pipelines.installCommand,
      ...(pipelines.runnerImage ? { runnerImage: pipelines.runnerImage } : {}),
      setupSteps: pipelines.setupSteps,
      affectedDeployTargetName: options.affectedDeployTargetName,
    },
    deployTargetName: options.deployTargetName,
    include: options.include,
    exclude: options.exclude,
    globalInputs: options.globalInputs,
  };
}
