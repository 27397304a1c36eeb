/**
 * `lockstep verify-targets` end to end: the packed plugin in the shop example, the real nx and git
 * with a bare origin. What it verifies is checked against Nx itself: the deployable's closure from
 * `nx graph`, the changed projects from `nx show projects --affected`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspaceFromExample, type Workspace } from './support';

interface Scope {
  project: string;
  base: string | null;
  precision: string;
  runTargets: string[];
  projects: { project: string; targets: string[] }[];
  reasons: { kind: string }[];
}

describe('lockstep verify-targets: what a deployable pipeline verifies', () => {
  let ws: Workspace;
  const lockstep = (args: string[], allowFailure = false) =>
    ws.run(['node', 'node_modules/nx-lockstep/bin/lockstep.js', ...args], { allowFailure });
  const scope = (args: string[]) => (JSON.parse(lockstep([...args, '--json']).stdout) as { scopes: Scope[] }).scopes[0];
  let closure: string[];
  let targetsOf: Record<string, string[]>;

  beforeAll(() => {
    ws = createWorkspaceFromExample({ name: 'verify', withHistory: false, init: true });
    ws.push();
    const graph = ws.projectGraph();
    closure = ['catalog-api'];
    for (let i = 0; i < closure.length; i++)
      for (const edge of graph.dependencies[closure[i]] ?? [])
        if (edge.target in graph.nodes && !closure.includes(edge.target)) closure.push(edge.target);
    targetsOf = Object.fromEntries(
      Object.entries(graph.nodes).map(([name, node]) => [name, Object.keys(node.data.targets ?? {})]),
    );
  });
  afterAll(() => ws?.remove());

  const withVerifyTargets = (projects: string[]) =>
    projects.filter((project) => ['lint', 'test', 'typecheck', 'build'].some((t) => targetsOf[project].includes(t)));

  it('never deployed: its whole closure, each project with the verify targets it has', () => {
    const never = scope(['verify-targets', 'catalog-api', '--env', 'staging']);
    expect(never.base).toBeNull();
    expect(never.precision).toBe('project');
    expect(never.reasons.map((reason) => reason.kind)).toEqual(['never-deployed']);
    expect(never.projects.map((entry) => entry.project).sort()).toEqual(withVerifyTargets(closure).sort());
    for (const entry of never.projects)
      expect(entry.targets).toEqual(
        ['lint', 'test', 'typecheck', 'build'].filter((t) => targetsOf[entry.project].includes(t)),
      );
    // Other deployables' projects are never in it.
    expect(never.projects.map((entry) => entry.project)).not.toContain('orders-api');
  });

  it('since its marker: only the changed projects of its closure, as Nx calls them affected', () => {
    const marker = ws.git('rev-parse', 'HEAD').trim();
    ws.git('tag', '-a', '-m', 'deployed', 'lockstep/staging/catalog-api', marker);
    ws.git('push', '-q', 'origin', 'lockstep/staging/catalog-api');
    const money = join(ws.root, 'libs', 'money', 'src', 'lib', 'currency.ts');
    writeFileSync(money, `${readFileSync(money, 'utf8')}\nexport const currencyTableVersion = 2;\n`);
    ws.commitAll('money: version the currency table');

    const affected = ws.nxJson<string[]>([
      'show',
      'projects',
      '--affected',
      `--base=${marker}`,
      '--head=HEAD',
      '--json',
    ]);
    const since = scope(['verify-targets', 'catalog-api', '--env', 'staging']);
    expect(since.base).toBe(marker);
    expect(since.reasons[0]).toMatchObject({ kind: 'dependency-project-changed', project: 'money' });
    const expected = withVerifyTargets(closure.filter((project) => affected.includes(project)));
    expect(since.projects.map((entry) => entry.project).sort()).toEqual(expected.sort());
    expect(expected).toEqual(expect.arrayContaining(['catalog-api', 'money']));
    // Symbol precision ships nothing of it to catalog-api (a new export it does not use): no deploy,
    // but money's checks still run in catalog-api's pipeline.
    const deploy = JSON.parse(lockstep(['affected', '--base', marker, '--json']).stdout) as {
      precision: string;
      deployables: { project: string; affected: boolean }[];
    };
    expect(deploy.precision).toBe('symbol');
    expect(deploy.deployables.find((decision) => decision.project === 'catalog-api')?.affected).toBe(false);
    // Affected elsewhere in the workspace, but not catalog-api's to verify.
    expect(affected.filter((project) => !closure.includes(project)).length).toBeGreaterThan(0);

    const text = lockstep(['verify-targets', 'catalog-api', '--env', 'staging']).stdout;
    expect(text).toContain(
      `nx run-many -t ${since.runTargets.join(',')} -p ${since.projects.map((p) => p.project).join(',')}`,
    );
  });

  it('--run runs nx run-many on exactly that set, with --targets', () => {
    const ran = lockstep(['verify-targets', 'catalog-api', '--env', 'staging', '--targets', 'build', '--run']);
    const expected = scope(['verify-targets', 'catalog-api', '--env', 'staging', '--targets', 'build']);
    // eslint-disable-next-line no-control-regex -- Nx colours its output
    const output = ran.output.replace(/\u001b\[[0-9;]*m/g, '');
    expect(output).toContain(`running nx run-many -t build -p ${expected.projects.map((p) => p.project).join(',')}`);
    expect(output).toMatch(new RegExp(`Successfully ran target build for ${expected.projects.length} projects`));
  });

  it('nothing to verify when HEAD is at the marker', () => {
    ws.git('tag', '-f', '-a', '-m', 'deployed', 'lockstep/staging/catalog-api', 'HEAD');
    ws.git('push', '-q', '-f', 'origin', 'lockstep/staging/catalog-api');
    const none = scope(['verify-targets', 'catalog-api', '--env', 'staging']);
    expect(none.projects).toEqual([]);
    expect(lockstep(['verify-targets', 'catalog-api', '--env', 'staging']).stdout).toContain('nothing to verify');
  });

  it('refuses bad input with the fix: a bad target name, a project that is not a deployable', () => {
    const badTarget = lockstep(['verify-targets', 'catalog-api', '--targets', 'test:ci'], true);
    expect(badTarget.code).toBe(2);
    expect(badTarget.stderr).toContain('"test:ci" is not a target name');
    const library = lockstep(['verify-targets', 'money'], true);
    expect(library.code).toBe(2);
    expect(library.stderr).toMatch(/money.*deploy/);
  });

  it('affected --format markdown: the pull-request plan of a range', () => {
    const markdown = lockstep(['affected', '--base', 'HEAD~1', '--format', 'markdown']).stdout;
    expect(markdown).toContain('| deployable | deploys | why |');
    expect(markdown).toMatch(/\| `catalog-api` \| (\*\*yes\*\*|no) \|/);
  });
});
