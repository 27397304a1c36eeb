import type { DeployablePipeline, PipelinePlan, PipelineSettings, PipelineWorkspace } from './pipeline-plan';

import { assertEnvironmentName, assertProjectName, assertRoot, assertTargetName, projectSlug } from './pipeline-names';

/**
 * Plans one pipeline per deployable: which roots can change what it ships (its own and every
 * workspace project it depends on transitively). Pure; the caller supplies the graph.
 */
export function planPipelines(workspace: PipelineWorkspace, settings: PipelineSettings): PipelinePlan {
  if (settings.environments.length === 0) {
    throw new Error('nx-lockstep pipelines: no environments given; pass at least one, e.g. --environments=production.');
  }
  settings.environments.forEach(assertEnvironmentName);
  assertTargetName(settings.affectedDeployTargetName);
  const duplicateEnv = settings.environments.find((env, i) => settings.environments.indexOf(env) !== i);
  if (duplicateEnv) {
    throw new Error(
      `nx-lockstep pipelines: environment "${duplicateEnv}" is listed twice; e.g. --environments=staging,production.`,
    );
  }

  const bySlug = new Map<string, string>();
  const deployables: DeployablePipeline[] = [...new Set(workspace.deployables)].sort().map((project) => {
    assertProjectName(project);
    if (!workspace.projects[project]) {
      throw new Error(
        `nx-lockstep pipelines: "${project}" is not a project of this workspace (see \`nx show projects\`).`,
      );
    }
    const slug = projectSlug(project);
    const clash = bySlug.get(slug.toLowerCase());
    if (clash) {
      throw new Error(
        `nx-lockstep pipelines: projects "${clash}" and "${project}" would share the pipeline file "deploy-${slug}"; ` +
          `rename one of them.`,
      );
    }
    bySlug.set(slug.toLowerCase(), project);
    return { project, slug, roots: reachableRoots(workspace, project) };
  });

  const workspaceDir = normaliseRoot(workspace.workspaceDir ?? '');
  if (workspaceDir !== '.') assertRoot('(the workspace folder)', workspaceDir);
  return {
    settings,
    rootFiles: [...new Set(workspace.rootFiles)].sort(),
    packageManager: workspace.packageManager,
    deployables,
    workspaceDir: workspaceDir === '.' ? '' : workspaceDir,
  };
}

/** A workspace-relative path as the repository root sees it. */
export function inRepository(plan: Pick<PipelinePlan, 'workspaceDir'>, path: string): string {
  if (!plan.workspaceDir) return path;
  return path === '.' ? plan.workspaceDir : `${plan.workspaceDir}/${path}`;
}

function reachableRoots(workspace: PipelineWorkspace, project: string): string[] {
  const seen = new Set<string>([project]);
  const queue = [project];
  while (queue.length > 0) {
    for (const dependency of workspace.projects[queue.shift()!]?.dependencies ?? []) {
      if (!seen.has(dependency) && workspace.projects[dependency]) {
        seen.add(dependency);
        queue.push(dependency);
      }
    }
  }
  const own = normaliseRoot(workspace.projects[project].root);
  const others = [...seen]
    .filter((name) => name !== project)
    .map((name) => {
      assertRoot(name, workspace.projects[name].root);
      return normaliseRoot(workspace.projects[name].root);
    });
  assertRoot(project, own);
  // A root project ('.') contains everything: its pipeline watches the whole repository.
  return [...new Set([own, ...others.sort()])];
}

function normaliseRoot(root: string): string {
  const trimmed = root.replace(/^\.\/+/, '').replace(/\/+$/, '');
  return trimmed === '' ? '.' : trimmed;
}

/** Provider path filter for a root: a directory's whole subtree, or everything for the root project. */
export function rootGlob(root: string): string {
  return root === '.' ? '**' : `${root}/**`;
}
