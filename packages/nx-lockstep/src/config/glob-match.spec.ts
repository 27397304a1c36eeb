import { isMatch } from 'micromatch';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MARKER_GLOBS } from '../plugin/deploy-marker-files';
import { OUTSIDE_MARKER_GLOBS } from '../plugin/outside-marker-files';
import { isGlobMatch } from './glob-match';

const PATHS = [
  'Dockerfile',
  'api.Dockerfile',
  '.Dockerfile',
  'docker/Dockerfile',
  'docker/api.Dockerfile',
  'fly.toml',
  'sub/fly.toml',
  'wrangler.jsonc',
  'wrangler.yaml',
  'serverless.ts',
  '.hidden/Chart.yaml',
  'apps/api/package.json',
  'apps/legacy/package.json',
  'apps/a/b/package.json',
  'packages/x/package.json',
  'orders-api',
  'orders-web',
  '@acme/api',
  '',
];

const GLOB_SETS: Array<[string[], { dot?: boolean } | undefined]> = [
  [[...DEFAULT_MARKER_GLOBS], { dot: true }],
  [[...OUTSIDE_MARKER_GLOBS], { dot: true }],
  [['apps/*/package.json', 'packages/**/package.json'], undefined],
  [['apps/legacy/package.json'], undefined],
  [['orders-*', '!orders-web'], undefined],
  [['@acme/*'], undefined],
  [['**/*.Dockerfile'], { dot: true }],
  [['**/*.Dockerfile'], undefined],
];

describe('isGlobMatch', () => {
  it("gives micromatch.isMatch's answer for every path and glob set, asked repeatedly", () => {
    for (let round = 0; round < 2; round++) {
      for (const [globs, options] of GLOB_SETS) {
        for (const path of PATHS) {
          expect({ path, globs, options, match: isGlobMatch(path, globs, options) }).toEqual({
            path,
            globs,
            options,
            match: isMatch(path, globs, options),
          });
        }
      }
    }
  });

  it('keeps the dot option apart: the same globs with and without it are two matchers', () => {
    expect(isGlobMatch('.hidden/x.Dockerfile', ['**/*.Dockerfile'], { dot: true })).toBe(true);
    expect(isGlobMatch('.hidden/x.Dockerfile', ['**/*.Dockerfile'])).toBe(false);
  });
});
