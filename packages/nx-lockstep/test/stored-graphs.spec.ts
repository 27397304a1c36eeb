/**
 * The import graph and the declaration-level step graph kept between runs
 * (adapters/import-graph-file.ts, step-graph-file.ts): over a series of real commits, every
 * answer equals the answer of a run that starts with no workspace data at all. Real git, the real
 * file system, the real engine. Commits that add files change the file list (a new resolution
 * context): the stored graphs are then taken over only for files whose imports resolve as they did.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeAffected } from '../src/engine';
import { git, type FixtureWorkspace } from './support/fixture-workspace';
import { createShopFixture } from './support/shop-fixture';

Object.assign(process.env, { NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_NO_CLOUD: 'true', CI: 'true' });

let ws: FixtureWorkspace | undefined;
const dataDirectories: string[] = [];
afterEach(() => {
  ws?.remove();
  for (const directory of dataDirectories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

/** HEAD~1..HEAD at symbol precision (or another), with the workspace data in `dataDirectory`. */
async function decide(root: string, dataDirectory: string, precision: 'symbol' | 'file' = 'symbol') {
  const previous = process.env.NX_WORKSPACE_DATA_DIRECTORY;
  process.env.NX_WORKSPACE_DATA_DIRECTORY = dataDirectory;
  try {
    const result = await analyzeAffected({ workspaceRoot: root, base: 'HEAD~1', precision });
    return result.deployables;
  } finally {
    if (previous === undefined) delete process.env.NX_WORKSPACE_DATA_DIRECTORY;
    else process.env.NX_WORKSPACE_DATA_DIRECTORY = previous;
  }
}

function newDataDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'lockstep-stored-graphs-'));
  dataDirectories.push(directory);
  return directory;
}

