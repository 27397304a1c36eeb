/**
 * The `lockstep` CLI on bad input it cannot analyse past: each failure is one message naming the
 * cause and the fix, with the documented exit code (2 for a usage error), never a stack trace.
 * Real git and the real Nx project graph on fixture workspaces.
 */
import { chownSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';
import type { CliIo } from '../src/cli/cli-io';
import { git, type FixtureWorkspace } from './support/fixture-workspace';
import { createShopFixture } from './support/shop-fixture';

process.env.NX_DAEMON = 'false';
process.env.NX_ISOLATE_PLUGINS = 'false';
process.env.NX_NO_CLOUD = 'true';
process.env.CI = 'true';

const SRC_INDEX = join(__dirname, '../src/index.ts');

async function run(cwd: string, ...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { cwd, stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/** nx.json registering nx-lockstep (loaded from src through a tsconfig path) with these options. */
function withPlugin(ws: FixtureWorkspace, options: Record<string, unknown>): string {
  const plugin = 'nx-lockstep';
  const nxJson = JSON.parse(readFileSync(join(ws.root, 'nx.json'), 'utf8'));
  const tsconfig = JSON.parse(readFileSync(join(ws.root, 'tsconfig.base.json'), 'utf8'));
  tsconfig.compilerOptions.paths[plugin] = [SRC_INDEX];
  return ws.commit(`register ${plugin}`, {
    'nx.json': JSON.stringify({ ...nxJson, plugins: [{ plugin, options }] }, null, 2),
    'tsconfig.base.json': JSON.stringify(tsconfig, null, 2),
  });
}

describe('lockstep CLI errors', () => {
  let ws: FixtureWorkspace;
  let base: string;
  beforeEach(() => {
    ws = createShopFixture({ withDependencyPlugin: true });
    base = git(ws.root, 'rev-parse', 'HEAD');
  });
  afterEach(() => ws?.remove());

  it('an invalid plugin option Nx finds while computing the graph: exit 2, the message alone, no stack', async () => {
    // Registered as a local file, lockstep's own options read finds no "nx-lockstep" entry: only
    // Nx's run of createNodes (in its own process) meets the bad value.
    const nxJson = JSON.parse(readFileSync(join(ws.root, 'nx.json'), 'utf8'));
    ws.commit('register the plugin from a file', {
      'nx.json': JSON.stringify({
        ...nxJson,
        plugins: [{ plugin: './tools/lockstep.ts', options: { precision: 'line' } }],
      }),
      'tools/lockstep.ts': `export { createNodesV2 } from ${JSON.stringify(join(__dirname, '../src/plugin/create-nodes'))};\n`,
    });
    const { code, stdout, stderr } = await run(ws.root, 'affected', '--base', base);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'lockstep: nx-lockstep: invalid option "precision" in nx.json: expected one of "project", "file", "symbol", got "line". Example: "precision": "file"\n',
    );
    expect(code).toBe(2);
  });

  it('entryPoints naming a project the workspace does not have: exit 2 naming the option, the project and the deployables', async () => {
    withPlugin(ws, { entryPoints: { apii: ['apps/api/src/main.ts'] } });
    const { code, stdout, stderr } = await run(ws.root, 'affected', '--base', base, '--precision', 'file');
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'lockstep: nx-lockstep: invalid option "entryPoints" in nx.json: "apii" is not a project of this workspace. ' +
        'Key entry points by deployable: api, web. Example: "entryPoints": { "api": ["<its root>/src/main.ts"] }\n',
    );
    expect(code).toBe(2);
  });
});

describe('lockstep CLI on broken deploy markers and foreign repositories', () => {
  let ws: FixtureWorkspace;
  beforeAll(() => {
    ws = createShopFixture();
  });
  afterAll(() => ws?.remove());

  it('a marker tag on a tree: deploy, naming the tag and how to move or delete it (not "fetch the history")', async () => {
    git(ws.root, 'tag', 'lockstep/production/api', 'HEAD^{tree}');
    git(ws.root, 'push', '-q', 'origin', 'lockstep/production/api');
    const tree = git(ws.root, 'rev-parse', 'HEAD^{tree}');
    try {
      const status = await run(ws.root, 'status', '--precision', 'file');
      expect(status.code).toBe(0);
      expect(status.stdout).toContain(
        `  api:\n    - base ${tree.slice(0, 12)} unavailable: the deploy marker lockstep/production/api points at a tree (${tree.slice(0, 8)}), not a commit (fetching will not help): ` +
          'move it to the commit last deployed (git tag -f -a lockstep/production/api -m deployed <commit> && git push -f origin lockstep/production/api), ' +
          'or delete it (git push origin :refs/tags/lockstep/production/api && git tag -d lockstep/production/api) so the next deploy records a new one\n',
      );
      expect(status.stdout).not.toContain('not in this clone');
      const explained = await run(ws.root, 'explain', 'api', '--precision', 'file');
      expect(explained.code).toBe(0);
      expect(explained.stdout).toContain(
        `${tree.slice(0, 8)} is a tree, not a commit (fetching will not help): pass a commit as --base, or if it comes from a deploy marker tag, move that tag to the commit last deployed`,
      );
    } finally {
      git(ws.root, 'push', '-q', 'origin', ':refs/tags/lockstep/production/api');
      git(ws.root, 'tag', '-d', 'lockstep/production/api');
    }
  });

  it('a remote marker on an object the remote lacks: the warning names the tag and the fix, not only "not our ref"', async () => {
    const missing = '0123456789abcdef0123456789abcdef01234567';
    // Only a hand-made ref can point at a missing object: git itself refuses to create one.
    mkdirSync(join(ws.origin, 'refs/tags/lockstep/production'), { recursive: true });
    writeFileSync(join(ws.origin, 'refs/tags/lockstep/production/web'), `${missing}\n`);
    try {
      const { code, stdout } = await run(ws.root, 'status', '--precision', 'file');
      expect(code).toBe(0);
      expect(stdout).toContain(
        'warning: could not fetch deploy markers from remote "origin": the deploy marker lockstep/production/web on remote "origin" points at 0123456789ab, an object the remote does not have ' +
          '(a tag pushed by hand from a clone with unpushed commits, or history rewritten and pruned). ' +
          'Delete it (git push origin :refs/tags/lockstep/production/web) so the next deploy records a new one, ' +
          'or move it to the commit last deployed (git tag -f -a lockstep/production/web -m deployed <commit> && git push -f origin lockstep/production/web). ' +
          `(git: not our ref ${missing}). Using local tags`,
      );
    } finally {
      rmSync(join(ws.origin, 'refs/tags/lockstep/production/web'));
    }
  });

  it('a repository owned by another user: exit 2 naming "dubious ownership" and safe.directory, not "not in a git repository"', async () => {
    // As root, make the checkout really belong to someone else; otherwise git's own test switch.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) chownSync(ws.root, 12345, 12345);
    else process.env.GIT_TEST_ASSUME_DIFFERENT_OWNER = '1';
    try {
      for (const command of [['status'], ['affected', '--base', 'HEAD']]) {
        const { code, stdout, stderr } = await run(ws.root, ...command);
        expect(stdout).toBe('');
        expect(stderr).toBe(
          `lockstep: git refuses the repository at ${ws.root}: it is owned by another user than the one running lockstep ("dubious ownership"). ` +
            `Run lockstep as the owner, or mark the repository safe: git config --global --add safe.directory ${ws.root} ` +
            '(in a container or CI job that checks out as another user, add that line before lockstep runs)\n',
        );
        expect(code).toBe(2);
      }
    } finally {
      if (asRoot) chownSync(ws.root, 0, 0);
      else delete process.env.GIT_TEST_ASSUME_DIFFERENT_OWNER;
    }
  });
});
