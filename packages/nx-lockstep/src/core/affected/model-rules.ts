/**
 * What a deployable ships (deployable-rules.ts), built from a WorkspaceModel at head: one place
 * for the decision and the coupling report, so both read entry points, ownership and build
 * inputs the same way.
 */
import type { WorkspaceModel } from '../model/workspace-model';
import { deployableRules, type DeployableRules } from './deployable-rules';

export function rulesOfModel(model: WorkspaceModel): DeployableRules {
  return deployableRules({
    graph: {
      projects: Object.fromEntries(model.projects.map((project) => [project.name, project])),
      dependencies: model.dependencies,
    },
    nxJson: safeJson(model.head.readText('nx.json')),
    files: model.head.files,
    importGraph: model.head.graph,
    readPackageJson: (root) => model.head.readText(root ? `${root}/package.json` : 'package.json'),
    readText: (path) => model.head.readText(path),
    deployTargetName: model.deployTargetName,
    generated: model.generated,
  });
}

function safeJson(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
