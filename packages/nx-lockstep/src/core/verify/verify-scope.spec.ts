import { describe, expect, it } from 'vitest';
import type { DeployableDecision } from '../result';
import { decideVerifyScope, dependencyClosure, runManyArgs } from './verify-scope';

// api → shared → util, api → auth → util; web → ui; lib `other` is no one's.
const dependencies = { api: ['shared', 'auth'], shared: ['util'], auth: ['util'], web: ['ui'], util: [], ui: [] };
const targets: Record<string, string[]> = {
  api: ['build', 'deploy', 'test', 'lint'],
  shared: ['test', 'build'],
  auth: ['lint'],
  util: ['test'],
  web: ['build'],
  ui: [],
};
const targetsOf = (project: string) => targets[project] ?? [];
const head = 'h'.repeat(40);

function decision(affected: boolean, base: string | null = 'b'.repeat(40)): DeployableDecision {
  return {
    project: 'api',
    base,
    affected,
    reasons: affected
      ? [
          {
            kind: 'dependency-project-changed',
            project: 'util',
            file: 'libs/util/a.ts',
            via: ['api', 'shared', 'util'],
          },
        ]
      : [],
  };
}

describe('decideVerifyScope', () => {
  it('verifies the changed projects of the closure only, each with the verify targets it has', () => {
    // util changed: Nx marks util and everything that depends on it affected, web too (not in the closure).
    const scope = decideVerifyScope(
      {
        decision: decision(true),
        dependencies,
        changed: new Set(['util', 'shared', 'auth', 'api', 'other-app']),
        targetsOf,
        targets: ['lint', 'test', 'typecheck', 'build'],
      },
      { head, env: 'staging' },
    );
    expect(scope.projects).toEqual([
      { project: 'api', targets: ['lint', 'test', 'build'] },
      { project: 'auth', targets: ['lint'] },
      { project: 'shared', targets: ['test', 'build'] },
      { project: 'util', targets: ['test'] },
    ]);
    expect(scope.runTargets).toEqual(['lint', 'test', 'build']);
    expect(scope.precision).toBe('project');
    expect(runManyArgs(scope)).toEqual(['run-many', '-t', 'lint,test,build', '-p', 'api,auth,shared,util']);
  });

  it('never deployed: the whole closure (safety first)', () => {
    const scope = decideVerifyScope(
      {
        decision: { project: 'api', base: null, affected: true, reasons: [{ kind: 'never-deployed', env: 'prod' }] },
        dependencies,
        changed: 'closure',
        targetsOf,
        targets: ['test'],
      },
      { head },
    );
    expect(scope.projects.map((entry) => entry.project)).toEqual(['api', 'shared', 'util']);
    expect(scope.withoutTargets).toEqual(['auth']);
  });

  it('unaffected (HEAD at the marker, or nothing of the closure changed): nothing to run', () => {
    const scope = decideVerifyScope(
      { decision: decision(false), dependencies, changed: new Set(['web']), targetsOf, targets: ['build'] },
      { head },
    );
    expect(scope.projects).toEqual([]);
    expect(runManyArgs(scope)).toEqual([]);
  });

  it('closure: itself first, then breadth-first, each project once', () => {
    expect(dependencyClosure('api', dependencies)).toEqual(['api', 'auth', 'shared', 'util']);
    expect(dependencyClosure('lonely', dependencies)).toEqual(['lonely']);
  });
});
