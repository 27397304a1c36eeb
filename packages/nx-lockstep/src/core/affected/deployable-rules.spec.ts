import { describe, expect, it } from 'vitest';
import type { ImportGraph } from '../graph/import-graph';
import type { ModelProject } from '../model/workspace-model';
import type { FileChange } from './file-change';
import { deployableRules } from './deployable-rules';
import type { PackageVersionChanges } from './lockfile-comparison';

const noImports = { edgesOf: () => [] } as unknown as ImportGraph;

function rulesFor(projects: ModelProject[], files: string[] | ReadonlySet<string>) {
  return deployableRules({
    graph: { projects: Object.fromEntries(projects.map((project) => [project.name, project])) },
    nxJson: {},
    files: Array.isArray(files) ? new Set(files) : files,
    importGraph: noImports,
    readPackageJson: () => undefined,
    deployTargetName: 'deploy',
    generated: [],
  });
}

const modified = (path: string): FileChange => ({ status: 'M', path });
const NO_PACKAGE_CHANGES: PackageVersionChanges = { sources: [], change: () => undefined };

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
      NO_PACKAGE_CHANGES,
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
      NO_PACKAGE_CHANGES,
    );
    expect(ruled.dependencyInputs).toEqual([]);
  });
});

describe('deployableRules: entry points at head', () => {
  // Nested projects, a Storybook app, a root project with a Storybook of its own, tests, tool configs.
  const projects: ModelProject[] = [
    { name: 'root', root: '.', targets: { deploy: {} } },
    { name: 'web', root: 'apps/web', targets: { deploy: {} } },
    { name: 'web-e2e', root: 'apps/web/e2e', targets: {} },
    { name: 'stories', root: 'apps/stories', targets: { deploy: {} } },
    { name: 'ui', root: 'libs/ui', targets: {} },
  ];
  const files = [
    '.storybook/main.ts',
    'server.ts',
    'server.spec.ts',
    'root.stories.ts',
    'tools/script.ts',
    'jest.config.ts',
    'apps/web/src/main.ts',
    'apps/web/src/main.spec.ts',
    'apps/web/src/button.stories.tsx',
    'apps/web/eslint.config.mjs',
    'apps/web/e2e/src/app.cy.ts',
    'apps/web/e2e/src/support.ts',
    'apps/stories/.storybook/preview.ts',
    'apps/stories/src/card.stories.tsx',
    'apps/stories/src/card.tsx',
    'apps/stories/src/card.spec.tsx',
    'libs/ui/src/index.ts',
    'libs/ui/.storybook/main.ts',
    'libs/ui/src/a.stories.ts',
  ];

  it('are the same as a walk over every file (the base-commit path), for every project', () => {
    const head = new Set(files);
    const rules = rulesFor(projects, head);
    // `head` is the rules' own file list: the grouped path; a copy of it takes the walk.
    for (const project of projects)
      expect(rules.entryPoints(project, head), project.name).toEqual(rules.entryPoints(project, new Set(files)));
    expect(rules.entryPoints(projects[0], head)).toEqual([
      '.storybook/main.ts',
      'root.stories.ts',
      'server.ts',
      'tools/script.ts',
    ]);
    expect(rules.entryPoints(projects[1], head)).toEqual(['apps/web/src/main.ts']);
    expect(rules.entryPoints(projects[3], head)).toEqual([
      'apps/stories/.storybook/preview.ts',
      'apps/stories/src/card.stories.tsx',
      'apps/stories/src/card.tsx',
    ]);
  });
  it("counts a Storybook's stories as its own inputs, a root project's ('.') too", () => {
    const rules = rulesFor(projects, files);
    const ownInput = (project: ModelProject) => rules.forDecision(project, [], NO_PACKAGE_CHANGES).ownInput;
    expect(ownInput(projects[0])('root.stories.ts')).toBe(true);
    expect(ownInput(projects[3])('apps/stories/src/card.stories.tsx')).toBe(true);
    expect(ownInput(projects[1])('apps/web/src/button.stories.tsx')).toBe(false);
  });
});
