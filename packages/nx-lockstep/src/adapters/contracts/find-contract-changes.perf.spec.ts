import { describe, expect, it } from 'vitest';
import { findContractChanges, type ContractStats } from './find-contract-changes';

const ROOT = 'libs/big';
const FILES = 40;

/** A library of FILES modules, each exporting an interface, a function, an enum, a class, a type and a constant: 240 exports. */
function library(changedModule?: number): Record<string, string> {
  const files: Record<string, string> = {};
  const index: string[] = [];
  for (let module = 0; module < FILES; module++) {
    const changed = module === changedModule;
    files[`${ROOT}/src/lib/m${module}.ts`] = [
      `export interface Item${module} { id: string; count: number;${changed ? '' : ' label: string;'} }`,
      `export function load${module}(id: string, limit?: number): Promise<Item${module}[]> { return Promise.resolve([]); }`,
      `export enum Kind${module} { A = 'a', B = 'b' }`,
      `export class Service${module} { constructor(private readonly url: string) {} get(id: string): Item${module} | undefined { return undefined; } }`,
      `export type Status${module} = 'on' | 'off';`,
      `export const DEFAULT_LIMIT_${module} = ${changed ? 20 : 10};`,
    ].join('\n');
    index.push(`export * from './lib/m${module}';`);
  }
  files[`${ROOT}/src/index.ts`] = index.join('\n');
  return files;
}

describe('findContractChanges on a library with a few hundred exports', () => {
  it('compares only the exports whose files changed, in seconds', () => {
    const base = library();
    const head = library(7);
    let stats: ContractStats | undefined;
    const started = performance.now();
    const changes = findContractChanges({
      libraries: [
        {
          project: 'big',
          root: ROOT,
          entryFiles: [`${ROOT}/src/index.ts`],
          readBase: (path) => base[path],
          readHead: (path) => head[path],
        },
      ],
      onStats: (reported) => (stats = reported),
    });
    const seconds = (performance.now() - started) / 1000;
    console.log(`big library: ${JSON.stringify(stats)}, ${seconds.toFixed(2)} s`);
    expect(stats).toMatchObject({ exports: 2 * 6 * FILES, compared: 6 });
    expect(changes.map(({ exportName, kind, breaking }) => ({ exportName, kind, breaking }))).toEqual([
      // Item7 lost `label`, and the function and the class that hand Item7 out change with it.
      { exportName: 'Item7', kind: 'changed-export', breaking: true },
      { exportName: 'load7', kind: 'changed-export', breaking: true },
      { exportName: 'Service7', kind: 'changed-export', breaking: true },
      { exportName: 'DEFAULT_LIMIT_7', kind: 'compatible-change', breaking: false },
    ]);
    // Seconds, not minutes, on a loaded 2-CPU machine (measured numbers in docs/contracts.md).
    expect(seconds).toBeLessThan(30);
  });
});
