import { describe, expect, it } from 'vitest';
import { buildInputsOf, type NxJsonInputs } from './build-inputs';

// The namedInputs create-nx-workspace writes.
const nxJson: NxJsonInputs = {
  namedInputs: {
    default: ['{projectRoot}/**/*', 'sharedGlobals'],
    sharedGlobals: ['{workspaceRoot}/.github/workflows/ci.yml'],
    production: [
      'default',
      '!{projectRoot}/**/?(*.)+(spec|test).[jt]s?(x)?(.snap)',
      '!{projectRoot}/tsconfig.spec.json',
      '!{projectRoot}/jest.config.[jt]s',
      '!{projectRoot}/**/*.stories.@(js|jsx|ts|tsx|mdx)',
    ],
  },
};

describe('buildInputsOf', () => {
  it('own root: the build target inputs (production = default minus tests) decide', () => {
    const inputs = buildInputsOf(
      { name: 'web', root: 'apps/web', targets: { build: { inputs: ['production', '^production'] } } },
      nxJson,
      ['build', 'deploy'],
    );
    expect(inputs.includesOwn('apps/web/vite.config.mts')).toBe(true);
    expect(inputs.includesOwn('apps/web/vercel.ts')).toBe(true);
    expect(inputs.includesOwn('apps/web/src/app/page.tsx')).toBe(true);
    expect(inputs.includesOwn('apps/web/src/app/page.spec.tsx')).toBe(false);
    expect(inputs.includesOwn('apps/web/jest.config.ts')).toBe(false);
    expect(inputs.includesOwn('apps/web/src/button.stories.tsx')).toBe(false);
    expect(inputs.source).toBe('build target inputs (production, ^production)');
  });

  it("dependencies' files through ^name, expanded with the dependency's own namedInputs", () => {
    const inputs = buildInputsOf(
      { name: 'web', root: 'apps/web', targets: { build: { inputs: ['production', '^production'] } } },
      nxJson,
      ['build'],
    );
    const ui = {
      root: 'libs/ui',
      namedInputs: { production: ['{projectRoot}/src/**/*', '!{projectRoot}/src/**/*.md'] },
    };
    expect(inputs.dependencyInput('libs/ui/src/theme.css', ui)).toBe('^production');
    expect(inputs.dependencyInput('libs/ui/src/notes.md', ui)).toBeUndefined();
    expect(inputs.dependencyInput('libs/ui/package.json', ui)).toBeUndefined();
    expect(inputs.dependencyInput('libs/util/package.json', { root: 'libs/util' })).toBe('^production');
    expect(inputs.dependencyInput('libs/util/src/a.spec.ts', { root: 'libs/util' })).toBeUndefined();
  });

  it('targetDefaults, objects ({ fileset }, { input, dependencies }), runtime inputs ignored', () => {
    const inputs = buildInputsOf(
      { name: 'api', root: 'apps/api', targets: { build: {}, deploy: {} } },
      {
        ...nxJson,
        targetDefaults: {
          build: {
            inputs: [
              { fileset: '{projectRoot}/src/**/*' },
              { input: 'production', dependencies: true },
              { runtime: 'node -v' },
              { env: 'API_URL' },
              { externalDependencies: ['esbuild'] },
            ],
          },
        },
      },
      ['build', 'deploy'],
    );
    expect(inputs.includesOwn('apps/api/src/main.ts')).toBe(true);
    expect(inputs.includesOwn('apps/api/Dockerfile')).toBe(false);
    expect(inputs.dependencyInput('libs/db/prisma/schema.prisma', { root: 'libs/db' })).toBe('^production');
  });

  it('no inputs declared (or none naming own files): every non-test file, of its own and of dependencies', () => {
    for (const targets of [{ build: {} }, { build: { inputs: ['^production'] } }, {}]) {
      const inputs = buildInputsOf({ name: 'api', root: 'apps/api', targets }, nxJson, ['build', 'deploy']);
      expect(inputs.includesOwn('apps/api/Dockerfile')).toBe(true);
      expect(inputs.includesOwn('apps/api/src/main.spec.ts')).toBe(false);
      expect(inputs.dependencyInput('libs/db/package.json', { root: 'libs/db' })).toBeDefined();
      expect(inputs.dependencyInput('libs/db/src/db.test.ts', { root: 'libs/db' })).toBeUndefined();
    }
  });

  it('falls back to the deploy target, and a root project ({projectRoot} = workspace root)', () => {
    const inputs = buildInputsOf(
      {
        name: 'site',
        root: '',
        targets: { deploy: { inputs: ['{projectRoot}/src/**/*', '{projectRoot}/Dockerfile'] } },
      },
      nxJson,
      ['build', 'deploy'],
    );
    expect(inputs.includesOwn('src/index.ts')).toBe(true);
    expect(inputs.includesOwn('Dockerfile')).toBe(true);
    expect(inputs.includesOwn('README.md')).toBe(false);
    expect(inputs.source).toMatch(/^deploy target inputs/);
  });

  it('a cycle of named inputs ends', () => {
    const inputs = buildInputsOf(
      {
        name: 'a',
        root: 'a',
        targets: { build: { inputs: ['x'] } },
        namedInputs: { x: ['y', '{projectRoot}/a.txt'], y: ['x'] },
      },
      {},
      ['build'],
    );
    expect(inputs.includesOwn('a/a.txt')).toBe(true);
    expect(inputs.includesOwn('a/b.txt')).toBe(false);
  });
});