describe('graphs stored between runs', () => {
  it('answer every commit as a run with no workspace data does', async () => {
    ws = createShopFixture();
    const kept = newDataDirectory();
    const graphs = ['import-graph.cache', 'step-graph.cache'].map((name) => join(kept, 'nx-lockstep', name));
    const commits: Array<[message: string, files: Record<string, string>]> = [
      ['pad body', { 'libs/util/src/pad.ts': 'export const pad = (text: string) => `(${text})`;\n' }],
      // A body edit that keeps every import: its imports resolve as stored (no tsconfig is
      // read), and the next commit reaches web through them.
      [
        'web main body',
        {
          'apps/web/src/main.ts':
            "import type { Order } from '@fx/types';\nimport { pad } from '@fx/util';\nimport leftPad from 'left-pad';\nexport const render = (order: Order) => pad(leftPad(order.id, 5));\n",
        },
      ],
      ['pad body again', { 'libs/util/src/pad.ts': 'export const pad = (text: string) => `((${text}))`;\n' }],
      ['log body', { 'libs/util/src/log.ts': 'export const log = (message: string) => console.error(message);\n' }],
      // `client` moves to another file that the barrel's `export *` reaches: index.ts is unchanged.
      [
        'client moves',
        {
          'libs/db/src/index.ts': "export * from './lib/client';\nexport * from './lib/more';\n",
          'libs/db/src/lib/more.ts': 'export const more = 1;\n',
        },
      ],
      [
        'client moved',
        {
          'libs/db/src/lib/client.ts': 'export const other = 2;\n',
          'libs/db/src/lib/more.ts':
            "import { log } from '@fx/util';\nexport const more = 1;\nexport const client = (routes: unknown[]) => log(String(routes.length + 1));\n",
        },
      ],
      [
        'routes body',
        {
          'apps/api/src/routes.ts':
            "import createDebug from 'debug';\nexport const routes = [createDebug('api:v2')];\n",
        },
      ],
      ['a dynamic require', { 'libs/util/src/log.ts': 'export const log = (message: string) => require(message);\n' }],
      // Another file list, same configs: stored graphs are taken over for files whose imports
      // resolve as they did. routes.ts imports './extra', which does not exist yet…
      [
        'an import of a missing file',
        {
          'apps/api/src/routes.ts':
            "import createDebug from 'debug';\nimport { extra } from './extra';\nexport const routes = [createDebug('api:v2'), extra];\n",
        },
      ],
      // …and now does: routes.ts is unchanged, but its import resolves otherwise.
      ['the missing file added', { 'apps/api/src/extra.ts': 'export const extra = 1;\n' }],
      ['extra body', { 'apps/api/src/extra.ts': 'export const extra = 2;\n' }],
      // A file nobody imports, and a body edit in the same commit.
      [
        'an unrelated file and a pad body',
        {
          'libs/util/src/unused.ts': 'export const unused = 1;\n',
          'libs/util/src/pad.ts': 'export const pad = (text: string) => `<${text}>`;\n',
        },
      ],
      // A file that takes over an import: `./pad.js` names pad.ts until a pad.js exists.
      [
        'log imports pad.js',
        {
          'libs/util/src/log.ts':
            "import { pad } from './pad.js';\nexport const log = (message: string) => console.log(pad(message));\n",
        },
      ],
      ['pad.js added', { 'libs/util/src/pad.js': 'exports.pad = (text) => `[${text}]`;\n' }],
      // A manifest edit that moves no import (a version bump), then a tsconfig edit that does:
      // `@fx/util` now names log.ts, so every importer of it resolves otherwise.
      ['a version bump', { 'package.json': JSON.stringify({ name: 'fixture', version: '2.0.0', private: true }) }],
      [
        'a paths edit',
        {
          'tsconfig.base.json': JSON.stringify({
            compilerOptions: {
              strict: true,
              paths: {
                '@fx/db': ['libs/db/src/index.ts'],
                '@fx/util': ['libs/util/src/log.ts'],
                '@fx/types': ['libs/types/src/index.ts'],
              },
            },
          }),
        },
      ],
    ];
    for (const [message, files] of commits) {
      ws.commit(message, files);
      const warm = await decide(ws.root, kept);
      const cold = await decide(ws.root, newDataDirectory());
      expect({ message, decisions: warm }).toEqual({ message, decisions: cold });
      for (const graph of graphs) expect(existsSync(graph)).toBe(true);
    }
    // The moved `client` reached api through the barrel's star, at its new place.
    ws.commit('client body', {
      'libs/db/src/lib/more.ts':
        "import { log } from '@fx/util';\nexport const more = 1;\nexport const client = (routes: unknown[]) => log(String(routes.length + 2));\n",
    });
    const affected = (await decide(ws.root, kept))
      .filter((decision) => decision.affected)
      .map((decision) => decision.project);
    expect(affected).toEqual(['api']);
  });

  it('checks a step graph against the resolutions it was stored with, not those of a newer import graph', async () => {
    ws = createShopFixture();
    const kept = newDataDirectory();
    // The step graph is stored with './pad.js' naming pad.ts…
    ws.commit('log imports pad.js', {
      'libs/util/src/log.ts':
        "import { pad } from './pad.js';\nexport const log = (message: string) => console.log(pad(message));\n",
    });
    await decide(ws.root, kept);
    // …a file-precision run writes the import graph of a new file list, where it names pad.js
    // (no declaration-level walk: the step graph stays as it was)…
    ws.commit('pad.js added', { 'libs/util/src/pad.js': 'exports.pad = (text) => `[${text}]`;\n' });
    await decide(ws.root, kept, 'file');
    // …and a change to pad.js must be found through log.ts at symbol precision.
    ws.commit('pad.js body', { 'libs/util/src/pad.js': 'exports.pad = (text) => `{${text}}`;\n' });
    expect(await decide(ws.root, kept)).toEqual(await decide(ws.root, newDataDirectory()));
  });

  it('uses nothing stored by another resolution context, nor a damaged graph', async () => {
    ws = createShopFixture();
    const kept = newDataDirectory();
    ws.commit('pad body', { 'libs/util/src/pad.ts': 'export const pad = (text: string) => `(${text})`;\n' });
    await decide(ws.root, kept);
    for (const name of ['import-graph.cache', 'step-graph.cache']) {
      const file = join(kept, 'nx-lockstep', name);
      const bytes = readFileSync(file);
      writeFileSync(file, bytes.subarray(0, bytes.length - 8));
    }
    // A new file: another resolution context.
    ws.commit('a new file and a pad body', {
      'libs/util/src/extra.ts': 'export const extra = 1;\n',
      'libs/util/src/pad.ts': 'export const pad = (text: string) => `[${text}]`;\n',
    });
    expect(await decide(ws.root, kept)).toEqual(await decide(ws.root, newDataDirectory()));
    expect(git(ws.root, 'status', '--porcelain')).toBe('');
  });

  it('works every decision out again when a step record read on demand turns out damaged, and stores a sound graph', async () => {
    ws = createShopFixture();
    const kept = newDataDirectory();
    ws.commit('pad body', { 'libs/util/src/pad.ts': 'export const pad = (text: string) => `(${text})`;\n' });
    await decide(ws.root, kept);
    // The index stays sound (so the graph is taken), every record's kind is out of its range:
    // whichever record a walk reads first is found damaged.
    const file = join(kept, 'nx-lockstep', 'step-graph.cache');
    // Framed as adapters/framed-file.ts writes it: the integers' count, the header's length, the
    // integers, the header.
    const bytes = readFileSync(file);
    const count = bytes.readUInt32LE(0);
    const end = 8 + count * 4;
    const header = JSON.parse(bytes.toString('utf8', end, end + bytes.readUInt32LE(4))) as { steps: number };
    const data = new Int32Array(bytes.buffer.slice(bytes.byteOffset + 8, bytes.byteOffset + end));
    const records = count - (2 * header.steps + 1);
    expect(header.steps).toBeGreaterThan(0);
    for (let id = 0; id < header.steps; id++) data[data[records + id]] = 9;
    writeFileSync(file, Buffer.concat([bytes.subarray(0, 8), Buffer.from(data.buffer), bytes.subarray(end)]));
    // A body edit: the same resolution context, so the damaged graph is the one read.
    ws.commit('pad body again', { 'libs/util/src/pad.ts': 'export const pad = (text: string) => `<${text}>`;\n' });
    const answer = await decide(ws.root, kept);
    expect(answer).toEqual(await decide(ws.root, newDataDirectory()));
    expect(answer.some((decision) => decision.affected)).toBe(true);
    // Written again whole: the next commit is answered from it as from nothing.
    expect(readFileSync(file).equals(bytes)).toBe(false);
    ws.commit('log body', {
      'libs/util/src/log.ts': 'export const log = (message: string) => console.warn(message);\n',
    });
    expect(await decide(ws.root, kept)).toEqual(await decide(ws.root, newDataDirectory()));
  });
});
