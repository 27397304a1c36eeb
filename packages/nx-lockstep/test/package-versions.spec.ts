/**
 * Where what a package installs is written, on a real git history of a small Nx workspace (real
 * nx, real git): Bun's lockfiles, a workspace that commits no lockfile at all, and patches of
 * installed packages. Each deployed nothing before: the engine's list of lockfiles lacked Bun's,
 * without a lockfile the manifest's ranges were left to a lockfile comparison that had nothing to
 * compare, and a patch outside every project was no input of anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeAffected } from '../src/engine';
import type { AffectedResult, DeployableDecision } from '../src/core/result';
import { git, type FixtureWorkspace } from './support/fixture-workspace';
import { schemaErrors } from './support/result-schema';
import { createShopFixture } from './support/shop-fixture';

process.env.NX_DAEMON = 'false';
process.env.NX_ISOLATE_PLUGINS = 'false';
process.env.NX_NO_CLOUD = 'true';
process.env.CI = 'true';

const PRECISIONS = ['file', 'symbol'] as const;

async function decisions(ws: FixtureWorkspace, base: string, head: string, precision: 'file' | 'symbol') {
  const result: AffectedResult = await analyzeAffected({ workspaceRoot: ws.root, base, head, precision });
  expect(schemaErrors(JSON.parse(JSON.stringify(result)))).toEqual([]);
  return Object.fromEntries(result.deployables.map((decision) => [decision.project, decision])) as Record<
    string,
    DeployableDecision
  >;
}

/** Bun 1.2's text lockfile of the shop fixture (api imports debug, which depends on ms; web imports left-pad). */
const bunLock = (msVersion: string) => `{
  "lockfileVersion": 1,
  "workspaces": {
    "": {
      "name": "fixture",
      "dependencies": {
        "debug": "4.0.0",
        "left-pad": "1.0.0",
      },
    },
  },
  "packages": {
    "debug": ["debug@4.0.0", "", { "dependencies": { "ms": "^${msVersion}" } }, "sha512-debug"],

    "left-pad": ["left-pad@1.0.0", "", {}, "sha512-leftpad"],

    "ms": ["ms@${msVersion}", "", {}, "sha512-ms${msVersion}"],
  }
}
`;

const manifest = (debug: string, extra: Record<string, Record<string, string>> = {}) =>
  JSON.stringify({ name: 'fixture', private: true, dependencies: { debug, 'left-pad': '1.0.0' }, ...extra });

