import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MINIMUM_NX_MAJOR, nxVersion, projectsCacheKey, workingTreeIds } from './nx-project-graph';

describe('nxVersion: the workspace nx, checked against the minimum', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  /** A workspace whose node_modules/nx says `version` (resolution reads package.json only). */
  const workspaceWithNx = (version: string) => {
    const root = mkdtempSync(join(tmpdir(), 'lockstep-nx-version-'));
    dirs.push(root);
    mkdirSync(join(root, 'node_modules', 'nx'), { recursive: true });
    writeFileSync(join(root, 'node_modules', 'nx', 'package.json'), JSON.stringify({ name: 'nx', version }));
    return root;
  };

  it('reads the version from the nx package the workspace resolves, not from a path layout', () => {
    expect(nxVersion(workspaceWithNx('22.5.2'))).toBe('22.5.2');
    expect(nxVersion(workspaceWithNx('24.0.6'))).toBe('24.0.6');
  });

  it('an nx older than the minimum fails naming the version found, the minimum and the fix', () => {
    expect(MINIMUM_NX_MAJOR).toBe(22);
    const root = workspaceWithNx('21.6.11');
    expect(() => nxVersion(root)).toThrow(/needs Nx 22 or newer, found nx 21\.6\.11 .*nx migrate/);
  });

  it('the projects cache key follows deploy markers written in TypeScript (vercel.ts), not plain sources', () => {
    const root = workspaceWithNx('24.0.6');
    const key = (files: Record<string, string>) => projectsCacheKey(new Map(Object.entries(files)), root);
    const before = { 'apps/web/project.json': 'a', 'apps/web/src/main.ts': 'b' };
    expect(key({ ...before, 'apps/web/src/main.ts': 'c' })).toBe(key(before));
    expect(key({ ...before, 'apps/web/vercel.ts': 'd' })).not.toBe(key(before));
    expect(key({ ...before, 'apps/web/serverless.ts': 'd' })).not.toBe(key(before));
    expect(key({ ...before, 'apps/web/vite.config.mts': 'd' })).not.toBe(key(before));
  });

  it("the key of a changed working tree: the commit's files, with the working tree's content of those Nx may read", () => {
    const root = workspaceWithNx('24.0.6');
    mkdirSync(join(root, 'apps/web/src'), { recursive: true });
    const files = new Map([
      ['apps/web/project.json', 'blob-a'],
      ['apps/web/src/main.ts', 'blob-b'],
    ]);
    const clean = projectsCacheKey(files, root);
    const keyWith = (written: Record<string, string>, changes: string[]) => {
      for (const [path, text] of Object.entries(written)) writeFileSync(join(root, path), text);
      const ids = workingTreeIds(root, changes);
      expect(ids).toBeDefined();
      return projectsCacheKey(files, root, ids);
    };
    expect(projectsCacheKey(files, root, new Map())).toBe(clean); // nothing changed: the key of a clean tree
    expect(keyWith({ 'apps/web/src/main.ts': 'changed' }, ['apps/web/src/main.ts'])).toBe(clean); // plain source
    const edited = keyWith({ 'apps/web/project.json': '{ "name": "web" }' }, ['apps/web/project.json']);
    expect(edited).not.toBe(clean);
    expect(keyWith({ 'apps/web/project.json': '{ "name": "web" }' }, ['apps/web/project.json'])).toBe(edited);
    expect(keyWith({ 'apps/web/project.json': '{ "name": "web2" }' }, ['apps/web/project.json'])).not.toBe(edited);
    const added = keyWith({ 'apps/web/fly.toml': 'app = "web"' }, ['apps/web/fly.toml']);
    expect(added).not.toBe(clean);
    rmSync(join(root, 'apps/web/project.json'));
    const deleted = projectsCacheKey(files, root, workingTreeIds(root, ['apps/web/project.json']));
    expect(new Set([clean, edited, added, deleted]).size).toBe(4);
    // A folder where a file was (a submodule): no key.
    mkdirSync(join(root, 'apps/web/project.json'));
    expect(workingTreeIds(root, ['apps/web/project.json'])).toBeUndefined();
  });
});
