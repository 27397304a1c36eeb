import { describe, expect, it } from 'vitest';
import { parseYaml } from './locked-packages';
import { packageOfPatchName, patchesIn, scopedYarnCandidates } from './patched-packages';

const commit = (files: Record<string, string>) => ({ readText: (path: string) => files[path] });

describe('packageOfPatchName', () => {
  it("reads patch-package's and yarn's names", () => {
    expect(packageOfPatchName('patches/debug+4.0.0.patch')).toBe('debug');
    expect(packageOfPatchName('patches/@babel+core+7.24.0.patch')).toBe('@babel/core');
    expect(packageOfPatchName('patches/express++debug+2.6.9.patch')).toBe('debug');
    expect(packageOfPatchName('patches/@nx+js++@babel+core+7.24.0.dev.patch')).toBe('@babel/core');
    expect(packageOfPatchName('.yarn/patches/typescript-npm-5.0.4-2bdb7d5cf4.patch')).toBe('typescript');
    expect(packageOfPatchName('.yarn/patches/left-npm-pad-npm-1.3.0-0a1b2c.patch')).toBe('left-npm-pad');
    expect(packageOfPatchName('patches/nx@21.0.0-beta.7.patch')).toBe('nx');
    expect(packageOfPatchName('patches/@nx__js@21.0.0.patch')).toBe('@nx/js');
    expect(packageOfPatchName('patches/typescript+5.2.0-pr-54781-9.patch')).toBe('typescript');
    expect(packageOfPatchName('patches/@packages+driver++sinon+8.1.1.patch')).toBe('sinon');
  });

  it('gives nothing where a name cannot be told', () => {
    expect(packageOfPatchName('.yarn/patches/@types-node-npm-20.0.0-0a1b2c.patch')).toBeUndefined(); // @types/node or @types-node?
    expect(packageOfPatchName('patches/fix-the-login.patch')).toBeUndefined();
    expect(packageOfPatchName('patches/debug+latest.patch')).toBeUndefined();
    expect(packageOfPatchName('patches/typescript-6.patch')).toBeUndefined();
    expect(packageOfPatchName('.yarn/patches/@semantic-release-npm-npm-9.0.2-01eb854535.patch')).toBeUndefined();
  });
});

describe('scopedYarnCandidates', () => {
  it('splits a scoped yarn patch name at every dash', () => {
    expect(scopedYarnCandidates('.yarn/patches/@semantic-release-npm-npm-9.0.2-01eb854535.patch')).toEqual([
      '@semantic/release-npm',
      '@semantic-release/npm',
    ]);
    expect(
      scopedYarnCandidates('.yarn/patches/@nx-eslint-npm-19.3.0-canary.20240611-1600875-f5cb695794.patch'),
    ).toEqual(['@nx/eslint']);
    expect(scopedYarnCandidates('.yarn/patches/typescript-npm-5.0.4-2bdb7d5cf4.patch')).toEqual([]);
  });
});

describe('patchesIn', () => {
  const yaml = (text: string) => parseYaml(text);

  it('takes the package from a patchedDependencies map (Bun, pnpm in package.json or pnpm-workspace.yaml), at head or base', () => {
    const head = commit({
      'package.json': JSON.stringify({
        patchedDependencies: { 'left-pad@1.0.0': 'patches/left-pad@1.0.0.patch' },
        pnpm: { patchedDependencies: { '@acme/ui@2.0.0': './fixes/ui.patch' } },
      }),
      'pnpm-workspace.yaml':
        "patchedDependencies:\n  lodash: patches/lodash.patch\n  'ms@2.0.0':\n    path: patches/ms.patch\n",
    });
    const base = commit({ 'package.json': JSON.stringify({ patchedDependencies: { zod: 'gone/zod.patch' } }) });
    expect(
      patchesIn(
        [
          'patches/left-pad@1.0.0.patch',
          'fixes/ui.patch',
          'patches/lodash.patch',
          'patches/ms.patch',
          'gone/zod.patch',
          'src/a.ts',
        ],
        head,
        () => base,
        yaml,
      ),
    ).toEqual([
      { file: 'patches/left-pad@1.0.0.patch', package: 'left-pad' },
      { file: 'fixes/ui.patch', package: '@acme/ui' },
      { file: 'patches/lodash.patch', package: 'lodash' },
      { file: 'patches/ms.patch', package: 'ms' },
      { file: 'gone/zod.patch', package: 'zod' },
    ]);
  });

  it("takes a patches/ folder's files by their names, an unknown name as unknown, and leaves other .patch files alone", () => {
    const none = commit({});
    expect(
      patchesIn(
        ['patches/debug+4.0.0.patch', 'patches/fix-the-login.patch', 'docs/howto.patch'],
        none,
        () => none,
        yaml,
      ),
    ).toEqual([
      { file: 'patches/debug+4.0.0.patch', package: 'debug' },
      { file: 'patches/fix-the-login.patch', package: undefined },
    ]);
  });

  it("takes the files of patch-package's --patch-dir folder as patches", () => {
    const head = commit({
      'package.json': JSON.stringify({ scripts: { postinstall: 'patch-package --patch-dir ./fixes/npm && husky' } }),
    });
    expect(patchesIn(['fixes/npm/debug+4.0.0.patch', 'fixes/other.patch'], head, () => commit({}), yaml)).toEqual([
      { file: 'fixes/npm/debug+4.0.0.patch', package: 'debug' },
    ]);
  });

  it('reads no manifest when no changed path is a .patch', () => {
    const reads: string[] = [];
    const spy = { readText: (path: string) => (reads.push(path), undefined) };
    expect(patchesIn(['src/a.ts', 'package.json'], spy, () => spy, yaml)).toEqual([]);
    expect(reads).toEqual([]);
  });
});
