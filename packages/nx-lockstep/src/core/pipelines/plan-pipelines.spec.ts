import { describe, expect, it } from 'vitest';
import { upsertManagedBlock, BLOCK_START, BLOCK_END } from './managed-block';
import { projectSlug } from './pipeline-names';
import type { PipelineSettings, PipelineWorkspace } from './pipeline-plan';
import { planPipelines } from './plan-pipelines';

const settings: PipelineSettings = {
  provider: 'github',
  environments: ['production'],
  defaultBranch: 'main',
  nodeVersion: '20',
  installCommand: 'npm ci',
  setupSteps: [],
  affectedDeployTargetName: 'affected-deploy',
};

function workspace(projects: PipelineWorkspace['projects'], deployables: string[]): PipelineWorkspace {
  return { projects, deployables, rootFiles: ['package.json'], packageManager: 'npm' };
}

describe('planPipelines', () => {
  it('follows dependencies transitively, through cycles, own root first', () => {
    const plan = planPipelines(
      workspace(
        {
          api: { root: 'apps/api/', dependencies: ['b'] },
          b: { root: 'libs/b', dependencies: ['a', 'npm:left-pad'] },
          a: { root: './libs/a', dependencies: ['b'] },
        },
        ['api'],
      ),
      settings,
    );
    expect(plan.deployables).toEqual([{ project: 'api', slug: 'api', roots: ['apps/api', 'libs/a', 'libs/b'] }]);
  });

  it('watches everything for a root project', () => {
    const plan = planPipelines(workspace({ app: { root: '.', dependencies: [] } }, ['app']), settings);
    expect(plan.deployables[0].roots).toEqual(['.']);
  });

  it('refuses two projects that would share a pipeline file', () => {
    const projects = { '@acme/api': { root: 'a', dependencies: [] }, 'acme-api': { root: 'b', dependencies: [] } };
    expect(() => planPipelines(workspace(projects, ['@acme/api', 'acme-api']), settings)).toThrow(
      /"@acme\/api" and "acme-api" would share the pipeline file "deploy-acme-api"/,
    );
  });

  it('refuses an unsafe target name', () => {
    expect(() =>
      planPipelines(workspace({}, []), { ...settings, affectedDeployTargetName: 'deploy"; rm -rf /' }),
    ).toThrow(/affectedDeployTargetName .* is not a plain target name/);
  });
});

describe('projectSlug', () => {
  it('makes file-name-safe, stable slugs', () => {
    expect(projectSlug('@acme/api')).toBe('acme-api');
    expect(projectSlug('my service')).toBe('my-service');
    expect(projectSlug('服务')).toMatch(/^project-[0-9a-f]{8}$/);
    expect(projectSlug('服务')).toBe(projectSlug('服务'));
    expect(projectSlug('服务')).not.toBe(projectSlug('服務'));
  });
});

describe('upsertManagedBlock', () => {
  const user = 'stages: [test, deploy]\n\nunit:\n  script: [npm test]\n';
  it('appends, replaces and removes only its block', () => {
    const added = upsertManagedBlock(user, 'include: []\n', '.gitlab-ci.yml')!;
    expect(added).toBe(`${user}${BLOCK_START}\ninclude: []\n${BLOCK_END}\n`);
    const replaced = upsertManagedBlock(`${added}after: 1\n`, 'include:\n  - local: x.yml\n', '.gitlab-ci.yml');
    expect(replaced).toBe(`${user}${BLOCK_START}\ninclude:\n  - local: x.yml\n${BLOCK_END}\nafter: 1\n`);
    expect(upsertManagedBlock(replaced, null, '.gitlab-ci.yml')).toBe(`${user}after: 1\n`);
    expect(upsertManagedBlock(`${BLOCK_START}\nx: 1\n${BLOCK_END}\n`, null, '.gitlab-ci.yml')).toBeNull();
  });
  it('refuses a user file that has its own top-level include', () => {
    expect(() => upsertManagedBlock('include:\n  - local: a.yml\n', 'include: []\n', '.gitlab-ci.yml')).toThrow(
      /\.gitlab-ci\.yml already has a top-level "include:"/,
    );
  });
});
