import { describe, expect, it } from 'vitest';
import { findEntryPoints } from './entry-points';

const files = new Set([
  'apps/api/src/main.ts',
  'apps/api/src/server.ts',
  'apps/api/src/index.ts',
  'apps/web/src/index.tsx',
  'apps/worker/src/run.ts',
  'apps/lambda/handler.js',
]);

describe('findEntryPoints', () => {
  it('the entryPoints plugin option wins', () => {
    expect(findEntryPoints({ root: 'apps/api', targets: {} }, files, ['./apps/api/src/server.ts'])).toEqual([
      'apps/api/src/server.ts',
    ]);
  });

  it('build target options: main / entry, workspace- or project-relative, with {projectRoot}', () => {
    expect(
      findEntryPoints({ root: 'apps/api', targets: { build: { options: { main: 'apps/api/src/server.ts' } } } }, files),
    ).toEqual(['apps/api/src/server.ts']);
    expect(
      findEntryPoints(
        {
          root: 'apps/worker',
          targets: {
            'build-esbuild': {
              options: { main: '{projectRoot}/src/run.ts', additionalEntryPoints: ['apps/api/src/index.ts'] },
            },
          },
        },
        files,
      ),
    ).toEqual(['apps/worker/src/run.ts', 'apps/api/src/index.ts']);
    expect(
      findEntryPoints({ root: 'apps/worker', targets: { build: { options: { entry: 'src/run.ts' } } } }, files),
    ).toEqual(['apps/worker/src/run.ts']);
  });

  it('package.json main, mapped from a build output back to its source', () => {
    expect(findEntryPoints({ root: 'apps/lambda', targets: {}, packageJson: { main: 'handler.js' } }, files)).toEqual([
      'apps/lambda/handler.js',
    ]);
    expect(findEntryPoints({ root: 'apps/worker', targets: {}, packageJson: { main: 'dist/run.js' } }, files)).toEqual([
      'apps/worker/src/run.ts',
    ]);
  });

  it('conventional src/main, src/index, src/server', () => {
    expect(findEntryPoints({ root: 'apps/api', targets: { build: { options: { command: 'tsc' } } } }, files)).toEqual([
      'apps/api/src/main.ts',
    ]);
    expect(findEntryPoints({ root: 'apps/web', targets: {} }, files)).toEqual(['apps/web/src/index.tsx']);
    expect(findEntryPoints({ root: 'apps/none', targets: {} }, files)).toEqual([]);
  });
});
