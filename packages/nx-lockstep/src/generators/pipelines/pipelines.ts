import { createProjectGraphAsync, readNxJson, updateNxJson, type ProjectGraph, type Tree } from '@nx/devkit';
import { PIPELINE_PROVIDERS, type PipelineProvider } from '../../core/pipelines/pipeline-plan';
import { PLUGIN_NAME } from '../../config/options';
import { readPipelineConfig, type PipelineOverrides } from './pipeline-settings';
import { writePipelines } from './write-pipelines';
import type { PipelinesGeneratorSchema } from './schema';

export const SYNC_GENERATOR = 'nx-lockstep:sync-pipelines';

/** `nx g nx-lockstep:pipelines`: one affected-only pipeline per deployable, kept in sync by `nx sync`. */
export async function pipelinesGenerator(
  tree: Tree,
  schema: PipelinesGeneratorSchema,
  loadGraph: () => Promise<ProjectGraph> = () => createProjectGraphAsync({ exitOnError: false }),
): Promise<void> {
  const overrides = normaliseSchema(schema);
  // Saved to the plugin options, so `nx sync` regenerates with the same choices.
  saveOverrides(tree, overrides);
  registerSyncGenerator(tree);
  const config = readPipelineConfig(tree, overrides);
  writePipelines(tree, await loadGraph(), config, { projects: list(schema.projects) });
}

export default pipelinesGenerator;

function normaliseSchema(schema: PipelinesGeneratorSchema): PipelineOverrides {
  if (schema.provider !== undefined && !PIPELINE_PROVIDERS.includes(schema.provider)) {
    throw new Error(
      `nx-lockstep pipelines: --provider ${JSON.stringify(schema.provider)} is not supported; use one of ${PIPELINE_PROVIDERS.join(', ')}, e.g. --provider=github.`,
    );
  }
  const environments = list(schema.environments);
  if (environments && environments.length === 0) {
    throw new Error('nx-lockstep pipelines: --environments is empty; e.g. --environments=staging,production.');
  }
  return {
    ...(schema.provider ? { provider: schema.provider as PipelineProvider } : {}),
    ...(environments ? { environments } : {}),
  };
}

function list(value: string | string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const items = Array.isArray(value) ? value : value.split(',');
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

function saveOverrides(tree: Tree, overrides: PipelineOverrides): void {
  if (!overrides.provider && !overrides.environments) return;
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  const index = plugins.findIndex((plugin) => (typeof plugin === 'string' ? plugin : plugin.plugin) === PLUGIN_NAME);
  const entry = index === -1 ? { plugin: PLUGIN_NAME } : plugins[index];
  const current = typeof entry === 'string' ? { plugin: entry } : entry;
  const options = (current.options ?? {}) as Record<string, unknown>;
  const pipelines = { ...((options.pipelines as Record<string, unknown>) ?? {}), ...overrides };
  const updated = { ...current, options: { ...options, pipelines } };
  nxJson.plugins = index === -1 ? [...plugins, updated] : plugins.map((plugin, i) => (i === index ? updated : plugin));
  updateNxJson(tree, nxJson);
}

function registerSyncGenerator(tree: Tree): void {
  const nxJson = readNxJson(tree) ?? {};
  const globalGenerators = nxJson.sync?.globalGenerators ?? [];
  if (globalGenerators.includes(SYNC_GENERATOR)) return;
  nxJson.sync = { ...nxJson.sync, globalGenerators: [...globalGenerators, SYNC_GENERATOR] };
  updateNxJson(tree, nxJson);
}
