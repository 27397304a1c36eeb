/**
 * The plugin's createDependencies on files on disk, with the context Nx passes (project
 * configurations and the file map with Nx's hashes): the project edges source imports create.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DependencyType, type CreateDependenciesContext } from '@nx/devkit';
import { afterEach, describe, expect, it } from 'vitest';
import { createDependencies } from '../src/plugin/create-dependencies';

let root: string | undefined;
const hashOf = (text: string) => createHash('sha1').update(text).digest('hex').slice(0, 12);
afterEach(() => root && rmSync(root, { recursive: true, force: true }));

function workspace(
  files: Record<string, string>,
  projects: Record<string, string>,
  at = mkdtempSync(join(tmpdir(), 'lockstep-deps-')),
): CreateDependenciesContext {
  root = at;
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
  }
  const projectFileMap: Record<string, Array<{ file: string; hash: string }>> = {};
  const nonProjectFiles: Array<{ file: string; hash: string }> = [];
  for (const [file, text] of Object.entries(files)) {
    const owner = Object.entries(projects).find(([, projectRoot]) => file.startsWith(`${projectRoot}/`))?.[0];
    const data = { file, hash: `h${hashOf(text)}-${file}` };
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

  describe('remembered resolutions (a workspace with a lockfile)', () => {
    const projects = { api: 'apps/api', a: 'libs/a', b: 'libs/b', c: 'libs/c' };
    const base = {
      'package-lock.json': '{ "lockfileVersion": 3, "packages": {} }',
      'tsconfig.base.json': '{ "compilerOptions": { "paths": { "@acme/lib": ["libs/a/src/index.ts"] } } }',
      'apps/api/src/main.ts':
        "import { lib } from '@acme/lib';\nimport { util } from './util';\nexport default [lib, util];\n",
      'libs/a/src/index.ts': 'export const lib = 1;\n',
      'libs/b/src/index.ts': 'export const lib = 2;\n',
      'libs/c/src/util.ts': 'export const util = 3;\n',
    };
    const targets = (dependencies: Awaited<ReturnType<typeof createDependencies>>) =>
      dependencies.map((dependency) => dependency.target).sort();
    const remembered = (at: string) =>
      readFileSync(join(at, '.nx/workspace-data/nx-lockstep/parse-cache-nx.cache'), 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('nxedges:')).length;

    it('answers from them while nothing resolution reads changed, and resolves again when it did', async () => {
      const first = await createDependencies(undefined, workspace(base, projects));
      const at = root!;
      expect(targets(first)).toEqual(['a']);
      expect(remembered(at)).toBe(4); // one per source file

      // The tsconfig on disk now maps @acme/lib to libs/b, but Nx's hash of it is the old one:
      // the remembered resolution answers (resolution is not run again).
      writeFileSync(
        join(at, 'tsconfig.base.json'),
        '{ "compilerOptions": { "paths": { "@acme/lib": ["libs/b/src/index.ts"] } } }',
      );
      expect(targets(await createDependencies(undefined, workspace(base, projects, at)))).toEqual(['a']);

      // With its new hash: resolved again, onto libs/b.
      const remapped = {
        ...base,
        'tsconfig.base.json': '{ "compilerOptions": { "paths": { "@acme/lib": ["libs/b/src/index.ts"] } } }',
      };
      expect(targets(await createDependencies(undefined, workspace(remapped, projects, at)))).toEqual(['b']);

      // A new file: './util' now resolves (the file list is part of the key).
      const withUtil = { ...remapped, 'apps/api/src/util.ts': "export { util } from '../../../libs/c/src/util';\n" };
      const dependencies = await createDependencies(undefined, workspace(withUtil, projects, at));
      expect(targets(dependencies)).toEqual(['b', 'c']);
      expect(dependencies.find((dependency) => dependency.target === 'c')).toMatchObject({
        source: 'api',
        sourceFile: 'apps/api/src/util.ts',
      });
    });

    it('remembers nothing without a lockfile (the installed packages are unknown)', async () => {
      const { ['package-lock.json']: _lockfile, ...files } = base;
      expect(targets(await createDependencies(undefined, workspace(files, projects)))).toEqual(['a']);
      expect(remembered(root!)).toBe(0);
    });
  });
});
