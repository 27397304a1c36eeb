import { describe, expect, it } from 'vitest';
import type { UncertainFile } from '../graph/reachability';
import { createGeneratorLookup } from './generated-code';
import { createProjectScope } from './project-scope';
import { scopeUncertainty, type ChangeRange } from './uncertainty-scope';

// api → db → util; web → ui. `imports` is the import graph of the non-test files.
const imports: Record<string, string[]> = {
  'apps/api/src/main.ts': ['libs/db/src/index.ts'],
  'libs/db/src/index.ts': ['libs/util/src/index.ts'],
  'libs/db/src/index.spec.ts': ['libs/ui/src/index.ts'],
  'apps/web/src/main.ts': ['libs/ui/src/index.ts'],
};
const files = [
  ...Object.keys(imports),
  'libs/util/src/index.ts',
  'libs/ui/src/index.ts',
  'libs/db/prisma/schema.prisma',
  'apps/web/codegen.ts',
];
const scope = createProjectScope({
  roots: new Map([
    ['api', 'apps/api'],
    ['web', 'apps/web'],
    ['db', 'libs/db'],
    ['util', 'libs/util'],
    ['ui', 'libs/ui'],
  ]),
  files,
  importsOf: (file) => imports[file] ?? [],
});
const projects = [
  {
    name: 'db',
    root: 'libs/db',
    targets: {
      'prisma-generate': { inputs: ['{projectRoot}/prisma/schema.prisma'], outputs: ['{projectRoot}/src/generated'] },
    },
  },
];
const generatorOf = createGeneratorLookup(
  projects,
  {},
  [{ path: 'apps/web/src/gql/**', inputs: ['apps/web/codegen.ts', 'apps/web/src/**/*.graphql'] }],
  scope.ownerOf,
);
const range = (changedPaths: string[], changedPackageSources: string[] = []): ChangeRange => ({
  changedPaths,
  scope,
  changedPackageSources,
  generatorOf,
});

const evalSpot: UncertainFile = {
  file: 'libs/db/src/index.ts',
  detail: 'libs/db/src/index.ts loads modules the analysis cannot follow: eval at line 3',
  via: ['apps/api/src/main.ts', 'libs/db/src/index.ts'],
  spot: { dynamic: true },
};
const unresolved: UncertainFile = {
  file: 'libs/db/src/index.ts',
  detail: 'libs/db/src/index.ts:1 imports "./types": no file matches',
  via: ['apps/api/src/main.ts', 'libs/db/src/index.ts'],
  spot: { missingPath: 'libs/db/src/types' },
};

describe('createProjectScope', () => {
  it('owners by the most nested root, dependencies from non-test imports, transitively', () => {
    expect(scope.ownerOf('libs/db/src/index.ts')).toBe('db');
    expect(scope.ownerOf('README.md')).toBeUndefined();
    expect([...scope.closureOf('api')].sort()).toEqual(['api', 'db', 'util']);
    expect(scope.chainTo('api', 'util')).toEqual(['api', 'db', 'util']);
    // db's spec imports ui: a test file's import makes no dependency.
    expect(scope.chainTo('db', 'ui')).toBeUndefined();
  });
});

describe('createProjectScope with `ships` (build inputs, tooling configs)', () => {
  // nx-console: util's lint config imports the root one (project repo); gen's main imports its
  // own config, which its build inputs exclude, and that config imports plugin.
  const edges: Record<string, string[]> = {
    'libs/util/src/index.ts': [],
    'libs/util/eslint.config.mjs': ['eslint.config.mjs'],
    'apps/gen/src/main.ts': ['apps/gen/tool.config.ts'],
    'apps/gen/tool.config.ts': ['libs/plugin/src/index.ts'],
  };
  const shipsScope = createProjectScope({
    roots: new Map([
      ['repo', ''],
      ['util', 'libs/util'],
      ['gen', 'apps/gen'],
      ['plugin', 'libs/plugin'],
    ]),
    files: [...Object.keys(edges), 'eslint.config.mjs', 'libs/plugin/src/index.ts'],
    importsOf: (file) => edges[file] ?? [],
    ships: (_project, file) => !file.endsWith('eslint.config.mjs') && !file.endsWith('tool.config.ts'),
  });

  it('an edge only a file that never ships makes is no dependency', () => {
    expect([...shipsScope.closureOf('util')]).toEqual(['util']);
  });

  it('an excluded file that a shipped file of the project imports still makes its edges', () => {
    expect(shipsScope.chainTo('gen', 'plugin')).toEqual(['gen', 'plugin']);
  });
});

