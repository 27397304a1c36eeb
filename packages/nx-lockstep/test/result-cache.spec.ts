/**
 * The result cache: identical inputs (same head with a clean working tree, same bases,
 * precision, env) answer from the workspace data directory; anything else analyses again.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeAffected } from '../src/engine';
import { git, type FixtureWorkspace } from './support/fixture-workspace';
import { createShopFixture } from './support/shop-fixture';

Object.assign(process.env, { NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_NO_CLOUD: 'true', CI: 'true' });

describe('result cache', () => {
  let ws: FixtureWorkspace;
  let base: string;
  let cacheFile: string;

  beforeAll(() => {
    ws = createShopFixture();
    base = git(ws.root, 'rev-parse', 'HEAD');
    ws.commit('change pad', { 'libs/util/src/pad.ts': 'export const pad = (text: string) => `<${text}>`;\n' });
    cacheFile = join(ws.root, '.nx', 'workspace-data', 'nx-lockstep', 'results.cache');
  });
  afterAll(() => ws?.remove());

  it('remembers a whole result and answers the same question, or a subset of projects, from it', async () => {
    const first = await analyzeAffected({ workspaceRoot: ws.root, base, precision: 'file' });
    const stored = JSON.parse(readFileSync(cacheFile, 'utf8'));
    expect(stored.entries.map((entry: { result: unknown }) => entry.result)).toEqual([first]);

    // Prove the second answer comes from the cache: mark the stored result, then ask again.
    stored.entries[0].result.warnings = ['from the cache'];
    writeFileSync(cacheFile, JSON.stringify(stored));
    expect(await analyzeAffected({ workspaceRoot: ws.root, base, precision: 'file' })).toEqual({
      ...first,
      warnings: ['from the cache'],
    });
    expect(
      (await analyzeAffected({ workspaceRoot: ws.root, base, precision: 'file', projects: ['web'] })).deployables,
    ).toEqual(first.deployables.filter((decision) => decision.project === 'web'));
    // Another precision is another question.
    expect((await analyzeAffected({ workspaceRoot: ws.root, base, precision: 'symbol' })).warnings).toBeUndefined();
  });

  it('is not used when the working tree differs from head, and a foreign file is ignored', async () => {
    ws.write({ 'apps/api/src/extra.ts': 'export {};\n' });
    const dirty = await analyzeAffected({ workspaceRoot: ws.root, base, precision: 'file' });
    expect(dirty.warnings?.[0]).toContain('uncommitted changes are ignored');
    ws.write({ 'apps/api/src/extra.ts': null });

    writeFileSync(cacheFile, '{"format":"nx-lockstep-results-1","entries":[{"key":"x","result":"garbage"}]}');
    const fresh = await analyzeAffected({ workspaceRoot: ws.root, base, precision: 'file' });
    expect(fresh.warnings).toBeUndefined();
    expect(fresh.deployables.map((decision) => decision.affected)).toEqual([true, true]);
  });
});