describe('package versions from Bun lockfiles and from a workspace without a lockfile', () => {
  let bun: FixtureWorkspace;
  let none: FixtureWorkspace;
  let patched: FixtureWorkspace;
  const sha: Record<string, string> = {};

  beforeAll(() => {
    bun = createShopFixture();
    sha.bunBase = bun.commit('move to bun', { 'package-lock.json': null, 'bun.lock': bunLock('2.0.0') });
    sha.bunBump = bun.commit('bump ms (a dependency of debug)', { 'bun.lock': bunLock('2.1.0') });
    sha.lockbBase = bun.commit('the binary lockfile too', { 'bun.lockb': 'bun-lockfile-format-v0\n\u0001' });
    sha.lockb = bun.commit('change the binary lockfile', { 'bun.lockb': 'bun-lockfile-format-v0\n\u0002' });

    patched = createShopFixture();
    sha.patchBase = patched.commit('patch ms (installed by debug) and left-pad (Bun map)', {
      'patches/ms+2.0.0.patch': 'diff --git a/node_modules/ms/index.js\n+1\n',
      'fixes/left-pad.patch': 'diff --git a/index.js\n+1\n',
      'docs/howto.patch': 'not a patch of a package\n',
      'package.json': JSON.stringify({
        ...JSON.parse(manifest('4.0.0')),
        patchedDependencies: { 'left-pad@1.0.0': 'fixes/left-pad.patch' },
      }),
    });
    sha.patchMs = patched.commit('change the patch of ms', {
      'patches/ms+2.0.0.patch': 'diff --git a/node_modules/ms/index.js\n+2\n',
    });
    sha.patchLeftPad = patched.commit('change the patch of left-pad', {
      'fixes/left-pad.patch': 'diff --git a/index.js\n+2\n',
    });
    sha.patchDocs = patched.commit('a .patch file that patches no package', { 'docs/howto.patch': 'still not\n' });
    sha.patchUnknown = patched.commit('a patch nothing names', { 'patches/fix-the-login.patch': 'diff\n' });

    none = createShopFixture();
    sha.noneBase = none.commit('stop committing the lockfile', { 'package-lock.json': null });
    sha.noneBump = none.commit('bump debug', { 'package.json': manifest('4.1.0') });
    sha.noneDev = none.commit('a dev tool nothing imports', {
      'package.json': manifest('4.1.0', { devDependencies: { prettier: '^3.0.0' } }),
    });
    none.commit('a lockfile again', { 'package-lock.json': '{"lockfileVersion":3,"packages":{"":{}}}' });
    sha.lockedBase = git(none.root, 'rev-parse', 'HEAD');
    sha.lockedRange = none.commit('widen a range; the lockfile keeps what is installed', {
      'package.json': manifest('^4.1.0', { devDependencies: { prettier: '^3.0.0' } }),
    });
  }, 120_000);
  afterAll(() => {
    bun?.remove();
    none?.remove();
    patched?.remove();
  });

  it('bun.lock: a version bump deploys the deployable that imports the package, naming the lockfile', async () => {
    for (const precision of PRECISIONS) {
      const decided = await decisions(bun, sha.bunBase, sha.bunBump, precision);
      expect(decided.api, precision).toMatchObject({
        affected: true,
        reasons: [
          {
            kind: 'external-package-changed',
            package: 'ms',
            from: '2.0.0',
            to: '2.1.0',
            lockfile: 'bun.lock',
            importedBy: 'apps/api/src/routes.ts',
          },
        ],
      });
      expect(decided.web, precision).toMatchObject({ affected: false, reasons: [] });
    }
  });

  it('bun.lockb cannot be read: every deployable importing a package deploys, saying why and what to do', async () => {
    for (const precision of PRECISIONS) {
      const decided = await decisions(bun, sha.lockbBase, sha.lockb, precision);
      for (const [project, imported] of [
        ['api', 'debug'],
        ['web', 'left-pad'],
      ]) {
        expect(decided[project], precision).toMatchObject({ affected: true });
        expect(decided[project].reasons[0], precision).toMatchObject({ kind: 'analysis-uncertain', file: 'bun.lockb' });
        const detail = (decided[project].reasons[0] as { detail: string }).detail;
        expect(detail).toContain("bun.lockb does not parse at base (Bun's binary lockfile");
        expect(detail).toContain('bun install --save-text-lockfile');
        expect(detail).toContain(`(${imported}) are unknown`);
      }
    }
  });

  it('no lockfile: a dependency range edited in package.json deploys the deployables that import it', async () => {
    for (const precision of PRECISIONS) {
      const decided = await decisions(none, sha.noneBase, sha.noneBump, precision);
      expect(decided.api, precision).toMatchObject({
        affected: true,
        reasons: [
          {
            kind: 'external-package-changed',
            package: 'debug',
            from: '4.0.0',
            to: '4.1.0',
            lockfile: 'package.json',
            importedBy: 'apps/api/src/routes.ts',
          },
        ],
      });
      expect(decided.web, precision).toMatchObject({ affected: false, reasons: [] });
    }
  });

  it('no lockfile: a package nothing imports deploys nothing', async () => {
    for (const precision of PRECISIONS) {
      const decided = await decisions(none, sha.noneBump, sha.noneDev, precision);
      expect(Object.values(decided).filter((decision) => decision.affected)).toEqual([]);
    }
  });

  it("a patch-package patch of a package debug installs deploys debug's importer, naming the patch", async () => {
    for (const precision of PRECISIONS) {
      const decided = await decisions(patched, sha.patchBase, sha.patchMs, precision);
      expect(decided.api, precision).toMatchObject({
        affected: true,
        reasons: [
          {
            kind: 'external-package-changed',
            package: 'ms',
            from: null,
            to: null,
            lockfile: 'patches/ms+2.0.0.patch',
            importedBy: 'apps/api/src/routes.ts',
          },
        ],
      });
      expect(decided.web, precision).toMatchObject({ affected: false, reasons: [] });
    }
  });

  it('a patch named by patchedDependencies (Bun, pnpm) wherever it lies; a .patch file that patches no package deploys nothing', async () => {
    for (const precision of PRECISIONS) {
      const leftPad = await decisions(patched, sha.patchMs, sha.patchLeftPad, precision);
      expect(leftPad.web, precision).toMatchObject({
        affected: true,
        reasons: [{ kind: 'external-package-changed', package: 'left-pad', lockfile: 'fixes/left-pad.patch' }],
      });
      expect(leftPad.api, precision).toMatchObject({ affected: false });
      const docs = await decisions(patched, sha.patchLeftPad, sha.patchDocs, precision);
      expect(Object.values(docs).filter((decision) => decision.affected)).toEqual([]);
    }
  });

  it('a patch whose package cannot be told: every deployable importing a package deploys, saying why', async () => {
    for (const precision of PRECISIONS) {
      const decided = await decisions(patched, sha.patchDocs, sha.patchUnknown, precision);
      for (const [project, imported] of [
        ['api', 'debug'],
        ['web', 'left-pad'],
      ])
        expect(decided[project], precision).toMatchObject({
          affected: true,
          reasons: [
            {
              kind: 'analysis-uncertain',
              file: 'patches/fix-the-login.patch',
              detail: `patches/fix-the-login.patch changed: a patch of an installed package, but of which one cannot be told (not named by a patchedDependencies map, nor <name>+<version>.patch): the packages this deployable imports (${imported}) count as changed`,
            },
          ],
        });
    }
  });

  it('with a lockfile, a range edited alone changes nothing installed', async () => {
    for (const precision of PRECISIONS) {
      const decided = await decisions(none, sha.lockedBase, sha.lockedRange, precision);
      expect(Object.values(decided).filter((decision) => decision.affected)).toEqual([]);
    }
  });
});
