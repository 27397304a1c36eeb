import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspaceFromExample, DEPLOYABLES, dirtyFiles, LIBRARIES, packPlugin, type Workspace } from './support';

// What a user sees right after installing nx-lockstep into the example shop: the packed plugin,
// the real nx binary, a real git repository.

const SHA = '"${LOCKSTEP_SHA:-$(git rev-parse HEAD)}"';
const EXPECTED_DEPLOY: Record<
  (typeof DEPLOYABLES)[number],
  { command: string; cwd?: string; technologies: string[]; marker: string }
> = {
  'orders-api': {
    command: `docker build -f apps/orders-api/Dockerfile -t orders-api:${SHA} . && docker push orders-api:${SHA}`,
    technologies: ['docker'],
    marker: 'apps/orders-api/Dockerfile',
  },
  'catalog-api': {
    command: `docker build -f apps/catalog-api/Dockerfile -t catalog-api:${SHA} . && docker push catalog-api:${SHA}`,
    technologies: ['docker'],
    marker: 'apps/catalog-api/Dockerfile',
  },
  'email-worker': {
    command: 'fly deploy --config apps/email-worker/fly.toml',
    technologies: ['fly'],
    marker: 'apps/email-worker/fly.toml',
  },
  storefront: {
    command: 'vercel deploy --prod --yes',
    cwd: 'apps/storefront',
    technologies: ['vercel'],
    marker: 'apps/storefront/vercel.json',
  },
};

type PluginEntry = string | { plugin: string; options?: unknown };
const lockstepEntries = (nxJson: { plugins?: PluginEntry[] }) =>
  (nxJson.plugins ?? []).filter((entry) => (typeof entry === 'string' ? entry : entry.plugin) === 'nx-lockstep');

