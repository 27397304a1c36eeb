/**
 * affected-deploy end to end: a temporary Nx workspace with the packed plugin, a local bare
 * repository as origin, three services whose deploy targets append to deploy.log. The scenarios
 * run in order on one workspace, as successive pipelines would.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeployWorkspace, type DeployWorkspace } from './support/deploy-workspace';
import { nx } from './support/nx';
import { run } from './support/run';

const ALL = ['run-many', '-t', 'affected-deploy', '--parallel=1', '--output-style=static'];

describe('affected-deploy: each deployable deploys only what reached it since its own last deploy', () => {
  let ws: DeployWorkspace;
  let c0: string;
  let c2: string;

  beforeAll(() => {
    ws = createDeployWorkspace();
    c0 = ws.git('rev-parse', 'HEAD');
  });
  afterAll(() => ws?.remove());

  const deployed = () =>
    ws
      .takeLog()
      .filter((line) => line.startsWith('deploy '))
      .map((line) => line.split(' ')[1])
      .sort();

  it('first run deploys everything (never-deployed), builds first (dependsOn), and marks each on origin', () => {
    // In parallel: three executors fetch and push markers in the same clone at once.
    const result = ws.nx([...ALL.filter((arg) => arg !== '--parallel=1'), '--parallel=3']);
    const log = ws.takeLog();
    expect(log.filter((l) => l.startsWith('deploy ')).sort()).toEqual(
      ['svc-a', 'svc-b', 'svc-c'].map((p) => `deploy ${p} production ${c0}`),
    );
    // build ran before each deploy: the deploy target's dependsOn went through Nx.
    for (const p of ['svc-a', 'svc-b', 'svc-c'])
      expect(log.indexOf(`build ${p}`)).toBeLessThan(log.indexOf(`deploy ${p} production ${c0}`));
    expect(result.output).toContain('never deployed to production (no marker)');
    for (const p of ['svc-a', 'svc-b', 'svc-c']) expect(ws.remoteMarker(p)).toBe(c0);
  });

  it('a second run with no change deploys nothing', () => {
    const result = ws.nx(ALL);
    expect(deployed()).toEqual([]);
    expect(result.output).toMatch(new RegExp(`skipped: svc-a unchanged since ${c0.slice(0, 8)} \\(\\d{4}-`));
  });

  it('a change to the library used by two of three services deploys exactly those two', () => {
    const c1 = ws.commitAndPush(
      { 'libs/shared/src/index.ts': `export function greet(name: string): string {\n  return 'hi ' + name;\n}\n` },
      'Change shared',
    );
    const result = ws.nx(ALL);
    expect(deployed()).toEqual(['svc-a', 'svc-b']);
    expect(result.output).toContain('libs/shared/src/index.ts');
    expect([ws.remoteMarker('svc-a'), ws.remoteMarker('svc-b'), ws.remoteMarker('svc-c')]).toEqual([c1, c1, c0]);
    // The executor parsed the changed file inside Nx's process: the compiler went through a code
    // cache in the workspace data, which the generated pipelines restore with the analysis's caches.
    const data = join(ws.root, '.nx', 'workspace-data', 'nx-lockstep');
    expect(readdirSync(join(data, 'compile-cache')).filter((name) => name.endsWith('.v8'))).toHaveLength(1);
    // And it took the projects from the graph Nx holds for the run: no Nx of its own, so no
    // projects cache written.
    expect(readdirSync(data)).not.toContain('projects.cache');
  });

  it('one of two deploys fails → only the other marker moves; the next run deploys only the failed one; then nothing', () => {
    const c1 = ws.remoteMarker('svc-b');
    c2 = ws.commitAndPush(
      { 'libs/shared/src/index.ts': `export function greet(name: string): string {\n  return 'hey ' + name;\n}\n` },
      'Change shared again',
    );
    ws.run(['touch', 'fail-svc-b']);
    const failed = ws.nx(ALL, { allowFailure: true });
    expect(failed.code).not.toBe(0);
    expect(deployed()).toEqual(['svc-a']);
    expect(failed.output).toContain('deploy of svc-b to production failed; marker lockstep/production/svc-b stays at');
    expect([ws.remoteMarker('svc-a'), ws.remoteMarker('svc-b')]).toEqual([c2, c1]);

    // lockstep status shows the failed one as pending, from its own marker.
    const status = JSON.parse(ws.run(['node', 'node_modules/nx-lockstep/bin/lockstep.js', 'status', '--json']).stdout);
    expect(
      status.deployables.map(
        (d: { project: string; marker: { sha: string }; commitsSince: number; pending: boolean }) => [
          d.project,
          d.marker.sha,
          d.commitsSince,
          d.pending,
        ],
      ),
    ).toEqual([
      ['svc-a', c2, 0, false],
      ['svc-b', c1, 1, true],
      ['svc-c', c0, 2, false],
    ]);
    expect(status.deployables[1].reasons[0]).toMatchObject({
      kind: 'imported-file-changed',
      file: 'libs/shared/src/index.ts',
    });
    // lockstep affected without --base compares each deployable from its own marker.
    const affected = JSON.parse(
      ws.run(['node', 'node_modules/nx-lockstep/bin/lockstep.js', 'affected', '--json']).stdout,
    );
    expect(
      affected.deployables.map((d: { project: string; base: string; affected: boolean }) => [
        d.project,
        d.base,
        d.affected,
      ]),
    ).toEqual([
      ['svc-a', c2, false],
      ['svc-b', c1, true],
      ['svc-c', c0, false],
    ]);

    ws.run(['rm', 'fail-svc-b']);
    ws.nx(ALL);
    expect(deployed()).toEqual(['svc-b']);
    expect(ws.remoteMarker('svc-b')).toBe(c2);

    ws.nx(ALL);
    expect(deployed()).toEqual([]);
  });

  it('staging and production markers move independently', () => {
    ws.nx(['run', 'svc-c:affected-deploy', '--env=staging']);
    expect(ws.takeLog()).toContain(`deploy svc-c staging ${c2}`);
    expect(ws.remoteMarker('svc-c', 'staging')).toBe(c2);
    expect(ws.remoteMarker('svc-c', 'production')).toBe(c0);
    // Production still compares from its own marker: nothing svc-c ships changed since c0.
    const production = ws.nx(['run', 'svc-c:affected-deploy']);
    expect(production.output).toContain(`skipped: svc-c unchanged since ${c0.slice(0, 8)}`);
    expect(deployed()).toEqual([]);
  });

  it('a shallow clone that lacks the history to the marker deploys with base-unavailable and the fetch-depth hint, never skips', () => {
    const c3 = ws.commitAndPush({ 'README.md': 'docs only\n' }, 'Docs');
    const shallow = ws.clone('shallow', '--depth', '1');
    const result = nx(shallow, ['run', 'svc-c:affected-deploy'], { allowFailure: true });
    expect(result.output).toMatch(/base [0-9a-f]{12} unavailable: .*shallow clone.*fetch-depth: 0/);
    expect(run(['cat', `${shallow}/deploy.log`]).stdout).toContain(`deploy svc-c production ${c3}`);
    // The shallow clone cannot prove c3 is newer than the marker, so the marker stays (the safe side).
    expect(ws.remoteMarker('svc-c')).toBe(c0);
  });

  it('bad input: an env that cannot be part of a tag fails before deploying', () => {
    const result = ws.nx(['run', 'svc-a:affected-deploy', '--env=prod/eu'], { allowFailure: true });
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/Invalid env "prod\/eu".*Example: "production"/);
    expect(deployed()).toEqual([]);
  });
});
