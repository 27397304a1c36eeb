/**
 * The plugin's createDependencies on files on disk, with the context Nx passes (project
 * configurations and the file map with Nx's hashes): the project edges source imports create.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DependencyType, type CreateDependenciesContext } from '@nx/devkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createDependencies } from '../src/plugin/create-dependencies';

let root: string | undefined;
afterEach(() => root && rmSync(root, { recursive: true, force: true }));

function workspace(files: Record<string, string>, projects: Record<string, string>): CreateDependenciesContext {
  root = mkdtempSync(join(tmpdir(), 'lockstep-deps-'));
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  const projectFileMap: Record<string, Array<{ file: string; hash: string }>> = {};
  const nonProjectFiles: Array<{ file: string; hash: string }> = [];
  for (const [file, text] of Object.entries(files)) {
    const owner = Object.entries(projects).find(([, projectRoot]) => file.startsWith(`${projectRoot}/`))?.[0];
    const data = { file, hash: `h${text.length}-${file}` };
    if (owner) (projectFileMap[owner] ??= []).push(data);
    else nonProjectFiles.push(data);
  }
  const fileMap = { projectFileMap, nonProjectFiles };
  return {
    workspaceRoot: root,
    projects: Object.fromEntries(
      Object.entries(projects).map(([name, projectRoot]) => [name, { name, root: projectRoot }]),
    ),
    nxJsonConfiguration: {},
    fileMap,
    filesToProcess: fileMap,
    externalNodes: { 'npm:zod': { type: 'npm', name: 'npm:zod', data: { version: '3.0.0', packageName: 'zod' } } },
  } as CreateDependenciesContext;
}

describe('createDependencies', () => {
  it('adds static (type-only included), dynamic and npm edges with their source file', async () => {
    const context = workspace(
      {
        'tsconfig.base.json': '{ "compilerOptions": { "paths": { "@acme/*": ["libs/*/src/index.ts"] } } }',
        'apps/api/src/main.ts':
          "import { db } from '@acme/db';\nimport type { Order } from '@acme/types';\nimport { z } from 'zod';\nimport './local';\nexport const lazy = () => import('@acme/report');\n",
        'apps/api/src/local.ts': "import { log } from '../../../libs/db/src/log';\n",
        'libs/db/src/index.ts': "export * from './log';\nexport const db = 1;\n",
        'libs/db/src/log.ts': 'export const log = 1;\n',
        'libs/types/src/index.ts': 'export interface Order { id: string }\n',
        'libs/report/src/index.ts': 'export const report = 1;\n',
      },
      { api: 'apps/api', db: 'libs/db', types: 'libs/types', report: 'libs/report' },
    );
    const dependencies = await createDependencies(undefined, context);
    expect(dependencies).toEqual([
      { source: 'api', target: 'db', sourceFile: 'apps/api/src/main.ts', type: DependencyType.static },
      { source: 'api', target: 'types', sourceFile: 'apps/api/src/main.ts', type: DependencyType.static },
      { source: 'api', target: 'npm:zod', sourceFile: 'apps/api/src/main.ts', type: DependencyType.static },
      { source: 'api', target: 'report', sourceFile: 'apps/api/src/main.ts', type: DependencyType.dynamic },
      { source: 'api', target: 'db', sourceFile: 'apps/api/src/local.ts', type: DependencyType.static },
    ]);
  });

  it('a warm run answers from the parse cache keyed by Nx file hashes', async () => {
    const files = {
      'apps/api/src/main.ts': "import '../../../libs/db/src/index';\n",
      'libs/db/src/index.ts': 'export {};\n',
    };
    const first = await createDependencies(undefined, workspace(files, { api: 'apps/api', db: 'libs/db' }));
    const cacheRoot = root!;
    // Same hashes, but the file on disk now says something else: the cached summary is used.
    const context = {
      ...workspace(files, { api: 'apps/api', db: 'libs/db' }),
      workspaceRoot: cacheRoot,
    } as CreateDependenciesContext;
    writeFileSync(join(cacheRoot, 'apps/api/src/main.ts'), '// nothing\n');
    expect(await createDependencies(undefined, context)).toEqual(first);
    rmSync(cacheRoot, { recursive: true, force: true });
  });
});
