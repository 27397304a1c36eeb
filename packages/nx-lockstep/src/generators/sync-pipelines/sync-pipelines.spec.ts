import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { BLOCK_END, BLOCK_START } from '../../core/pipelines/managed-block';
import { at, newTree, sampleGraph } from '../pipelines/__fixtures__/sample-graph';
import { pipelinesGenerator } from '../pipelines/pipelines';
import { syncPipelinesGenerator } from './sync-pipelines';

describe('nx-lockstep:sync-pipelines', () => {
  it('is idempotent: a second run changes nothing and reports nothing', async () => {
    const tree = newTree();
    const graph = sampleGraph().graph;
    await pipelinesGenerator(tree, { environments: 'staging,production' }, at(graph));
    expect(await syncPipelinesGenerator(tree, at(graph))).toEqual({});
    expect(tree.listChanges().length).toBeGreaterThan(0);
    const before = tree.listChanges().map((change) => [change.path, change.content?.toString()]);
    await syncPipelinesGenerator(tree, at(graph));
    expect(tree.listChanges().map((change) => [change.path, change.content?.toString()])).toEqual(before);
  });

  it('follows a new dependency edge, adds new deployables and deletes only its own stale files', async () => {
    const tree = newTree();
    await pipelinesGenerator(tree, {}, at(sampleGraph().graph));
    tree.write('.github/workflows/ci.yml', 'name: ci\non: push\n');
    const changed = sampleGraph().add('web', 'apps/web', ['util'], true).add('admin', 'apps/admin', [], true);
    delete changed.graph.nodes.worker;
    delete changed.graph.dependencies.worker;
    const result = await syncPipelinesGenerator(tree, at(changed.graph));
    expect(result.outOfSyncMessage).toMatch(/nx sync/);
    expect(result.outOfSyncDetails).toEqual([
      'create .github/workflows/deploy-admin.yml',
      'update .github/workflows/deploy-web.yml',
      'delete .github/workflows/deploy-worker.yml',
    ]);
    expect(parse(tree.read('.github/workflows/deploy-web.yml', 'utf-8')!).on.push.paths).toContain('libs/util/**');
    expect(tree.read('.github/workflows/ci.yml', 'utf-8')).toBe('name: ci\non: push\n');
  });

  it('switches provider from the options: new files, old generated files and the GitLab block removed', async () => {
    const tree = newTree();
    tree.write('.gitlab-ci.yml', 'stages: [build, deploy]\nlint:\n  stage: build\n  script: [echo lint]\n');
    await pipelinesGenerator(tree, { provider: 'gitlab' }, at(sampleGraph().graph));
    const root = tree.read('.gitlab-ci.yml', 'utf-8')!;
    expect(root.startsWith('stages: [build, deploy]\nlint:\n  stage: build\n  script: [echo lint]\n')).toBe(true);
    expect(root).toContain(BLOCK_START);
    expect(parse(root).include).toEqual([
      { local: '.gitlab/ci/deploy-api.yml' },
      { local: '.gitlab/ci/deploy-web.yml' },
      { local: '.gitlab/ci/deploy-worker.yml' },
      { local: '.gitlab/ci/lockstep-pull-request-plan.yml' },
    ]);

    await pipelinesGenerator(tree, { provider: 'github' }, at(sampleGraph().graph));
    expect(tree.children('.gitlab/ci')).toEqual([]);
    expect(tree.read('.gitlab-ci.yml', 'utf-8')).toBe(
      'stages: [build, deploy]\nlint:\n  stage: build\n  script: [echo lint]\n',
    );
    expect(tree.read('.gitlab-ci.yml', 'utf-8')).not.toContain(BLOCK_END);
    expect(tree.children('.github/workflows')).toHaveLength(4);
  });
});
