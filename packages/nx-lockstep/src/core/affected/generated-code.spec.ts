import { describe, expect, it } from 'vitest';
import { createGeneratorLookup, missingPathOf } from './generated-code';

describe('missingPathOf', () => {
  it("the resolver's missingPath, else the target of a relative specifier without extension", () => {
    const unresolved = { kind: 'unresolved' as const, detail: 'x' };
    expect(missingPathOf('apps/api/src/app.ts', '../../prisma/generated-prisma-client', unresolved)).toBe(
      'apps/prisma/generated-prisma-client',
    );
    expect(missingPathOf('apps/web/src/a.ts', './types.js', unresolved)).toBe('apps/web/src/types');
    expect(missingPathOf('apps/web/src/a.ts', '@acme/gen', unresolved)).toBeUndefined();
    expect(missingPathOf('a.ts', '@acme/gen', { ...unresolved, missingPath: 'libs/gen/src/index' })).toBe(
      'libs/gen/src/index',
    );
  });
});

describe('createGeneratorLookup', () => {
  const projects = [
    {
      name: 'api',
      root: 'apps/api',
      targets: {
        build: { outputs: ['{workspaceRoot}/dist/{projectRoot}'] },
        codegen: { outputs: ['{options.outputPath}'], options: { outputPath: 'apps/api/src/__generated__' } },
        graphql: { outputs: ['{projectRoot}/src/**/*.generated.ts'], inputs: ['{projectRoot}/schema.graphql'] },
      },
    },
  ];
  const ownerOf = (file: string) => (file.startsWith('apps/api/') ? 'api' : undefined);
  const lookup = createGeneratorLookup(projects, {}, [], ownerOf);

  it('a target whose outputs ({options.x}, folders, globs) cover the path', () => {
    const codegen = lookup('apps/api/src/__generated__/types');
    expect(codegen?.describe).toBe('api:codegen (outputs apps/api/src/__generated__; inputs: every file of api)');
    // No inputs declared: every non-test file of the target's project.
    expect(codegen?.includes('apps/api/codegen.yml')).toBe(true);
    expect(codegen?.includes('apps/api/src/a.spec.ts')).toBe(false);
    expect(codegen?.includes('libs/x/a.ts')).toBe(false);
    const graphql = lookup('apps/api/src/user.generated');
    expect(graphql?.includes('apps/api/schema.graphql')).toBe(true);
    expect(graphql?.includes('apps/api/codegen.yml')).toBe(false);
    expect(lookup('apps/api/src/types')).toBeUndefined();
  });

  it('the generated option wins over Nx targets', () => {
    const declared = createGeneratorLookup(
      projects,
      {},
      [{ path: 'apps/api/src/__generated__', inputs: ['apps/api/*.yml'] }],
      ownerOf,
    )('apps/api/src/__generated__/types');
    expect(declared?.includes('apps/api/codegen.yml')).toBe(true);
    expect(declared?.includes('apps/api/src/main.ts')).toBe(false);
  });
});