describe('nx g nx-lockstep:init on the example shop', () => {
  let ws: Workspace;
  let firstInit: string;

  let cachedGraph: ReturnType<Workspace['projectGraph']> | undefined;
  const graph = () => (cachedGraph ??= ws.projectGraph());

  beforeAll(() => {
    ws = createWorkspaceFromExample({ name: 'init' });
    firstInit = ws.nx(['g', 'nx-lockstep:init', '--no-interactive']).output;
  });
  afterAll(() => ws?.remove());

  it('registers the plugin in nx.json once and lists the deployables it found', () => {
    expect(lockstepEntries(ws.readJson('nx.json'))).toHaveLength(1);
    for (const project of DEPLOYABLES) expect(firstInit).toContain(project);
  });

  it('is idempotent: a second run leaves nx.json as it was and still reports the deployables', () => {
    ws.commitAll('Register nx-lockstep');
    const before = ws.read('nx.json');
    const second = ws.nx(['g', 'nx-lockstep:init', '--no-interactive']).output;
    expect(ws.read('nx.json')).toBe(before);
    expect(dirtyFiles(ws.root)).toEqual([]);
    for (const project of DEPLOYABLES) expect(second).toContain(project);
  });

  it('infers deploy and affected-deploy on exactly the four deployables', () => {
    expect(ws.showProjects('deploy')).toEqual([...DEPLOYABLES]);
    expect(ws.showProjects('affected-deploy')).toEqual([...DEPLOYABLES]);
  });

  it.each(DEPLOYABLES)('%s: deploy runs the command its marker implies, with metadata', (project) => {
    const expected = EXPECTED_DEPLOY[project];
    const { targets } = ws.showProject(project);
    const deploy = targets.deploy!;
    expect(deploy.executor).toBe('nx:run-commands');
    expect(deploy.options?.command).toBe(expected.command);
    expect(deploy.options?.cwd).toBe(expected.cwd);
    expect(deploy.metadata?.technologies).toEqual(expected.technologies);
    expect(deploy.metadata?.description).toContain(expected.marker);

    const affectedDeploy = targets['affected-deploy']!;
    expect(affectedDeploy.executor).toBe('nx-lockstep:affected-deploy');
    expect(affectedDeploy.metadata?.description).toContain(project);
    // The example's own targets are left alone.
    expect(targets.build?.options?.command).toMatch(new RegExp(`^esbuild apps/${project}/src/main.ts --bundle `));
    expect(targets.typecheck?.options?.command).toBe(`tsc -p apps/${project}/tsconfig.json`);
  });

  it('still builds offline, and the built storefront renders its pages', () => {
    // esbuild bundles the libraries itself: skip the ^build of every library.
    ws.nx(['run', 'storefront:build', '--excludeTaskDependencies']);
    const out = join(ws.root, 'tmp', 'public');
    ws.run([process.execPath, 'dist/apps/storefront/main.js', out]);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<header class="banner">');
    // The storefront ships orders-api code (the cross-deployable import the example is built around).
    const meta = ws.readJson<{ inputs: Record<string, unknown> }>('dist/apps/storefront/meta.json');
    expect(Object.keys(meta.inputs)).toContain('apps/orders-api/src/public/order-summary.ts');
  });

  it('gives libraries no deploy targets', () => {
    const { nodes } = graph();
    expect(Object.keys(nodes).sort()).toEqual([...DEPLOYABLES, ...LIBRARIES].sort());
    for (const library of LIBRARIES) {
      expect(Object.keys(nodes[library]!.data.targets), library).toEqual(['build']);
    }
  });

  it("draws the graph's edges from imports, including the storefront's import of orders-api code", () => {
    const edges = Object.fromEntries(
      Object.entries(graph().dependencies).map(([source, deps]) => [source, deps.map((dep) => dep.target).sort()]),
    );
    expect(edges).toEqual({
      'catalog-api': ['catalog-search', 'http-kit', 'money', 'shared-logger'],
      'catalog-search': ['money', 'shared-utils'],
      'email-templates': ['money', 'orders-contracts', 'shared-utils'],
      'email-worker': ['email-templates', 'orders-contracts', 'shared-logger'],
      'http-kit': ['shared-logger'],
      money: [],
      'orders-api': ['http-kit', 'money', 'orders-contracts', 'shared-logger', 'shared-utils'],
      'orders-contracts': ['money'],
      'shared-logger': ['shared-utils'],
      'shared-utils': [],
      storefront: ['money', 'orders-api', 'orders-contracts', 'shared-logger', 'shared-utils'],
    });
  });
});

describe('nx add nx-lockstep (from the packed tarball)', () => {
  let ws: Workspace;

  beforeAll(() => {
    ws = createWorkspaceFromExample({ name: 'add', install: 'nx', withHistory: false });
  });
  afterAll(() => ws?.remove());

  it('installs the plugin, runs init and the deploy targets appear', () => {
    const { tarball } = packPlugin();
    const added = ws.nx(['add', `nx-lockstep@file:${tarball}`]);
    expect(added.output).toContain('nx-lockstep');
    const packageJson = ws.readJson<{ devDependencies: Record<string, string> }>('package.json');
    expect(packageJson.devDependencies['nx-lockstep']).toMatch(/^file:.*nx-lockstep-.*\.tgz$/);
    expect(lockstepEntries(ws.readJson('nx.json'))).toHaveLength(1);
    expect(ws.showProjects('deploy')).toEqual([...DEPLOYABLES]);
  });

  it('exposes the engine to scripts as nx-lockstep/engine, with its types', () => {
    const probe =
      "const engine = require('nx-lockstep/engine'); console.log(typeof engine.analyzeAffected, engine.RESULT_VERSION, require.resolve('nx-lockstep/engine'))";
    const { output } = ws.run([process.execPath, '-e', probe]);
    expect(output.trim()).toMatch(/^function 1 .*node_modules\/nx-lockstep\/dist\/engine\.js$/);
    expect(readFileSync(join(ws.root, 'node_modules/nx-lockstep/dist/engine.d.ts'), 'utf8')).toContain(
      'analyzeAffected',
    );
  });
});
