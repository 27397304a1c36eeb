import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWorkspaceFromExample, DEPLOYABLES, type Workspace } from './support';

// The packed plugin against real nx majors from npm (one install per version, shared by the
// workspaces that use it): the plugin loads, `lockstep affected` at project precision is exactly
// `nx show projects --affected`, and file precision reads the graph too. 22.5.2 keeps its files
// under nx/src/ without package exports; 23 and 24 map nx/src/* to dist/src/* through exports.

const examplePackageJson = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'examples', 'shop', 'package.json'), 'utf8'),
) as { devDependencies: { nx: string } };
const VERSIONS = [
  { nx: '22.5.2' },
  { nx: '23.3.2' },
  { nx: undefined, label: `example's ${examplePackageJson.devDependencies.nx}` },
];

interface Decision {
  project: string;
  affected: boolean;
  reasons: unknown[];
}

const filePrecisionByVersion = new Map<string, string[]>();

describe.each(VERSIONS)('nx $nx $label', ({ nx: nxVersion }) => {
  let ws: Workspace;
  // (base, head) pairs of the example's history: one library fix, one contract change, all of it.
  let ranges: Array<{ name: string; base: string; head: string }>;

  beforeAll(() => {
    ws = createWorkspaceFromExample({ name: `nx-${nxVersion ?? 'example'}`, nxVersion, init: true });
    const sha = (message: string) => ws.commits.find((commit) => commit.message === message)!.sha;
    const first = ws.commits[0];
    const last = ws.commits[ws.commits.length - 1];
    ranges = [
      { name: 'shared-utils fix', base: first.sha, head: sha('shared-utils: fix date formatting') },
      {
        name: 'contracts change',
        base: sha('storefront: new banner'),
        head: sha('orders-contracts: add optional currency field'),
      },
      { name: 'whole history', base: first.sha, head: last.sha },
    ];
  });
  afterAll(() => ws?.remove());

  const lockstep = (args: string[]) =>
    JSON.parse(ws.run(['node', 'node_modules/nx-lockstep/bin/lockstep.js', 'affected', '--json', ...args]).stdout)
      .deployables as Decision[];
  const affectedNames = (decisions: Decision[]) =>
    decisions
      .filter((decision) => decision.affected)
      .map((decision) => decision.project)
      .sort();

  it('runs the nx version asked for, and the plugin infers every deployable', () => {
    const installed = ws.readJson<{ version: string }>('node_modules/nx/package.json').version;
    expect(installed).toBe(nxVersion ?? installed);
    if (!nxVersion) expect(examplePackageJson.devDependencies.nx).toContain(installed.split('.')[0]);
    expect(ws.showProjects('deploy')).toEqual([...DEPLOYABLES]);
  });

  it('project precision equals `nx show projects --affected` on each range', () => {
    for (const { name, base, head } of ranges) {
      const nxAffected = ws.nxJson<string[]>(['show', 'projects', '--affected', `--base=${base}`, `--head=${head}`]);
      const expected = nxAffected.filter((project) => (DEPLOYABLES as readonly string[]).includes(project)).sort();
      const decisions = lockstep(['--base', base, '--head', head, '--precision', 'project']);
      expect(decisions.map((decision) => decision.project).sort(), name).toEqual([...DEPLOYABLES]);
      expect(affectedNames(decisions), name).toEqual(expected);
      expect(expected.length, `${name} reaches a deployable`).toBeGreaterThan(0);
    }
  });

  it('file precision decides every deployable, within what Nx says, each affected one with a reason', () => {
    const { base, head } = ranges[0];
    const decisions = lockstep(['--base', base, '--head', head, '--precision', 'file']);
    const nxAffected = lockstep(['--base', base, '--head', head, '--precision', 'project']);
    expect(decisions.map((decision) => decision.project).sort()).toEqual([...DEPLOYABLES]);
    const affected = affectedNames(decisions);
    expect(affected.length).toBeGreaterThan(0);
    for (const project of affected) expect(affectedNames(nxAffected)).toContain(project);
    for (const decision of decisions.filter((d) => d.affected)) expect(decision.reasons.length).toBeGreaterThan(0);
    filePrecisionByVersion.set(nxVersion ?? 'example', affected);
  });

  it("the plugin's import edges load the compiler through the workspace's code cache, inside Nx", () => {
    // Nx asks createDependencies for a changed source file, which parses it in Nx's own process:
    // the compiler there comes through the code cache in the workspace data (which the generated
    // pipelines restore), as in the affected-deploy executor, not compiled from source each time.
    const cache = join(ws.root, '.nx', 'workspace-data', 'nx-lockstep', 'compile-cache');
    rmSync(cache, { recursive: true, force: true });
    const file = join(ws.root, 'libs', 'shared-utils', 'src', 'lib', 'ids.ts');
    const text = readFileSync(file, 'utf8');
    try {
      writeFileSync(file, `${text}\nexport const e2eEdit = 1;\n`);
      expect(ws.showProjects('deploy')).toEqual([...DEPLOYABLES]);
      expect(readdirSync(cache).filter((name) => name.endsWith('.v8'))).toHaveLength(1);
    } finally {
      writeFileSync(file, text);
    }
  });

  it.runIf(!nxVersion)('with the plugin registered but nothing selected, affected says what it looked for', () => {
    const nxJson = ws.readJson<{ plugins: Array<string | { plugin: string; options?: object }> }>('nx.json');
    nxJson.plugins = nxJson.plugins.map((entry) =>
      entry === 'nx-lockstep' || (typeof entry === 'object' && entry.plugin === 'nx-lockstep')
        ? { plugin: 'nx-lockstep', options: { include: ['no-such-app'] } }
        : entry,
    );
    writeFileSync(join(ws.root, 'nx.json'), JSON.stringify(nxJson, null, 2));
    const { base, head } = ranges[0];
    const { stdout } = ws.run([
      'node',
      'node_modules/nx-lockstep/bin/lockstep.js',
      'affected',
      '--base',
      base,
      '--head',
      head,
    ]);
    expect(stdout).not.toContain('0 of 0');
    expect(stdout).toContain('no deployables: no project has a "deploy" target');
    expect(stdout).toContain('Dockerfile, Containerfile');
    expect(stdout).toContain('"include": ["no-such-app"]');
  });

  it.runIf(nxVersion === '22.5.2')('reads nx through a pnpm-style symlink (.pnpm/nx@<v>/node_modules/nx)', () => {
    const store = `node_modules/.pnpm/nx@${nxVersion}/node_modules`;
    ws.run(
      `mkdir -p ${store} && mv node_modules/nx ${store}/nx && ln -s ${store.slice('node_modules/'.length)}/nx node_modules/nx`,
    );
    const { base, head } = ranges[0];
    const decisions = lockstep(['--base', base, '--head', head, '--precision', 'project']);
    const nxAffected = ws.nxJson<string[]>(['show', 'projects', '--affected', `--base=${base}`, `--head=${head}`]);
    expect(affectedNames(decisions)).toEqual(
      nxAffected.filter((project) => (DEPLOYABLES as readonly string[]).includes(project)).sort(),
    );
  });
});

describe('across nx versions', () => {
  it('file precision decides the same on every version', () => {
    const answers = [...filePrecisionByVersion.values()];
    expect(answers).toHaveLength(VERSIONS.length);
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });
});
