/**
 * `lockstep affected --env`, `lockstep status` and the affected-deploy executor's decision must
 * say the same thing about the same repository, whatever state its marker is in: none, HEAD
 * ahead of it, HEAD behind it, diverged, a shallow clone, a marker naming a missing object.
 * Real git with a bare origin, the real nx, the real engine.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeAffected } from '../src/adapters/analyze';
import { readMarkers } from '../src/adapters/markers/read-markers';
import type { CliIo } from '../src/cli/cli-io';
import { main } from '../src/cli/main';
import type { DeployableDecision, Reason } from '../src/core/result';
import { decideDeploy } from '../src/executors/affected-deploy/decide-deploy';
import {
  createFixtureWorkspace,
  deployableProject,
  git,
  NX_JSON,
  type FixtureWorkspace,
} from './support/fixture-workspace';

Object.assign(process.env, { NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_NO_CLOUD: 'true', CI: 'true' });

const TAG = 'lockstep/production/api';
const MISSING = '0123456789abcdef0123456789abcdef01234567';

interface Verdict {
  affected: boolean;
  reasons: Reason[];
}

async function cli(cwd: string, ...argv: string[]): Promise<string> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { cwd, stdout: (text) => void (stdout += text), stderr: (text) => void (stderr += text) };
  const code = await main(argv, io);
  if (code !== 0) throw new Error(`lockstep ${argv.join(' ')} exited ${code}: ${stderr}`);
  return stdout;
}

/** What each of the three says about api in the repository at `root`. */
async function verdicts(root: string): Promise<Record<'affected' | 'status' | 'executor', Verdict>> {
  const affected = JSON.parse(await cli(root, 'affected', '--json', '--env', 'production', '--precision', 'file'));
  const status = JSON.parse(await cli(root, 'status', '--json', '--env', 'production', '--precision', 'file'));
  const marker = (
    await readMarkers(root, {
      env: 'production',
      prefix: 'lockstep',
      remote: 'origin',
      projects: ['api'],
      onWarning() {},
    })
  ).api;
  const executor = await decideDeploy({
    settings: {
      root,
      project: 'api',
      env: 'production',
      precision: 'file',
      deployTarget: 'deploy',
      prefix: 'lockstep',
      remote: 'origin',
      tag: TAG,
      pushMarker: false,
    },
    head: git(root, 'rev-parse', 'HEAD'),
    marker,
    analyze: analyzeAffected,
    warn() {},
  });
  const api = (list: Array<DeployableDecision & { pending?: boolean }>) => list.find((d) => d.project === 'api')!;
  const fromStatus = api(status.deployables);
  return {
    affected: { affected: api(affected.deployables).affected, reasons: api(affected.deployables).reasons },
    status: { affected: fromStatus.pending!, reasons: fromStatus.reasons },
    executor: { affected: executor.affected, reasons: executor.reasons },
  };
}

/** Asserts that the three agree, and returns their common verdict. */
async function agreed(root: string): Promise<Verdict> {
  const all = await verdicts(root);
  expect(all.status).toEqual(all.affected);
  expect(all.executor).toEqual(all.affected);
  return all.affected;
}

/** Points the marker at `target` here and on origin (fetching markers prunes what origin lacks). */
function mark(root: string, target: string): void {
  git(root, 'tag', '-f', '-a', '-m', 'deployed', TAG, target);
  git(root, 'push', '-q', '-f', 'origin', `refs/tags/${TAG}`);
}

describe('one marker decision: affected --env, status and the executor agree', () => {
  let ws: FixtureWorkspace;
  let first: string;
  let second: string;

  beforeAll(() => {
    ws = createFixtureWorkspace({
      'nx.json': NX_JSON,
      'package.json': JSON.stringify({ name: 'fixture', private: true }),
      'apps/api/project.json': deployableProject('api', 'apps/api'),
      'apps/api/src/main.ts': "console.log('api 1');\n",
    });
    first = git(ws.root, 'rev-parse', 'HEAD');
    second = ws.commit('api 2', { 'apps/api/src/main.ts': "console.log('api 2');\n" });
  });
  afterAll(() => ws?.remove());

  it('no marker: never deployed', async () => {
    expect(await agreed(ws.root)).toEqual({ affected: true, reasons: [{ kind: 'never-deployed', env: 'production' }] });
  });

  it('HEAD ahead of the marker: the change is analysed', async () => {
    mark(ws.root, first);
    const verdict = await agreed(ws.root);
    expect(verdict.affected).toBe(true);
    expect(verdict.reasons).toEqual([
      { kind: 'own-file-changed', file: 'apps/api/src/main.ts', via: ['apps/api/src/main.ts'] },
    ]);
  });

  it('HEAD behind the marker (an old pipeline re-run): nothing to deploy, deploying would roll back', async () => {
    mark(ws.root, second);
    git(ws.root, 'checkout', '-q', first);
    try {
      expect(await agreed(ws.root)).toEqual({ affected: false, reasons: [] });
    } finally {
      git(ws.root, 'checkout', '-q', 'main');
    }
  });

  it('diverged (the marker on a branch HEAD does not contain): compared like any base', async () => {
    git(ws.root, 'checkout', '-q', '-b', 'side', first);
    const side = ws.commit('api on a side branch', { 'apps/api/src/main.ts': "console.log('api side');\n" });
    git(ws.root, 'checkout', '-q', 'main');
    mark(ws.root, side);
    const verdict = await agreed(ws.root);
    expect(verdict.affected).toBe(true);
    expect(verdict.reasons[0]).toMatchObject({ kind: 'own-file-changed', file: 'apps/api/src/main.ts' });
  });

  it('a shallow clone without the history from the marker to HEAD: deploy, saying how to fetch it', async () => {
    mark(ws.root, first);
    const shallow = join(ws.dir, 'shallow');
    git(ws.dir, 'clone', '-q', '--depth', '1', `file://${ws.origin}`, shallow);
    expect(git(shallow, 'rev-parse', 'HEAD')).toBe(second);
    const verdict = await agreed(shallow);
    expect(verdict.affected).toBe(true);
    expect(verdict.reasons).toEqual([
      expect.objectContaining({
        kind: 'base-unavailable',
        base: first,
        hint: expect.stringContaining('shallow clone'),
      }),
    ]);
  });

  it('a marker naming an object this clone lacks: deploy, naming the commit', async () => {
    git(ws.root, 'tag', '-d', TAG);
    git(ws.root, 'push', '-q', 'origin', `:refs/tags/${TAG}`);
    // git refuses to point a ref at a missing object: write the ref files as a broken repository has them.
    for (const refs of [join(ws.root, '.git', 'refs'), join(ws.origin, 'refs')]) {
      mkdirSync(join(refs, 'tags', 'lockstep', 'production'), { recursive: true });
      writeFileSync(join(refs, 'tags', TAG), `${MISSING}\n`);
    }
    const verdict = await agreed(ws.root);
    expect(verdict).toEqual({
      affected: true,
      reasons: [expect.objectContaining({ kind: 'base-unavailable', base: MISSING })],
    });
    expect(verdict.reasons[0]).toMatchObject({ hint: expect.stringContaining('01234567 is not in this clone') });
  });
});
