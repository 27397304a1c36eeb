import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { packageJsonProjectMatcher, packageJsonProjectPatterns } from './package-json-projects';

let root: string | undefined;
afterEach(() => root && rmSync(root, { recursive: true, force: true }));

function workspace(files: Record<string, string>): string {
  root = mkdtempSync(join(tmpdir(), 'lockstep-package-projects-'));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(root, file), text);
  return root;
}

it("reads a pnpm workspace's packages, negations included", () => {
  const at = workspace({
    'package.json': '{ "name": "root" }',
    'pnpm-workspace.yaml': "packages:\n  - 'apps/*'\n  - 'libs/**'\n  - '!apps/legacy'\n",
  });
  expect(packageJsonProjectPatterns(at)).toEqual([
    'apps/*/package.json',
    'libs/**/package.json',
    '!apps/legacy/package.json',
  ]);
  const isProject = packageJsonProjectMatcher(at);
  expect(
    ['apps/api/package.json', 'libs/a/b/package.json', 'apps/legacy/package.json', 'tools/x/package.json'].map(
      isProject,
    ),
  ).toEqual([true, true, false, false]);
});

it('a pnpm-workspace.yaml that does not parse lists no projects, as Nx warns and goes on', () => {
  const at = workspace({ 'package.json': '{ "name": "root" }', 'pnpm-workspace.yaml': 'packages: [apps/*\n' });
  expect(packageJsonProjectPatterns(at)).toEqual([]);
});
