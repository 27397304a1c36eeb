import { describe, expect, it } from 'vitest';
import type { ImportGraph } from '../graph/import-graph';
import type { ModelProject } from '../model/workspace-model';
import type { FileChange } from './file-change';
import { deployableRules } from './deployable-rules';

const noImports = { edgesOf: () => [] } as unknown as ImportGraph;

function rulesFor(projects: ModelProject[], files: string[]) {
  return deployableRules({
    graph: { projects: Object.fromEntries(projects.map((project) => [project.name, project])) },
    nxJson: {},
    files: new Set(files),
    importGraph: noImports,
    readPackageJson: () => undefined,
    deployTargetName: 'deploy',
    generated: [],
    isRootLockfile: (path) => path === 'package-lock.json',
  });
}

const modified = (path: string): FileChange => ({ status: 'M', path });

describe('deployableRules: files outside every root', () => {
  // The nx plugin infers a Dockerfile kept in .deploy/<app>/ as an input of the app's deploy target.
  const billing: ModelProject = {
    name: 'billing',
    root: 'apps/billing',
    targets: {
      deploy: { inputs: ['default', '^default', '{workspaceRoot}/.deploy/billing/Dockerfile'] },
    },
  };
  const files = ['apps/billing/src/main.ts', '.deploy/billing/Dockerfile', '.deploy/other/Dockerfile'];

  it('counts a changed {workspaceRoot}/ input of its deploy target, naming the target', () => {
    const ruled = rulesFor([billing], files).forDecision(
      billing,
      [modified('.deploy/billing/Dockerfile')],
      () => undefined,
    );
    expect(ruled.dependencyInputs).toEqual([
      {
        kind: 'global-input-changed',
        file: '.deploy/billing/Dockerfile',
        detail: 'an input of billing:deploy ({workspaceRoot}/.deploy/billing/Dockerfile)',
      },
    ]);
  });

  it('leaves out a file outside the root that no target of it names', () => {
    const ruled = rulesFor([billing], files).forDecision(
      billing,
      [modified('.deploy/other/Dockerfile')],
      () => undefined,
    );
    expect(ruled.dependencyInputs).toEqual([]);
  });
});
