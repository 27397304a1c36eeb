import { describe, expect, it } from 'vitest';
import { createProjectScope } from './project-scope';

/** The owner by definition: the most nested project root above the file, else a root project. */
function ownerByDefinition(roots: ReadonlyMap<string, string>, file: string): string | undefined {
  let best: [name: string, root: string] | undefined;
  for (const [name, root] of roots) {
    const folder = root === '.' ? '' : root;
    if ((folder === '' || file.startsWith(`${folder}/`)) && (!best || folder.length > best[1].length))
      best = [name, folder];
  }
  return best?.[0];
}

const files = [
  'README.md',
  'apps/api/src/main.ts',
  'apps/api/src/lib/a.ts',
  'apps/api.ts', // beside apps/api, not in it
  'apps/api-e2e/src/x.ts',
  'apps/api/nested/tool/src/t.ts', // a project inside a project
  'libs/ui/src/index.ts',
  'libs/ui/src/index.spec.ts',
  'libs/uikit/src/index.ts', // a prefix of another root's name
  'tools/script.ts',
  'apps/api/src/main.spec.ts', // back in a folder seen before, after others
  'apps/web/src/w.ts', // a folder as long as the one before
];

describe('createProjectScope', () => {
  for (const withRootProject of [false, true]) {
    it(`gives each file the most nested root's project, per file and grouped (${withRootProject ? 'with' : 'without'} a root project)`, () => {
      const roots = new Map([
        ['api', 'apps/api'],
        ['web', 'apps/web'],
        ['tool', 'apps/api/nested/tool'],
        ['api-e2e', 'apps/api-e2e'],
        ['ui', 'libs/ui'],
        ...(withRootProject ? ([['workspace', '.']] as const) : []),
      ]);
      const scope = createProjectScope({ roots, files, importsOf: () => [] });
      for (const file of files) expect(scope.ownerOf(file), file).toBe(ownerByDefinition(roots, file));
      for (const project of roots.keys())
        expect(scope.filesOf(project)).toEqual(files.filter((file) => ownerByDefinition(roots, file) === project));
    });
  }
});
