import { Document } from 'yaml';
import { GENERATED_HEADER } from './generated-header';
import type { DeployablePipeline, GeneratedFile, PipelinePlan } from './pipeline-plan';
import { inRepository, rootGlob } from './plan-pipelines';

/** Serialises a pipeline with the `yaml` library (never by concatenation) under the generated header. */
export function yamlFile(value: unknown): string {
  // No anchors: each job reads on its own, as a person would write it.
  const doc = new Document(value, { aliasDuplicateObjects: false });
  doc.commentBefore = GENERATED_HEADER;
  return doc.toString({ lineWidth: 0 });
}

/**
 * The paths one deployable's pipeline watches, from the repository root: its roots and the root
 * files (inside the workspace folder, when the workspace is in one) and its own file.
 */
export function watchedPaths(plan: PipelinePlan, deployable: DeployablePipeline, ownFile: string): string[] {
  const inWorkspace = (path: string) => inRepository(plan, path);
  return [
    ...new Set([
      ...deployable.roots.map((root) => inWorkspace(rootGlob(root))),
      ...plan.rootFiles.map(inWorkspace),
      ownFile,
    ]),
  ];
}

/** The analysis cache folder, from the repository root. */
export function analysisCachePath(plan: PipelinePlan): string {
  return inRepository(plan, ANALYSIS_CACHE_PATH);
}

/** One YAML file per deployable at `pipelinePath(slug)`: the shape every provider shares. */
export function pipelineFiles(
  plan: PipelinePlan,
  pipelinePath: (slug: string) => string,
  document: (plan: PipelinePlan, deployable: DeployablePipeline, path: string) => Record<string, unknown>,
): GeneratedFile[] {
  return plan.deployables.map((deployable) => {
    const path = pipelinePath(deployable.slug);
    return { path, content: yamlFile(document(plan, deployable, path)) };
  });
}

/**
 * What the analysis remembers between runs (parse cache, resolved imports, projects, results;
 * content-keyed and checked on read, so a stale or foreign copy is never trusted): each
 * provider's pipeline restores it, so a deploy job analyses warm instead of cold.
 */
export const ANALYSIS_CACHE_PATH = '.nx/workspace-data/nx-lockstep';
