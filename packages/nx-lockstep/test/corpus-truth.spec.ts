// The corpus replay's truth (scripts/corpus/truth.mjs): the own-root rule, the locked-version
// changes read from lockfile diffs, and the esbuild bundle inputs of a real app with a `baseUrl`
// tsconfig, a workspace library and an external package.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the scripts folder, without types
import * as truth from '../../../scripts/corpus/truth.mjs';

const { ownRootChanges, lockfileChangedPackages, bundleInputs, diffInputs, componentResources } = truth as {
  componentResources(source: string): string[];
  ownRootChanges(files: string[], root: string, options?: { stories?: boolean }): string[];
  lockfileChangedPackages(diff: string): Set<string>;
  bundleInputs(
    ws: string,
    entry: string | string[],
    root: string,
    options?: { pathRewrites?: [string, string][] },
  ): Promise<{ inputs?: Record<string, string>; externals?: string[]; generated?: string[]; error?: string }>;
  diffInputs(a: Record<string, string>, b: Record<string, string>): string[];
};

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function workspace(files: Record<string, string>): string {
  const ws = mkdtempSync(join(tmpdir(), 'corpus-truth-'));
  dirs.push(ws);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(ws, path)), { recursive: true });
    writeFileSync(join(ws, path), text);
  }
  return ws;
}