describe('scopeUncertainty', () => {
  it('an empty range affects nothing', () => {
    expect(scopeUncertainty([evalSpot, unresolved], range([]))).toEqual([]);
  });

  it('a spot counts only when a file of its project or of what that depends on changed', () => {
    expect(scopeUncertainty([evalSpot], range(['libs/ui/src/index.ts', 'apps/web/src/main.ts']))).toEqual([]);
    expect(scopeUncertainty([evalSpot], range(['libs/db/src/index.spec.ts']))).toEqual([]);
    expect(scopeUncertainty([evalSpot], range(['libs/util/src/index.ts']))).toEqual([
      {
        kind: 'analysis-uncertain',
        file: 'libs/db/src/index.ts',
        detail:
          'libs/db/src/index.ts loads modules the analysis cannot follow: eval at line 3 — libs/util/src/index.ts changed, within what this spot could stand for (project db and what it depends on: project precision for this spot)',
        via: ['apps/api/src/main.ts', 'libs/db/src/index.ts'],
      },
    ]);
  });

  it('code that computes what it loads also stands for the installed packages its projects use', () => {
    expect(scopeUncertainty([evalSpot], range(['package-lock.json'], ['package-lock.json']))).toHaveLength(1);
    expect(scopeUncertainty([unresolved], range(['package-lock.json'], ['package-lock.json']))).toEqual([]);
    // Project precision for the spot: only a changed package its projects use (Nx's npm dependencies).
    const usedBy = (used: string[]): ChangeRange => ({
      ...range(['package-lock.json'], ['package-lock.json']),
      packageChangeIn: (projects) =>
        used.some((project) => projects.has(project))
          ? 'package-lock.json (ms 2.0.0 → 2.1.0, used by util)'
          : undefined,
    });
    expect(scopeUncertainty([evalSpot], usedBy(['web']))).toEqual([]);
    expect(scopeUncertainty([evalSpot], usedBy(['util']))[0]).toMatchObject({
      kind: 'analysis-uncertain',
      detail: expect.stringContaining('— package-lock.json (ms 2.0.0 → 2.1.0, used by util) changed, within what'),
    });
  });

  it('generated code: through the Nx target whose outputs cover the path, and its inputs', () => {
    const prisma: UncertainFile = { ...unresolved, spot: { missingPath: 'libs/db/src/generated/client' } };
    expect(scopeUncertainty([prisma], range(['libs/db/src/index.ts']))).toEqual([]);
    expect(scopeUncertainty([prisma], range(['libs/db/prisma/schema.prisma']))).toEqual([
      {
        kind: 'imported-file-changed',
        file: 'libs/db/prisma/schema.prisma',
        via: [
          'apps/api/src/main.ts',
          'libs/db/src/index.ts',
          'libs/db/src/generated/client',
          'libs/db/prisma/schema.prisma',
        ],
        input:
          'generated libs/db/src/generated/client: db:prisma-generate (outputs libs/db/src/generated; prisma-generate target inputs ({projectRoot}/prisma/schema.prisma))',
      },
    ]);
  });

  it('generated code declared in the plugin option, and without any generator: the owning project', () => {
    const gql: UncertainFile = {
      file: 'apps/web/src/main.ts',
      detail: 'apps/web/src/main.ts:1 imports "./gql/graphql"',
      via: ['apps/web/src/main.ts'],
      spot: { missingPath: 'apps/web/src/gql/graphql' },
    };
    expect(scopeUncertainty([gql], range(['apps/web/codegen.ts']))[0]).toMatchObject({
      kind: 'imported-file-changed',
      file: 'apps/web/codegen.ts',
      input:
        'generated apps/web/src/gql/graphql: the "generated" option entry apps/web/src/gql/** (inputs apps/web/codegen.ts, apps/web/src/**/*.graphql)',
    });
    expect(scopeUncertainty([unresolved], range(['apps/web/src/main.ts']))).toEqual([]);
    expect(scopeUncertainty([unresolved], range(['libs/db/src/index.ts']))).toHaveLength(1);
  });

  it('a spot outside every project stands for any change', () => {
    const loose: UncertainFile = { file: 'tools/x.js', detail: 'tools/x.js does not parse', via: ['tools/x.js'] };
    expect(scopeUncertainty([loose], range(['libs/ui/src/index.ts']))).toHaveLength(1);
  });
});
