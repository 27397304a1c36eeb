import { describe, expect, it } from 'vitest';
import { summarizeModule } from '../extract/summarize-module';
import { isTestFile } from '../extract/file-kinds';
import {
  createImportGraph,
  IMPORT_UNRESOLVED,
  STEP_UNCERTAIN,
  type FileStepTable,
  type ImportGraph,
} from './import-graph';
import { filesReaching, reachFromEntryPoints, reachStep } from './reachability';
import { createWorkspaceResolver } from '../resolve/workspace-resolver';

/** The real resolver over `sources`, with a root tsconfig that maps `@lib/NAME` to `libs/NAME/index.ts`. */
function resolverOf(sources: Record<string, string>) {
  const texts: Record<string, string> = {
    ...sources,
    'tsconfig.base.json': JSON.stringify({ compilerOptions: { paths: { '@lib/*': ['libs/*/index.ts'] } } }),
  };
  return createWorkspaceResolver({ files: new Set(Object.keys(texts)), readFile: (file) => texts[file] }, new Map())
    .resolve;
}

/** An in-memory workspace: file → text; summaries are real extractor output. */
function reach(sources: Record<string, string>, entries: string[], options: { verbatimModuleSyntax?: boolean } = {}) {
  const files = new Set(Object.keys(sources));
  const graph = createImportGraph(
    (file) => (file in sources && /\.[cm]?[jt]sx?$/.test(file) ? summarizeModule(file, sources[file]) : undefined),
    resolverOf(sources),
    options,
  );
  return reachFromEntryPoints(entries, graph, files);
}

describe('reachFromEntryPoints', () => {
  it('follows runtime imports breadth-first and keeps the shortest chain', () => {
    const result = reach(
      {
        'app/main.ts': "import { a } from './a';\nimport '@lib/log';\nexport default a;",
        'app/a.ts': "export { b as a } from './b';",
        'app/b.ts': "import { log } from '@lib/log';\nexport const b = log;",
        'libs/log/index.ts': "import chalk from 'chalk';\nexport const log = chalk;",
      },
      ['app/main.ts'],
    );
    expect([...result.parents]).toEqual([
      ['app/main.ts', null],
      ['app/a.ts', 'app/main.ts'],
      ['libs/log/index.ts', 'app/main.ts'],
      ['app/b.ts', 'app/a.ts'],
    ]);
    expect([...result.externals]).toEqual([['chalk', 'libs/log/index.ts']]);
    expect(result.uncertain).toEqual([]);
  });

  it('never follows type-only edges: `import type`, `export type`, all-type named imports', () => {
    const result = reach(
      {
        'main.ts':
          "import type { A } from './a';\nexport type { B } from './b';\nimport { type C } from './c';\nimport { type D, e } from './d';",
        'a.ts': '',
        'b.ts': '',
        'c.ts': '',
        'd.ts': '',
      },
      ['main.ts'],
    );
    expect([...result.parents.keys()]).toEqual(['main.ts', 'd.ts']);
  });

  it('with verbatimModuleSyntax, `import { type C }` still loads the module', () => {
    const result = reach({ 'main.ts': "import { type C } from './c';", 'c.ts': '' }, ['main.ts'], {
      verbatimModuleSyntax: true,
    });
    expect([...result.parents.keys()]).toEqual(['main.ts', 'c.ts']);
  });

  it('never ships test files, even when imported', () => {
    const result = reach(
      {
        'main.ts': "import './setup.spec';\nimport './__tests__/helper';",
        'setup.spec.ts': '',
        '__tests__/helper.ts': '',
      },
      ['main.ts'],
    );
    expect([...result.parents.keys()]).toEqual(['main.ts']);
  });

  it('reaches assets as leaves and is uncertain about unknown kinds, unparsable files and computed imports', () => {
    const result = reach(
      {
        'main.ts':
          "import logo from './logo.svg';\nimport View from './view.vue';\nimport './broken';\nimport './dyn';\nimport './gone';",
        'logo.svg': '<svg/>',
        'view.vue': '<template/>',
        'broken.ts': 'export const = ;',
        'dyn.js': 'require(process.env.X);',
      },
      ['main.ts'],
    );
    expect([...result.parents.keys()]).toEqual(['main.ts', 'logo.svg', 'view.vue', 'broken.ts', 'dyn.js']);
    expect(result.uncertain.map(({ file, via }) => ({ file, via }))).toEqual([
      { file: 'main.ts', via: ['main.ts'] },
      { file: 'view.vue', via: ['main.ts', 'view.vue'] },
      { file: 'broken.ts', via: ['main.ts', 'broken.ts'] },
      { file: 'dyn.js', via: ['main.ts', 'dyn.js'] },
    ]);
    expect(result.uncertain[0].detail).toContain('imports "./gone"');
    expect(result.uncertain[2].detail).toMatch(/^broken.ts does not parse: line 1/);
  });

  it('an entry point that does not exist is uncertain, with the option that fixes it', () => {
    const result = reach({}, ['apps/api/src/main.ts']);
    expect(result.uncertain[0].detail).toContain('"entryPoints"');
  });
});

