import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createImportGraph,
  IMPORT_UNRESOLVED,
  IMPORTS_EXTERNAL,
  STEP_UNCERTAIN,
  type RememberedFile,
} from '../core/graph/import-graph';
import { reachStep } from '../core/graph/reachability';
import type { Resolver } from '../core/resolve/resolution-context';
import { importGraphFile } from './import-graph-file';
import { workspaceDataDirectory } from './parse-cache';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'lockstep-import-graph-'));
  roots.push(root);
  return root;
}

const files = new Map<string, RememberedFile>([
  [
    'a.ts',
    {
      edges: [
        { specifier: './b', kind: 'static', typeOnly: false, line: 1, resolution: { kind: 'file', file: 'b.ts' } },
        {
          specifier: 'chalk',
          kind: 'require',
          typeOnly: false,
          line: 2,
          resolution: { kind: 'external', packageName: 'chalk' },
        },
        {
          specifier: './gen',
          kind: 'dynamic',
          typeOnly: true,
          line: 3,
          resolution: { kind: 'unresolved', detail: 'no file', missingPath: 'gen' },
        },
      ],
      problems: ['a.ts loads modules the analysis cannot follow: require(x)'],
    },
  ],
  ['b.ts', { edges: [], problems: [] }],
]);
const CONTEXT = { key: 'key-1', configKey: 'config-1' };
/** Resolves every import of a.ts as it was stored. */
const resolveAsStored: Resolver = (from, specifier) =>
  files.get(from)!.edges.find((edge) => edge.specifier === specifier)!.resolution;

const blobs = new Map([
  ['a.ts', 'blob-a'],
  ['b.ts', 'blob-b'],
]);