describe('corpus truth', () => {
  it('counts changes under the own root except tests, stories and docs', () => {
    const changed = [
      'apps/api/src/main.ts',
      'apps/api/src/main.spec.ts',
      'apps/api/src/button.stories.tsx',
      'apps/api/README.md',
      'apps/api/vite.config.mts',
      'apps/api-e2e/src/app.cy.ts',
      'libs/util/src/index.ts',
    ];
    expect(ownRootChanges(changed, 'apps/api')).toEqual(['apps/api/src/main.ts', 'apps/api/vite.config.mts']);
    // A Storybook ships its stories.
    expect(ownRootChanges(changed, 'apps/api', { stories: true })).toEqual([
      'apps/api/src/main.ts',
      'apps/api/src/button.stories.tsx',
      'apps/api/vite.config.mts',
    ]);
  });

  it('reads the packages whose locked version changed from npm, pnpm, yarn and bun lockfile diffs', () => {
    const npm = [
      '-      "resolved": "https://registry.npmjs.org/@scope/pkg/-/pkg-1.0.0.tgz",',
      '+      "version": "2.0.0",',
    ];
    const pnpm = ['-  left-pad@1.0.0:', '+  left-pad@1.1.0:', '   unchanged@1.0.0:'];
    const yarn = ['-  resolution: "react@npm:18.2.0"', '+  resolution: "react@npm:18.3.1"'];
    const bun = [
      '-    "debug/ms": ["ms@2.0.0", "", {}, "sha512-a"],',
      '+    "debug/ms": ["ms@2.1.3", "", {}, "sha512-b"],',
      '+    "@types/node": ["@types/node@22.10.2", "", {}, "sha512-c"],',
      '     "unchanged": ["unchanged@1.0.0", "", {}, "sha512-d"],',
    ];
    expect([...lockfileChangedPackages([...npm, ...pnpm, ...yarn, ...bun].join('\n'))].sort()).toEqual([
      '@scope/pkg',
      '@types/node',
      'left-pad',
      'ms',
      'react',
    ]);
  });

  it('takes the files an Angular component names as what it ships', () => {
    const source =
      "@Component({ selector: 'x', templateUrl: './x.html', styleUrls: ['./x.scss', \"./y.css\"] })\nexport class X {}";
    expect(componentResources(source)).toEqual(['./x.html', './x.scss', './y.css']);
    expect(componentResources("const templateUrl = './not-a-component.html';")).toEqual([]);
  });

  it('bundles through the app tsconfig baseUrl and workspace paths, keeping packages external', async () => {
    const files = {
      'tsconfig.base.json': JSON.stringify({ compilerOptions: { paths: { '@ws/util': ['libs/util/src/index.ts'] } } }),
      'apps/web/tsconfig.json': JSON.stringify({
        extends: '../../tsconfig.base.json',
        compilerOptions: { baseUrl: 'src', paths: { '@ws/util': ['../../../libs/util/src/index.ts'] } },
      }),
      'apps/web/src/main.ts':
        "import { parse } from 'utils/parse';\nimport { x } from '@ws/util';\nimport l from 'left-pad';\nconsole.log(parse(x), l);\n",
      'apps/web/src/utils/parse.ts': 'export const parse = (s: string) => s.trim();\n',
      'libs/util/src/index.ts': "export const x = ' a ';\n",
    };
    const before = await bundleInputs(workspace(files), 'apps/web/src/main.ts', 'apps/web');
    expect(before.error).toBeUndefined();
    expect(Object.keys(before.inputs ?? {}).sort()).toEqual([
      'apps/web/src/main.ts',
      'apps/web/src/utils/parse.ts',
      'libs/util/src/index.ts',
    ]);
    expect(before.externals).toEqual(['left-pad']);

    const after = await bundleInputs(
      workspace({ ...files, 'apps/web/src/utils/parse.ts': 'export const parse = (s: string) => s.trimEnd();\n' }),
      'apps/web/src/main.ts',
      'apps/web',
    );
    expect(diffInputs(before.inputs ?? {}, after.inputs ?? {})).toEqual(['apps/web/src/utils/parse.ts']);
  });

  it('follows aliases into a build output to the sources it is built from, over several entries', async () => {
    // ryla's shape: tsconfig paths point into dist/libs (gitignored), a Next.js app router has no single entry.
    const ws = workspace({
      'tsconfig.base.json': JSON.stringify({
        compilerOptions: { paths: { '@ws/shared': ['dist/libs/shared/src/index'] } },
      }),
      'apps/web/tsconfig.json': JSON.stringify({
        extends: '../../tsconfig.base.json',
        compilerOptions: {
          baseUrl: '.',
          paths: { '@/*': ['./*'], '@ws/shared': ['../../dist/libs/shared/src/index'] },
        },
      }),
      'apps/web/app/page.tsx': "import { x } from '@ws/shared';\nexport default () => x;\n",
      'apps/web/app/api/route.ts': "import { y } from '@/lib/y';\nexport const GET = () => y;\n",
      'apps/web/lib/y.ts': 'export const y = 1;\n',
      'libs/shared/src/index.ts': 'export const x = 2;\n',
    });
    const entries = ['apps/web/app/api/route.ts', 'apps/web/app/page.tsx'];
    const without = await bundleInputs(ws, entries, 'apps/web');
    // Unrewritten, the alias leads nowhere: the library is dropped as external (what the rewrite is for).
    expect(Object.keys(without.inputs ?? {})).not.toContain('libs/shared/src/index.ts');
    const withRewrite = await bundleInputs(ws, entries, 'apps/web', { pathRewrites: [['dist/libs/', 'libs/']] });
    expect(withRewrite.error).toBeUndefined();
    expect(Object.keys(withRewrite.inputs ?? {}).sort()).toEqual([
      'apps/web/app/api/route.ts',
      'apps/web/app/page.tsx',
      'apps/web/lib/y.ts',
      'libs/shared/src/index.ts',
    ]);
  });

  it('takes a re-export of a declaration file (`./schema.js` with only schema.d.ts) as types: nothing ships', async () => {
    const ws = workspace({
      'packages/plugin/src/index.ts':
        "export { type Schema } from './init/schema.js';\nexport { run } from './init/run.js';\n",
      'packages/plugin/src/init/schema.d.ts': 'export interface Schema { name: string }\n',
      'packages/plugin/src/init/run.ts': 'export const run = () => 1;\n',
    });
    const result = await bundleInputs(ws, 'packages/plugin/src/index.ts', 'packages/plugin');
    expect(result.error).toBeUndefined();
    expect(Object.keys(result.inputs ?? {}).sort()).toEqual([
      'packages/plugin/src/index.ts',
      'packages/plugin/src/init/run.ts',
    ]);
  });

  it('takes a file the sources-only worktree lacks from git, and lists one git does not hold as generated', async () => {
    const ws = workspace({
      'apps/web/src/main.ts':
        "import './styles.css';\nimport report from './reference/report.json';\nconsole.log(report);\n",
      'apps/web/src/styles.css': 'body { color: red; }\n',
    });
    execFileSync('git', ['init', '-q'], { cwd: ws });
    execFileSync('git', ['add', '-A'], { cwd: ws });
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'x'], { cwd: ws });
    rmSync(join(ws, 'apps/web/src/styles.css')); // as a sparse checkout of sources leaves it out
    const result = await bundleInputs(ws, 'apps/web/src/main.ts', 'apps/web');
    expect(result.error).toBeUndefined();
    const blob = execFileSync('git', ['rev-parse', 'HEAD:apps/web/src/styles.css'], { cwd: ws, encoding: 'utf8' });
    expect(result.inputs?.['apps/web/src/styles.css']).toBe(blob.trim());
    expect(result.generated).toEqual(['apps/web/src/reference/report.json']);
  });
});
