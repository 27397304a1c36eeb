import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredStepGraph } from '../core/symbols';
import { workspaceDataDirectory } from './parse-cache';
import { stepGraphFile } from './step-graph-file';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function workspace(): string {
  const root = mkdtempSync(join(tmpdir(), 'lockstep-step-graph-'));
  roots.push(root);
  return root;
}

// Two steps of a.ts: its load (effects: touches, next → step 1, an external, a note, a lazy root) and its
// declaration `x` (no effects worked out); then where each record starts, and each one's file.
const graph: StoredStepGraph = {
  files: ['a.ts', 'b.ts'],
  names: ['x', 'chalk'],
  notes: [JSON.stringify({ file: 'a.ts', detail: 'a.ts loads modules the analysis cannot follow: require(name)' })],
  steps: 2,
  data: Int32Array.from([
    ...[0, 0, -1, -1, 1, 1, -1, -1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 0],
    ...[3, 0, 0, -1, 0],
    ...[0, 18, 23],
    ...[0, 0],
  ]),
};
/** What SymbolGraph.writeStored does: the records in chunks, then the tables. */
function writing(stored: StoredStepGraph) {
  return (emit: (chunk: Int32Array) => void) => {
    emit(stored.data.subarray(0, 10));
    emit(stored.data.subarray(10));
    return stored;
  };
}

const CONTEXT = { key: 'key-1', configKey: 'config-1' };
/** The digest of each file's resolutions when the graph was stored. */
const resolvedAsStored = (path: string) => `resolutions of ${path}`;

const blobs = new Map([
  ['a.ts', 'blob-a'],
  ['b.ts', 'blob-b'],
]);

describe('stepGraphFile', () => {
  it('reads back what it wrote, for the same key, and tells which files changed by blob', () => {
    const root = workspace();
    stepGraphFile(root, CONTEXT, blobs, resolvedAsStored).save(writing(graph));
    const loaded = stepGraphFile(root, CONTEXT, new Map([...blobs, ['b.ts', 'blob-b2']]), resolvedAsStored).load();
    expect(loaded?.graph.files).toEqual(graph.files);
    const names = loaded!.graph.names;
    expect(Array.from({ length: names.length }, (_, index) => names.at(index))).toEqual(graph.names);
    expect(loaded?.graph.notes).toEqual(graph.notes);
    expect(loaded?.graph.steps).toBe(2);
    // Read on demand: nothing of the integers before `load` asks for them.
    expect([...loaded!.graph.data]).toEqual(new Array<number>(graph.data.length).fill(0));
    expect(loaded!.graph.load!(0, graph.data.length)).toBe(true);
    expect([...loaded!.graph.data]).toEqual([...graph.data]);
    expect(loaded!.changed('a.ts', 0)).toBe(false);
    expect(loaded!.changed('b.ts', 1)).toBe(true);
    expect(loaded!.changed('c.ts', 0)).toBe(true); // not the stored graph's file 0
  });

  it('under another file list (same configs), counts a file as changed when its imports resolve otherwise', () => {
    const root = workspace();
    stepGraphFile(root, CONTEXT, blobs, resolvedAsStored).save(writing(graph));
    const otherList = { key: 'key-3', configKey: 'config-1' };
    const bMovedOn = (path: string) => (path === 'b.ts' ? 'resolved otherwise' : resolvedAsStored(path));
    const loaded = stepGraphFile(root, otherList, blobs, bMovedOn).load();
    expect(loaded?.rekey).toBe(true);
    expect(loaded!.changed('a.ts', 0)).toBe(false);
    expect(loaded!.changed('b.ts', 1)).toBe(true);
  });

  it('uses nothing stored under another resolution context', () => {
    const root = workspace();
    stepGraphFile(root, CONTEXT, blobs, resolvedAsStored).save(writing(graph));
    expect(
      stepGraphFile(root, { key: 'key-2', configKey: 'config-2' }, blobs, resolvedAsStored).load(),
    ).toBeUndefined();
  });

  it('uses nothing from a damaged file: cut short, or not a graph at all (records are checked when seeded)', () => {
    const root = workspace();
    const file = join(workspaceDataDirectory(root), 'nx-lockstep', 'step-graph.cache');
    const store = stepGraphFile(root, CONTEXT, blobs, resolvedAsStored);
    expect(store.load()).toBeUndefined(); // none yet
    store.save(writing(graph));
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 4));
    expect(store.load()).toBeUndefined();
    writeFileSync(file, 'not a step graph');
    expect(store.load()).toBeUndefined();
  });

  it('leaves no temporary file behind when it cannot be written', () => {
    const root = workspace();
    const folder = join(workspaceDataDirectory(root), 'nx-lockstep');
    mkdirSync(join(folder, 'step-graph.cache'), { recursive: true }); // a folder where the file goes
    stepGraphFile(root, CONTEXT, blobs, resolvedAsStored).save(writing(graph));
    expect(readdirSync(folder)).toEqual(['step-graph.cache']);
  });

  it('gives false for integers cut off after the header was read, and nothing once forgotten until saved again', () => {
    const root = workspace();
    const file = join(workspaceDataDirectory(root), 'nx-lockstep', 'step-graph.cache');
    const store = stepGraphFile(root, CONTEXT, blobs, resolvedAsStored);
    store.save(writing(graph));
    const loaded = store.load()!;
    truncateSync(file, 8);
    expect(loaded.graph.load!(0, graph.data.length)).toBe(false);
    store.save(writing(graph));
    expect(store.load()).toBeDefined();
    store.forget!();
    expect(store.load()).toBeUndefined();
    // Another store of the same file (another snapshot of the process) does not read it either.
    expect(stepGraphFile(root, CONTEXT, blobs, resolvedAsStored).load()).toBeUndefined();
    store.save(writing(graph));
    expect(store.load()?.graph.steps).toBe(2);
  });
});
