import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MINIMUM_NX_MAJOR, nxVersion, projectsCacheKey } from './nx-project-graph';

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
});