describe('importGraphFile', () => {
  it('reads back each file whose blob is unchanged, as it was written', () => {
    const root = workspace();
    importGraphFile(root, CONTEXT, blobs, resolveAsStored).save(files);
    const same = importGraphFile(root, CONTEXT, blobs, resolveAsStored).load();
    expect(same?.size).toBe(2);
    expect(same?.get('a.ts')).toEqual(files.get('a.ts'));
    expect(new Map(same!.entries())).toEqual(files);
    const edited = importGraphFile(root, CONTEXT, new Map([...blobs, ['a.ts', 'blob-a2']]), resolveAsStored).load();
    expect(edited?.get('a.ts')).toBeUndefined();
    expect(edited?.get('b.ts')).toEqual({ edges: [], problems: [] });
    expect(
      importGraphFile(root, { key: 'key-2', configKey: 'config-2' }, blobs, resolveAsStored).load(),
    ).toBeUndefined();
  });

  it("answers how a changed file's imports resolved when stored, under the same context only", () => {
    const root = workspace();
    importGraphFile(root, CONTEXT, blobs, resolveAsStored).save(files);
    const edited = importGraphFile(root, CONTEXT, new Map([...blobs, ['a.ts', 'blob-a2']]), resolveAsStored).load()!;
    // Its record is not taken (the blob changed), but each import it had resolves as it did.
    expect(edited.get('a.ts')).toBeUndefined();
    for (const edge of files.get('a.ts')!.edges)
      expect(edited.resolutionOf('a.ts', edge.specifier), edge.specifier).toEqual(edge.resolution);
    // A new import, a file not stored, a file without imports: asked of the resolver.
    expect(edited.resolutionOf('a.ts', './c')).toBeUndefined();
    expect(edited.resolutionOf('new.ts', './b')).toBeUndefined();
    expect(edited.resolutionOf('b.ts', './a')).toBeUndefined();
    // Another file list, tsconfig or manifest (another key): nothing is answered.
    const other = importGraphFile(root, { key: 'key-3', configKey: 'config-1' }, blobs, resolveAsStored).load()!;
    expect(other.sameKey).toBe(false);
    expect(other.resolutionOf('a.ts', './b')).toBeUndefined();
    // A record that does not decode answers nothing either.
    const path = join(workspaceDataDirectory(root), 'nx-lockstep', 'import-graph.cache');
    const bytes = readFileSync(path);
    const count = bytes.readUInt32LE(0);
    // The first record's edge count (after its file number), past the end of the integers.
    bytes.writeInt32LE(count * 4, 8 + 4);
    writeFileSync(path, bytes);
    const damaged = importGraphFile(root, CONTEXT, new Map([...blobs, ['a.ts', 'blob-a2']]), resolveAsStored).load();
    expect(damaged?.get('b.ts')).toEqual({ edges: [], problems: [] });
    expect(damaged!.resolutionOf('a.ts', './b')).toBeUndefined();
  });

  it('under another file list (same configs), takes a file only when each of its imports resolves as stored', () => {
    const root = workspace();
    importGraphFile(root, CONTEXT, blobs, resolveAsStored).save(files);
    const otherList = { key: 'key-3', configKey: 'config-1' };
    const same = importGraphFile(root, otherList, blobs, resolveAsStored).load();
    expect(same?.sameKey).toBe(false);
    expect(same?.get('a.ts')).toEqual(files.get('a.ts'));
    // './gen' now resolves (a file was added): a.ts is worked out again; b.ts has no imports.
    const genAdded: Resolver = (from, specifier) =>
      specifier === './gen' ? { kind: 'file', file: 'gen.ts' } : resolveAsStored(from, specifier);
    const moved = importGraphFile(root, otherList, blobs, genAdded).load();
    expect(moved?.get('a.ts')).toBeUndefined();
    expect(moved?.get('b.ts')).toEqual({ edges: [], problems: [] });
  });

  it('has a step table that answers for each file it holds as reachStep does from the stored records', () => {
    const root = workspace();
    const more = new Map<string, RememberedFile>([
      ...files,
      [
        'c.ts',
        {
          edges: [
            { specifier: './b', kind: 'static', typeOnly: false, line: 1, resolution: { kind: 'file', file: 'b.ts' } },
            { specifier: './t', kind: 'static', typeOnly: true, line: 2, resolution: { kind: 'file', file: 'a.ts' } },
            {
              specifier: '@fx/util',
              kind: 're-export-all',
              typeOnly: false,
              line: 3,
              resolution: { kind: 'file', file: 'libs/util/index.ts', via: ['libs/util/package.json'] },
            },
            {
              specifier: './c.spec',
              kind: 'side-effect',
              typeOnly: false,
              line: 4,
              resolution: { kind: 'file', file: 'c.spec.ts' },
            },
            {
              specifier: './gone',
              kind: 'static',
              typeOnly: false,
              line: 5,
              resolution: { kind: 'unresolved', detail: 'no file' },
            },
          ],
          problems: [],
        },
      ],
      ['styles.css', { edges: [], problems: [] }],
    ]);
    const moreBlobs = new Map([...blobs, ['c.ts', 'blob-c'], ['styles.css', 'blob-css']]);
    importGraphFile(root, CONTEXT, moreBlobs, resolveAsStored).save(more);
    const edited = new Map([...moreBlobs, ['b.ts', 'blob-b2']]);
    const stored = importGraphFile(root, CONTEXT, edited, resolveAsStored).load()!;
    const table = stored.table()!;
    const graph = createImportGraph(() => undefined, resolveAsStored, {
      files: { get: (path) => stored.get(path), set: () => undefined },
    });
    const held = (path: string) => table.start[table.numberOf(path)!] >= 0;
    const targets = (path: string) => {
      const number = table.numberOf(path)!;
      return [...table.targets.subarray(table.start[number], table.end[number])].map((target) => table.files[target]);
    };
    // b.ts changed since it was stored; styles.css is no source file (reachStep never reads its record).
    expect(['a.ts', 'b.ts', 'c.ts', 'styles.css'].filter(held)).toEqual(['a.ts', 'c.ts']);
    for (const path of ['a.ts', 'c.ts']) expect(targets(path)).toEqual(reachStep(path, graph).targets);
    expect(targets('c.ts')).toEqual(['b.ts', 'libs/util/package.json', 'libs/util/index.ts']);
    expect(table.flags[table.numberOf('a.ts')!]).toBe(STEP_UNCERTAIN | IMPORT_UNRESOLVED | IMPORTS_EXTERNAL);
    expect(reachStep('a.ts', graph).uncertain).toHaveLength(1);
    expect(table.flags[table.numberOf('c.ts')!]).toBe(STEP_UNCERTAIN | IMPORT_UNRESOLVED);
    // Under another context each file is checked as it is asked for: no table.
    expect(
      importGraphFile(root, { key: 'key-3', configKey: 'config-1' }, edited, resolveAsStored).load()?.table(),
    ).toBeUndefined();
  });

  it('has a step table as large as its imports make it (more targets than stored integers)', () => {
    const root = workspace();
    // Each of 40 files imports one package through 40 package.json files (a long `via`): 40 × 41
    // targets from 40 × 8 stored integers, so the table's arrays grow many times over.
    const via = Array.from({ length: 40 }, (_, index) => `libs/p${index}/package.json`);
    const many = new Map<string, RememberedFile>(
      Array.from({ length: 40 }, (_, index) => [
        `f${index}.ts`,
        {
          edges: [
            {
              specifier: `@fx/p${index}`,
              kind: 'static',
              typeOnly: false,
              line: 1,
              resolution: { kind: 'file', file: `libs/p${index}/index.ts`, via },
            },
          ],
          problems: [],
        },
      ]),
    );
    const manyBlobs = new Map([...many.keys()].map((path) => [path, `blob-${path}`]));
    const resolveMany: Resolver = (from, specifier) =>
      many.get(from)!.edges.find((edge) => edge.specifier === specifier)!.resolution;
    importGraphFile(root, CONTEXT, manyBlobs, resolveMany).save(many);
    const stored = importGraphFile(root, CONTEXT, manyBlobs, resolveMany).load()!;
    const table = stored.table()!;
    const graph = createImportGraph(() => undefined, resolveMany, {
      files: { get: (path) => stored.get(path), set: () => undefined },
    });
    expect(table.targets.length).toBe(40 * 41);
    for (const path of many.keys()) {
      const number = table.numberOf(path)!;
      const targets = [...table.targets.subarray(table.start[number], table.end[number])].map(
        (target) => table.files[target],
      );
      expect(targets).toEqual(reachStep(path, graph).targets);
    }
  });

  it('uses nothing from a damaged file, and works out again a record that does not decode', () => {
    const root = workspace();
    const file = join(workspaceDataDirectory(root), 'nx-lockstep', 'import-graph.cache');
    const store = importGraphFile(root, CONTEXT, blobs, resolveAsStored);
    expect(store.load()).toBeUndefined();
    store.save(files);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 4));
    expect(store.load()).toBeUndefined();
    // A resolution that is not one (valid JSON, valid indexes): that file is not taken, the other
    // is. The step table was worked out when the graph was stored, and is read on its own.
    const text = bytes.toString('latin1');
    expect(text).toContain('{"kind":"external"');
    writeFileSync(file, Buffer.from(text.replace('{"kind":"external"', '{"kynd":"external"'), 'latin1'));
    const damaged = store.load();
    expect(damaged?.get('a.ts')).toBeUndefined();
    expect(damaged?.get('b.ts')).toEqual({ edges: [], problems: [] });
    expect(damaged?.table()?.targets).toEqual(Int32Array.of(1));
    writeFileSync(file, 'not an import graph');
    expect(store.load()).toBeUndefined();
  });

  it('reads a record when it is decoded: one damaged after the graph was opened is worked out again', () => {
    const root = workspace();
    const file = join(workspaceDataDirectory(root), 'nx-lockstep', 'import-graph.cache');
    // 6,000 files of one import each: 48,000 integers of records, more than one block of reads.
    const many = new Map<string, RememberedFile>();
    const manyBlobs = new Map<string, string>();
    for (let index = 0; index < 6000; index++) {
      const path = `f${index}.ts`;
      many.set(path, {
        edges: [
          {
            specifier: 'chalk',
            kind: 'static',
            typeOnly: false,
            line: 1,
            resolution: { kind: 'external', packageName: 'chalk' },
          },
        ],
        problems: [],
      });
      manyBlobs.set(path, `blob-${index}`);
    }
    const store = importGraphFile(root, CONTEXT, manyBlobs, (_, specifier) => ({
      kind: 'external',
      packageName: specifier,
    }));
    store.save(many);
    const graph = store.load()!;
    expect(graph.get('f5999.ts')).toEqual(many.get('f5999.ts'));
    // Every integer of the first block (after the 8-byte prefix) overwritten in place: the records
    // there were not read yet, and do not decode now.
    const bytes = readFileSync(file);
    bytes.fill(0xff, 8, 8 + 4 * 1000);
    writeFileSync(file, bytes);
    expect(graph.get('f0.ts')).toBeUndefined();
    expect(graph.get('f5998.ts')).toEqual(many.get('f5998.ts'));
  });

  it('takes no step table with a number out of its range, and still the records', () => {
    const root = workspace();
    const file = join(workspaceDataDirectory(root), 'nx-lockstep', 'import-graph.cache');
    const store = importGraphFile(root, CONTEXT, blobs, resolveAsStored);
    store.save(files);
    const bytes = readFileSync(file);
    const count = bytes.readUInt32LE(0);
    const header = JSON.parse(bytes.toString('utf8', 8 + count * 4, 8 + count * 4 + bytes.readUInt32LE(4))) as {
      records: number;
      targets: number;
    };
    // The integers after the records: two offsets, two starts, two ends, two flags, one target (a.ts → b.ts).
    expect(count).toBe(header.records + 4 * 2 + 1);
    expect(header.targets).toBe(1);
    const table = header.records + 2;
    const intact = store.load()!.table()!;
    expect([...intact.start, ...intact.end, ...intact.flags, ...intact.targets]).toEqual([
      0,
      1,
      1,
      1,
      STEP_UNCERTAIN | IMPORT_UNRESOLVED | IMPORTS_EXTERNAL,
      0,
      1,
    ]);
    const damages: Array<[place: number, value: number]> = [
      [table, -2], // a start before the targets
      [table, 2], // a start after its end
      [table + 2, 2], // an end past the targets
      [table + 3, 0], // an end before its start
      [table + 4, 8], // a flag that is none
      [table + 6, 2], // a target numbered past the files (two, and no others)
      [table + 6, -1],
    ];
    for (const [place, value] of damages) {
      const damaged = Buffer.from(bytes);
      damaged.writeInt32LE(value, 8 + place * 4);
      writeFileSync(file, damaged);
      const read = store.load();
      expect(read?.table(), `integer ${place - table} of the table = ${value}`).toBeUndefined();
      expect(read?.get('b.ts')).toEqual({ edges: [], problems: [] });
    }
  });
});
