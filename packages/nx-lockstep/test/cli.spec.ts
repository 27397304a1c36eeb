/**
 * `lockstep affected` and `lockstep explain` through `main(argv)` in-process, on a real fixture
 * workspace with git history: output a person reads, the JSON contract, exit codes.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixtureWorkspace, git, libraryProject, type FixtureWorkspace } from './support/fixture-workspace';
import { schemaErrors, statusSchemaErrors } from './support/result-schema';
import { createShopFixture } from './support/shop-fixture';
import { runCli as run } from './support/run-cli';

describe('lockstep CLI', () => {
  let ws: FixtureWorkspace;
  let base: string;
  let head: string;

  beforeAll(() => {
    ws = createShopFixture();
    base = git(ws.root, 'rev-parse', 'HEAD');
    head = ws.commit('change log', {
      'libs/util/src/log.ts': 'export const log = (message: string) => console.error(message);\n',
    });
  });
  afterAll(() => ws?.remove());

  it('affected prints a table of every deployable with its first reason', async () => {
    const { code, stdout, stderr } = await run(
      `${ws.root}/apps/api`,
      'affected',
      '--base',
      base,
      '--precision',
      'file',
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        `head ${head.slice(0, 12)}, precision file`,
        '',
        'DEPLOYABLE  AFFECTED  REASON',
        'api         yes       imported file changed: libs/util/src/log.ts (4 imports from apps/api/src/main.ts)',
        'web         yes       imported file changed: libs/util/src/log.ts (2 imports from apps/web/src/main.ts)',
        '',
        '2 of 2 deployables affected',
        '',
      ].join('\n'),
    );
  });

  it('affected --json prints the versioned contract', async () => {
    const { code, stdout } = await run(ws.root, 'affected', '--base', base, '--head', head, '--json');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(schemaErrors(result)).toEqual([]);
    expect(result).toMatchObject({ version: 1, head, precision: 'symbol' });
    expect(
      result.deployables.map((decision: { project: string; affected: boolean }) => [
        decision.project,
        decision.affected,
      ]),
    ).toEqual([
      ['api', true],
      ['web', false],
    ]);
  });

  it('explain prints every reason with the full import chain', async () => {
    const { code, stdout } = await run(ws.root, 'explain', 'api', '--base', base, '--precision', 'symbol');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'api: AFFECTED — deploy',
        `  base ${base}  head ${head}  precision symbol`,
        '',
        '1. imported file changed: libs/util/src/log.ts (4 imports from apps/api/src/main.ts)',
        '     import chain:',
        '         apps/api/src/main.ts',
        '       → libs/db/src/index.ts',
        '       → libs/db/src/lib/client.ts',
        '       → libs/util/src/index.ts',
        '       → libs/util/src/log.ts',
        '     changed: `log`',
        '',
      ].join('\n'),
    );
  });

  it('without --base, each deployable is compared from its deploy marker: none yet means never deployed', async () => {
    const { code, stdout } = await run(ws.root, 'affected', '--env', 'staging', '--precision', 'file');
    expect(code).toBe(0);
    expect(stdout).toContain('api         yes       never deployed to staging');
    expect(stdout).toContain('web         yes       never deployed to staging');
  });

  it('usage errors exit 2 with a message that says what to pass', async () => {
    const badPrecision = await run(ws.root, 'affected', '--base', base, '--precision', 'line');
    expect(badPrecision.code).toBe(2);
    expect(badPrecision.stderr).toBe(
      "lockstep: option '--precision <level>' argument 'line' is invalid. Allowed choices are project, file, symbol.\n(add --help for usage)\n",
    );

    const badHead = await run(ws.root, 'affected', '--base', base, '--head', 'no-such-ref');
    expect(badHead.code).toBe(2);
    expect(badHead.stderr).toContain('--head no-such-ref is not a commit');

    const unknownCommand = await run(ws.root, 'deploy-everything');
    expect(unknownCommand.code).toBe(2);
  });

  it('explain of a project that is not a deployable exits 2 and lists the deployables', async () => {
    const { code, stderr } = await run(ws.root, 'explain', 'db', '--base', base);
    expect(code).toBe(2);
    expect(stderr).toBe('lockstep: db is not a deployable (a project with a "deploy" target); deployables: api, web\n');
  });

  it('a --base that names no commit is a usage error; a sha this clone lacks deploys with the fix (shallow clones)', async () => {
    const typo = await run(ws.root, 'affected', '--base', 'mian');
    expect(typo.code).toBe(2);
    expect(typo.stdout).toBe('');
    expect(typo.stderr).toMatch(
      /^lockstep: --base mian is not a commit, branch or tag in this repository: pass the last deployed commit, e\.g\. --base origin\/main~1/,
    );

    const missing = 'abcdef0123456789abcdef0123456789abcdef01';
    const explained = await run(ws.root, 'explain', 'api', '--base', missing, '--precision', 'file');
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain(
      `1. base ${missing.slice(0, 12)} unavailable\n     ${missing} is not in the local repository: fetch it`,
    );
  });

  it('a bad --env is a usage error naming the option and a valid example', async () => {
    for (const command of [['affected', '--base', 'HEAD'], ['status']]) {
      const { code, stdout, stderr } = await run(ws.root, ...command, '--env', 'prod/eu');
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toContain(`lockstep: option '--env <name>' argument 'prod/eu' is invalid. Invalid env "prod/eu"`);
      expect(stderr).toContain('Example: "production"');
    }
  });

  it('status lists every deployable with its marker state and pending reasons', async () => {
    const { code, stdout, stderr } = await run(ws.root, 'status', '--env', 'staging', '--precision', 'file');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(
      'api         -       -            -    -              yes\nweb         -       -            -    -              yes\n',
    );
    expect(stdout).toContain(
      '  api:\n    - never deployed to staging (no marker)\n  web:\n    - never deployed to staging (no marker)\n',
    );
  });

  it('status --json and explain --json print results their JSON schemas accept', async () => {
    const status = await run(ws.root, 'status', '--env', 'staging', '--precision', 'file', '--json');
    expect(status.code).toBe(0);
    const statusResult = JSON.parse(status.stdout);
    expect(statusSchemaErrors(statusResult)).toEqual([]);
    expect(statusResult).toMatchObject({ version: 1, env: 'staging', precision: 'file' });
    expect(statusResult.deployables.map((d: { project: string; pending: boolean }) => [d.project, d.pending])).toEqual([
      ['api', true],
      ['web', true],
    ]);
    // The schema is strict enough to catch a result that breaks the contract.
    expect(statusSchemaErrors({ ...statusResult, deployables: [{ project: 'api' }] })).not.toEqual([]);
    expect(
      statusSchemaErrors({ ...statusResult, deployables: [{ ...statusResult.deployables[0], reasons: [] }] }),
    ).toEqual(['/deployables/0/reasons must NOT have fewer than 1 items', '/deployables/0 must match "then" schema']);

    const explained = await run(ws.root, 'explain', 'api', '--base', base, '--head', head, '--json');
    expect(explained.code).toBe(0);
    const explainResult = JSON.parse(explained.stdout);
    expect(schemaErrors(explainResult)).toEqual([]);
    expect(explainResult.deployables.map((d: { project: string }) => d.project)).toEqual(['api']);
  });

  it('status and marker reads name the deployables from the projects cache, not a new Nx run each time', async () => {
    const cacheFile = join(ws.root, '.nx', 'workspace-data', 'nx-lockstep', 'projects.cache');
    expect((await run(ws.root, 'status', '--precision', 'file')).code).toBe(0);
    // Leave only api in the remembered projects: a run that trusts the cache lists api alone.
    const stored = JSON.parse(readFileSync(cacheFile, 'utf8'));
    delete stored.graph.projects.web;
    writeFileSync(cacheFile, JSON.stringify(stored));
    const status = await run(ws.root, 'status', '--precision', 'file');
    expect(status.stdout).toContain('api');
    expect(status.stdout).not.toContain('web');
    const affected = JSON.parse((await run(ws.root, 'affected', '--json', '--precision', 'file')).stdout);
    expect(affected.deployables.map((decision: { project: string }) => decision.project)).toEqual(['api']);
    // Any change to what Nx reads (a project.json) is another key: Nx computes the projects again.
    ws.commit('touch the api project', {
      'apps/api/project.json': `${JSON.stringify(JSON.parse(readFileSync(join(ws.root, 'apps/api/project.json'), 'utf8')), null, 1)}\n`,
    });
    expect((await run(ws.root, 'status', '--precision', 'file')).stdout).toContain('web');
  });

  it('the projects cache: keyed by the checked-out commit and what the working tree changes, whichever --head', async () => {
    const cacheFile = join(ws.root, '.nx', 'workspace-data', 'nx-lockstep', 'projects.cache');
    // Leave only api in the remembered projects: a run that trusts the cache lists api alone.
    const tamper = () => {
      const stored = JSON.parse(readFileSync(cacheFile, 'utf8'));
      delete stored.graph.projects.web;
      writeFileSync(cacheFile, JSON.stringify(stored));
    };
    const older = git(ws.root, 'rev-parse', 'HEAD~1');
    const deployables = async () => {
      const { code, stdout } = await run(ws.root, 'affected', '--base', base, '--head', older, '--json');
      expect(code).toBe(0);
      return JSON.parse(stdout).deployables.map((decision: { project: string }) => decision.project);
    };
    expect((await run(ws.root, 'status', '--precision', 'file')).code).toBe(0); // the checked-out commit's
    tamper();
    expect(await deployables()).toEqual(['api']); // head is not checked out: the same key
    const notes = join(ws.root, 'notes.txt');
    const log = join(ws.root, 'libs/util/src/log.ts');
    const committedLog = readFileSync(log, 'utf8');
    try {
      // An untracked file Nx's plugins might read: another key, Nx computes them, remembered under it.
      writeFileSync(notes, 'not committed\n');
      expect(await deployables()).toEqual(['api', 'web']);
      tamper();
      expect(await deployables()).toEqual(['api']); // the same working tree: the same key
      writeFileSync(notes, 'changed again\n');
      expect(await deployables()).toEqual(['api', 'web']); // its content is in the key
      rmSync(notes);
      expect(await deployables()).toEqual(['api', 'web']); // one key is kept: the commit's, computed again
      tamper();
      // An edit of plain source in the working tree keeps the key, as a committed one does.
      writeFileSync(log, `${committedLog}// not committed\n`);
      expect(await deployables()).toEqual(['api']);
    } finally {
      rmSync(notes, { force: true });
      writeFileSync(log, committedLog);
    }
  });

  it('--version prints the package version', async () => {
    const { code, stdout } = await run(ws.root, '--version');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('lockstep CLI outside a usable workspace', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'lockstep-cli-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('no nx.json: exit 2, run it inside an Nx workspace', async () => {
    const { code, stderr } = await run(dir, 'status');
    expect(code).toBe(2);
    expect(stderr).toBe(
      `lockstep: no nx.json found in ${dir} or any parent folder: run lockstep inside an Nx workspace, or pass --root <dir>\n`,
    );
  });

  it('--root that is not a folder: exit 2 with an example', async () => {
    const { code, stderr } = await run(dir, 'affected', '--base', 'HEAD', '--root', 'nowhere');
    expect(code).toBe(2);
    expect(stderr).toBe(
      'lockstep: --root nowhere is not a folder: pass the folder that holds nx.json, e.g. --root .\n',
    );
  });

  it('an Nx workspace outside git, or without commits: exit 2 saying what to do, not a raw git error', async () => {
    const workspace = join(dir, 'no-git');
    mkdirSync(workspace);
    writeFileSync(join(workspace, 'nx.json'), '{}\n');
    for (const command of [['affected', '--base', 'HEAD~1'], ['explain', 'api'], ['status']]) {
      const { code, stderr } = await run(workspace, ...command);
      expect(code).toBe(2);
      expect(stderr).toBe(
        `lockstep: ${workspace} is not in a git repository: lockstep compares commits and reads deploy markers from git tags, so run it in a git checkout of the workspace (or git init and commit it first)\n`,
      );
    }
    git(workspace, 'init', '-q');
    const { code, stderr } = await run(workspace, 'status');
    expect(code).toBe(2);
    expect(stderr).toBe(
      `lockstep: the git repository at ${workspace} has no commits yet: commit the workspace first (git add -A && git commit -m "initial")\n`,
    );
  });
});

describe('lockstep affected with no deployables', () => {
  let ws: FixtureWorkspace;
  afterAll(() => ws?.remove());

  it('says why (the plugin is not registered) and how to declare one, instead of "0 of 0"', async () => {
    ws = createFixtureWorkspace({
      'nx.json': JSON.stringify({ analytics: false, neverConnectToCloud: true }),
      'package.json': JSON.stringify({ name: 'fixture', private: true }),
      'libs/util/project.json': libraryProject('util', 'libs/util'),
      'libs/util/src/index.ts': 'export const util = 1;\n',
    });
    const base = git(ws.root, 'rev-parse', 'HEAD');
    ws.commit('change util', { 'libs/util/src/index.ts': 'export const util = 2;\n' });
    for (const precision of ['project', 'file']) {
      const { code, stdout } = await run(ws.root, 'affected', '--base', base, '--precision', precision);
      expect(code).toBe(0);
      expect(stdout).not.toContain('0 of 0');
      expect(stdout).toContain('no deployables: nx-lockstep is not registered in nx.json');
      expect(stdout).toContain('nx g nx-lockstep:init');
    }
    const json = await run(ws.root, 'affected', '--base', base, '--json');
    expect(JSON.parse(json.stdout).deployables).toEqual([]);
    expect(json.stderr).toContain('lockstep: no deployables: nx-lockstep is not registered');
  });
});

describe('lockstep explain at symbol precision', () => {
  let ws: FixtureWorkspace;
  afterAll(() => ws?.remove());

  it('names the changed files a deployable imports but does not ship, and why', async () => {
    ws = createShopFixture();
    const base = git(ws.root, 'rev-parse', 'HEAD');
    const log = readFileSync(join(ws.root, 'libs/util/src/log.ts'), 'utf8');
    ws.commit('a comment in log.ts, a new pad', {
      'libs/util/src/log.ts': `// Writes one line.\n${log}`,
      'libs/util/src/pad.ts': 'export const pad = (text: string) => `<${text}>`;\n',
    });
    const { code, stdout } = await run(ws.root, 'explain', 'api', '--base', base, '--precision', 'symbol');
    expect(code).toBe(0);
    expect(stdout).toContain('api: not affected — no deploy needed');
    expect(stdout).toContain('Changed, imported, but not shipped (symbol precision):');
    expect(stdout).toContain('- libs/util/src/log.ts: no change to its runtime code (comments, types or layout only)');
    expect(stdout).toContain('- libs/util/src/pad.ts: changed `pad`, which this deployable does not use');
    expect(stdout).toMatch(
      /libs\/util\/src\/pad\.ts: changed `pad`[^\n]*\n {4}import chain:\n {8}apps\/api\/src\/main\.ts\n/,
    );
  });
});