describe('isTestFile', () => {
  it.each([
    ['src/a.spec.ts', true],
    ['src/a.test.tsx', true],
    ['src/__tests__/a.ts', true],
    ['src/test-setup.ts', true],
    ['src/setupTests.js', true],
    ['src/latest.ts', false],
    ['src/contest/entry.ts', false],
  ])('%s → %s', (file, expected) => {
    expect(isTestFile(file)).toBe(expected);
  });
});

describe('filesReaching', () => {
  const sources = {
    'api/main.ts': "import { a } from './a';\nimport '@lib/log';",
    'api/a.ts': "import type { T } from '@lib/money';\nexport const a = 1;",
    'web/main.ts': "import '@lib/money';",
    'libs/money/index.ts': "import '@lib/log';\nexport type T = 1;",
    'libs/log/index.ts': 'export const log = 1;',
    'libs/unused/index.ts': "import '@lib/log';",
  };
  const files = new Set(Object.keys(sources));
  const graph = createImportGraph(
    (file) => (file in sources ? summarizeModule(file, sources[file as keyof typeof sources]) : undefined),
    resolverOf(sources),
  );

  it('is every file with a runtime chain to a file that matters, among the files reached from the entry points', () => {
    const reaching = filesReaching(
      ['api/main.ts', 'web/main.ts'],
      graph,
      files,
      (file) => file === 'libs/money/index.ts',
    );
    // api/a.ts imports money type-only; libs/unused is reached from no entry point.
    expect([...reaching].sort()).toEqual(['libs/money/index.ts', 'web/main.ts']);
    expect(
      [...filesReaching(['api/main.ts', 'web/main.ts'], graph, files, (file) => file === 'libs/log/index.ts')].sort(),
    ).toEqual(['api/main.ts', 'libs/log/index.ts', 'libs/money/index.ts', 'web/main.ts']);
  });

  /** A table holding the steps of `held` (numbered first), as a stored import graph's would. */
  function tableOf(held: string[]): FileStepTable {
    const names = [...held];
    const numberOf = (file: string) => (names.includes(file) ? names.indexOf(file) : names.push(file) - 1);
    const targets: number[] = [];
    const start: number[] = [];
    const end: number[] = [];
    const flags: number[] = [];
    for (const file of held) {
      const step = reachStep(file, graph);
      start.push(targets.length);
      targets.push(...step.targets.map(numberOf));
      end.push(targets.length);
      const unresolved = graph.edgesOf(file).some((edge) => edge.resolution.kind === 'unresolved');
      flags.push((step.uncertain.length > 0 ? STEP_UNCERTAIN : 0) | (unresolved ? IMPORT_UNRESOLVED : 0));
    }
    return {
      files: names,
      numberOf: (file) => (names.includes(file) ? names.indexOf(file) : undefined),
      start: Int32Array.from(start),
      end: Int32Array.from(end),
      targets: Int32Array.from(targets),
      flags: Uint8Array.from(flags),
    };
  }

  it('reads the steps a table holds by number and asks the graph for the others, with the same result', () => {
    // libs/log is in no held file's numbering until a file the graph answers for leads to it.
    const table = tableOf(['api/main.ts', 'libs/money/index.ts', 'api/a.ts']);
    const withTable: ImportGraph = { ...graph, stepTable: () => table };
    const heldAsked: string[] = [];
    for (const changed of files) {
      const matters = (file: string) => file === changed;
      const expected = [...filesReaching(['api/main.ts', 'web/main.ts'], graph, files, matters)].sort();
      const found = filesReaching(['api/main.ts', 'web/main.ts'], withTable, files, matters, (file, flags) => {
        heldAsked.push(file);
        expect(flags).toBe(0);
        return matters(file);
      });
      expect([...found].sort()).toEqual(expected);
    }
    expect(new Set(heldAsked)).toEqual(new Set(['api/main.ts', 'libs/money/index.ts', 'api/a.ts']));
    // A held step is read from the table too, and is the graph's.
    for (const file of files) expect(reachStep(file, withTable)).toEqual(reachStep(file, graph));
    const byTable = reachFromEntryPoints(['api/main.ts', 'web/main.ts'], withTable, files);
    const byGraph = reachFromEntryPoints(['api/main.ts', 'web/main.ts'], graph, files);
    expect([...byTable.parents]).toEqual([...byGraph.parents]);
    expect([...byTable.parents]).toEqual([
      ['api/main.ts', null],
      ['web/main.ts', null],
      ['api/a.ts', 'api/main.ts'],
      ['libs/log/index.ts', 'api/main.ts'],
      ['libs/money/index.ts', 'web/main.ts'],
    ]);
    expect(byTable.parents.get('libs/money/index.ts')).toBe('web/main.ts');
    expect(byTable.parents.has('libs/unused/index.ts')).toBe(false);
    expect([byTable.externals, byTable.uncertain]).toEqual([byGraph.externals, byGraph.uncertain]);
  });

  it('agrees with each entry point’s own reach', () => {
    for (const changed of files) {
      const reaching = filesReaching(['api/main.ts', 'web/main.ts'], graph, files, (file) => file === changed);
      for (const entry of ['api/main.ts', 'web/main.ts']) {
        expect(reaching.has(entry)).toBe(reachFromEntryPoints([entry], graph, files).parents.has(changed));
      }
    }
  });
});
