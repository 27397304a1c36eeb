import { describe, expect, it } from 'vitest';
import type { Reach } from '../graph/reachability';
import { decideDeployable, ownerRoot, shippedAtFilePrecision } from './decide-deployable';
import { decideAtProjectPrecision } from './decide-project-precision';
import { buildInputsOf } from './build-inputs';
import { dependencyInputChanges } from './dependency-inputs';
import type { FileChange } from './file-change';
import { createProjectScope } from './project-scope';

const reachOf = (parents: Array<[string, string | null]>, externals: Array<[string, string]> = []): Reach => ({
  parents: new Map(parents),
  externals: new Map(externals),
  uncertain: [],
});
const api = { project: 'api', root: 'apps/api', base: 'b0' };
const roots = ['apps/api', 'apps/api/tools/nested', 'libs/util'];
const noExternal = () => undefined;

describe('decideDeployable (file precision)', () => {
  const head = reachOf([
    ['apps/api/src/main.ts', null],
    ['libs/util/src/index.ts', 'apps/api/src/main.ts'],
  ]);

  it('reached changes are own or imported with their chain; unreached sources and tests do not count', () => {
    const changes: FileChange[] = [
      { status: 'M', path: 'libs/util/src/index.ts' },
      { status: 'M', path: 'apps/api/src/main.ts' },
      { status: 'M', path: 'libs/util/src/unused.ts' },
      { status: 'M', path: 'apps/api/src/main.spec.ts' },
    ];
    const decision = decideDeployable({
      deployable: api,
      changes,
      projectRoots: roots,
      shipped: shippedAtFilePrecision(changes, head),
      externals: new Map(),
      uncertain: [],
      externalChange: noExternal,
      globalChanges: [],
    });
    expect(decision).toEqual({
      project: 'api',
      base: 'b0',
      affected: true,
      reasons: [
        {
          kind: 'imported-file-changed',
          file: 'libs/util/src/index.ts',
          via: ['apps/api/src/main.ts', 'libs/util/src/index.ts'],
        },
        { kind: 'own-file-changed', file: 'apps/api/src/main.ts', via: ['apps/api/src/main.ts'] },
      ],
    });
  });

  it("own non-source files ship (Dockerfile, config, deleted assets), a nested project's files do not", () => {
    const changes: FileChange[] = [
      { status: 'M', path: 'apps/api/Dockerfile' },
      { status: 'D', path: 'apps/api/assets/logo.png' },
      { status: 'M', path: 'apps/api/tools/nested/config.json' },
    ];
    const decision = decideDeployable({
      deployable: api,
      changes,
      projectRoots: roots,
      shipped: [],
      externals: new Map(),
      uncertain: [],
      externalChange: noExternal,
      globalChanges: [],
    });
    expect(decision.reasons).toEqual([
      { kind: 'own-file-changed', file: 'apps/api/Dockerfile' },
      { kind: 'own-file-changed', file: 'apps/api/assets/logo.png' },
    ]);
  });

  it('own root, whole: unreached own sources count (config, marker), unless the build inputs exclude them', () => {
    const changes: FileChange[] = [
      { status: 'M', path: 'apps/api/vite.config.mts' },
      { status: 'M', path: 'apps/api/vercel.ts' },
      { status: 'M', path: 'apps/api/src/main.spec.ts' },
      { status: 'M', path: 'apps/api/jest.config.ts' },
    ];
    const inputs = buildInputsOf(
      { name: 'api', root: 'apps/api', targets: { build: { inputs: ['production'] } } },
      {
        namedInputs: {
          production: ['{projectRoot}/**/*', '!{projectRoot}/**/*.spec.ts', '!{projectRoot}/jest.config.ts'],
        },
      },
      ['build'],
    );
    const decide = (ownInput?: (file: string) => boolean) =>
      decideDeployable({
        deployable: api,
        changes,
        projectRoots: roots,
        shipped: [],
        externals: new Map(),
        uncertain: [],
        externalChange: noExternal,
        globalChanges: [],
        ownInput,
      }).reasons;
    expect(decide(inputs.includesOwn)).toEqual([
      { kind: 'own-file-changed', file: 'apps/api/vite.config.mts' },
      { kind: 'own-file-changed', file: 'apps/api/vercel.ts' },
    ]);
    // No inputs declared: every own file but tests.
    expect(decide()).toEqual([
      { kind: 'own-file-changed', file: 'apps/api/vite.config.mts' },
      { kind: 'own-file-changed', file: 'apps/api/vercel.ts' },
      { kind: 'own-file-changed', file: 'apps/api/jest.config.ts' },
    ]);
  });

  it("dependencies' non-source files count through ^ inputs, with the project chain and the input", () => {
    const scope = createProjectScope({
      roots: new Map([
        ['api', 'apps/api'],
        ['util', 'libs/util'],
        ['other', 'libs/other'],
      ]),
      files: ['apps/api/src/main.ts', 'libs/util/src/index.ts'],
      importsOf: (file) => (file === 'apps/api/src/main.ts' ? ['libs/util/src/index.ts'] : []),
    });
    const inputs = buildInputsOf(
      { name: 'api', root: 'apps/api', targets: { build: { inputs: ['default', '^production'] } } },
      { namedInputs: { production: ['{projectRoot}/**/*', '!{projectRoot}/**/*.md'] } },
      ['build'],
    );
    const reasons = dependencyInputChanges({
      deployable: 'api',
      changedPaths: [
        'libs/util/package.json',
        'libs/util/README.md',
        'libs/util/src/unused.ts',
        'libs/other/styles.css',
        'apps/api/Dockerfile',
      ],
      inputs,
      scope,
      projectOf: (name) => ({ root: name === 'util' ? 'libs/util' : 'libs/other' }),
    });
    // Sources count only when reached; other is no dependency; README.md is not in production.
    expect(reasons).toEqual([
      {
        kind: 'dependency-project-changed',
        project: 'util',
        file: 'libs/util/package.json',
        via: ['api', 'util'],
        input: '^production',
      },
    ]);
  });

  it('a file deleted or renamed away counts when it was reached at base', () => {
    const base = reachOf([
      ['apps/api/src/main.ts', null],
      ['libs/util/src/old.ts', 'apps/api/src/main.ts'],
    ]);
    const changes: FileChange[] = [{ status: 'R', path: 'libs/util/src/new.ts', oldPath: 'libs/util/src/old.ts' }];
    expect(shippedAtFilePrecision(changes, head, base)).toEqual([
      { file: 'libs/util/src/old.ts', via: ['apps/api/src/main.ts', 'libs/util/src/old.ts'] },
    ]);
  });

  it('global inputs, external packages and uncertainty each make it affected with their reason', () => {
    const decision = decideDeployable({
      deployable: api,
      changes: [],
      projectRoots: roots,
      shipped: [],
      externals: new Map([
        ['zod', 'apps/api/src/main.ts'],
        ['ms', 'libs/util/src/index.ts'],
      ]),
      uncertain: [
        { file: 'apps/api/src/x.vue', detail: 'unknown kind', via: ['apps/api/src/main.ts', 'apps/api/src/x.vue'] },
      ],
      externalChange: (name) =>
        name === 'zod' ? { package: 'zod', from: '3.0.0', to: '3.1.0', lockfile: 'package-lock.json' } : undefined,
      globalChanges: [{ file: 'tsconfig.base.json', detail: 'compilerOptions changed: target' }],
    });
    expect(decision.reasons).toEqual([
      { kind: 'global-input-changed', file: 'tsconfig.base.json', detail: 'compilerOptions changed: target' },
      {
        kind: 'external-package-changed',
        package: 'zod',
        from: '3.0.0',
        to: '3.1.0',
        lockfile: 'package-lock.json',
        importedBy: 'apps/api/src/main.ts',
      },
      {
        kind: 'analysis-uncertain',
        file: 'apps/api/src/x.vue',
        detail: 'unknown kind',
        via: ['apps/api/src/main.ts', 'apps/api/src/x.vue'],
      },
    ]);
  });

  it('an unreadable lockfile: one uncertain reason per lockfile, naming the packages imported from it', () => {
    const decision = decideDeployable({
      deployable: api,
      changes: [],
      projectRoots: roots,
      shipped: [],
      externals: new Map(['zod', 'ms', 'debug', 'lodash', 'chalk'].map((name) => [name, 'apps/api/src/main.ts'])),
      uncertain: [],
      externalChange: (name) => ({
        package: name,
        from: null,
        to: null,
        lockfile: 'pnpm-lock.yaml',
        unreadable: 'pnpm-lock.yaml does not parse at base (Unexpected token)',
      }),
      globalChanges: [],
    });
    expect(decision).toMatchObject({ affected: true });
    expect(decision.reasons).toEqual([
      {
        kind: 'analysis-uncertain',
        file: 'pnpm-lock.yaml',
        detail:
          'pnpm-lock.yaml does not parse at base (Unexpected token): the locked versions of the packages this deployable imports (chalk, debug, lodash and 2 more) are unknown, so they count as changed',
      },
    ]);
  });

  it('nothing reached changed: not affected, no reasons', () => {
    expect(
      decideDeployable({
        deployable: api,
        changes: [{ status: 'M', path: 'README.md' }],
        projectRoots: roots,
        shipped: [],
        externals: new Map(),
        uncertain: [],
        externalChange: noExternal,
        globalChanges: [],
      }),
    ).toEqual({ project: 'api', base: 'b0', affected: false, reasons: [] });
  });

  it('ownerRoot picks the most nested project, and the root project last', () => {
    expect(ownerRoot('apps/api/tools/nested/x.ts', roots)).toBe('apps/api/tools/nested');
    expect(ownerRoot('README.md', roots)).toBeUndefined();
    expect(ownerRoot('README.md', [...roots, '.'])).toBe('');
  });
});

