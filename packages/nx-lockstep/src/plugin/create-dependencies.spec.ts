/**
 * createDependencies analyses only the files Nx asks about (`filesToProcess`); Nx keeps the edges
 * it recorded for the other files itself.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { CreateDependenciesContext, FileData } from '@nx/devkit';
import { afterEach, expect, it } from 'vitest';
import { createDependencies } from './create-dependencies';

let root: string | undefined;
afterEach(() => root && rmSync(root, { recursive: true, force: true }));

const FILES: Record<string, string> = {
  'apps/api/src/main.ts': "import { db } from '../../../libs/db/src/index';\nexport default db;\n",
  'apps/web/src/main.ts': "import { db } from '../../../libs/db/src/index';\nexport default db;\n",
  'libs/db/src/index.ts': 'export const db = 1;\n',
};
const PROJECTS: Record<string, string> = { api: 'apps/api', web: 'apps/web', db: 'libs/db' };

function context(process: (file: string) => boolean): CreateDependenciesContext {
  root = mkdtempSync(join(tmpdir(), 'lockstep-deps-incremental-'));
  const projectFileMap: Record<string, FileData[]> = {};
  const toProcess: Record<string, FileData[]> = {};
  for (const [file, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), text);
    const owner = Object.entries(PROJECTS).find(([, projectRoot]) => file.startsWith(`${projectRoot}/`))![0];
    const data = { file, hash: `h-${file}` };
    (projectFileMap[owner] ??= []).push(data);
    if (process(file)) (toProcess[owner] ??= []).push(data);
  }
  return {
    workspaceRoot: root,
    projects: Object.fromEntries(
      Object.entries(PROJECTS).map(([name, projectRoot]) => [name, { name, root: projectRoot }]),
    ),
    nxJsonConfiguration: {},
    fileMap: { projectFileMap, nonProjectFiles: [] },
    filesToProcess: { projectFileMap: toProcess, nonProjectFiles: [] },
    externalNodes: {},
  } as CreateDependenciesContext;
}

it('analyses only filesToProcess, resolving against every file of the workspace', async () => {
  const dependencies = await createDependencies(
    undefined,
    context((file) => file.startsWith('apps/web/')),
  );
  expect(
    dependencies.map((dependency) => [
      dependency.source,
      dependency.target,
      'sourceFile' in dependency ? dependency.sourceFile : undefined,
    ]),
  ).toEqual([['web', 'db', 'apps/web/src/main.ts']]);
});

it('nothing to process: no edges, and no parse cache written', async () => {
  expect(
    await createDependencies(
      undefined,
      context(() => false),
    ),
  ).toEqual([]);
  const { existsSync } = await import('node:fs');
  expect(existsSync(join(root!, '.nx'))).toBe(false);
});