describe('decideAtProjectPrecision', () => {
  const projectRoots = new Map([
    ['api', 'apps/api'],
    ['db', 'libs/db'],
    ['util', 'libs/util'],
  ]);
  const dependencies = { api: ['db'], db: ['util'], util: [] };

  it("follows Nx's answer and explains it with project chains", () => {
    const changes: FileChange[] = [{ status: 'M', path: 'libs/util/src/a.ts' }];
    expect(
      decideAtProjectPrecision({
        deployable: api,
        changes,
        projectRoots,
        dependencies,
        nxAffected: new Set(['api', 'db', 'util']),
      }),
    ).toEqual({
      project: 'api',
      base: 'b0',
      affected: true,
      reasons: [
        { kind: 'dependency-project-changed', project: 'util', file: 'libs/util/src/a.ts', via: ['api', 'db', 'util'] },
      ],
    });
    expect(
      decideAtProjectPrecision({ deployable: api, changes, projectRoots, dependencies, nxAffected: new Set(['util']) })
        .affected,
    ).toBe(false);
  });

  it('a workspace file that Nx counts for every project is a global input', () => {
    const decision = decideAtProjectPrecision({
      deployable: api,
      changes: [{ status: 'M', path: 'nx.json' }],
      projectRoots,
      dependencies,
      nxAffected: new Set(['api']),
    });
    expect(decision.reasons).toEqual([
      {
        kind: 'global-input-changed',
        file: 'nx.json',
        detail: 'a workspace file outside every project: Nx counts it as an input of this project',
      },
    ]);
  });
});

describe('decideDeployable: declarations in reasons', () => {
  it('names changed statements and imports in words, statements from 1', () => {
    const decision = decideDeployable({
      deployable: { project: 'api', root: 'apps/api', base: 'b' },
      changes: [{ status: 'M', path: 'libs/util/src/index.ts' }],
      projectRoots: ['apps/api', 'libs/util'],
      shipped: [
        {
          file: 'libs/util/src/index.ts',
          via: ['apps/api/src/main.ts', 'libs/util/src/index.ts'],
          declarations: ['#0', 'load:./polyfill', 'shout'],
        },
      ],
      externals: new Map(),
      uncertain: [],
      externalChange: () => undefined,
      globalChanges: [],
    });
    expect(decision.reasons).toEqual([
      {
        kind: 'imported-file-changed',
        file: 'libs/util/src/index.ts',
        via: ['apps/api/src/main.ts', 'libs/util/src/index.ts'],
        declarations: ['statement-1', 'import:./polyfill', 'shout'],
      },
    ]);
  });
});
