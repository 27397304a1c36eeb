import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { E2E_HOME } from './paths';
import { run } from './run';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
/**
 * The Nx the repository itself is tested with (its lockfile's): the e2e workspaces install exactly
 * this one, so a newly published Nx (on 2026-12-04, 24.0.7 installed without its native binary and
 * every nx command failed with "WorkspaceContext is not a constructor") cannot fail the suite;
 * other versions are nx-versions.spec.ts's to ask for.
 */
export const REPO_NX_VERSION = (
  JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', 'nx', 'package.json'), 'utf8')) as { version: string }
).version;
/** The plugin package to pack; LOCKSTEP_PLUGIN_DIR points at a private build (see e2e/README.md). */
export const PLUGIN_DIR = resolve(process.env.LOCKSTEP_PLUGIN_DIR ?? join(REPO_ROOT, 'packages', 'nx-lockstep'));

export interface PackedPlugin {
  /** Absolute path of the tarball. */
  tarball: string;
  /** sha256 of the tarball: the key of every cache built from it. */
  hash: string;
}

let packed: PackedPlugin | undefined;

/**
 * `npm pack`s packages/nx-lockstep (its dist/ must be built: `npm test` and `npm run demo` build
 * first) into $TMPDIR/nx-lockstep-e2e/tarballs/<hash>/. Packs once per test file.
 */
export function packPlugin(): PackedPlugin {
  if (packed && existsSync(packed.tarball)) return packed;
  if (!existsSync(join(PLUGIN_DIR, 'dist', 'index.js'))) {
    throw new Error(`packages/nx-lockstep/dist is missing: run \`npm run build\` first (npm test does).`);
  }
  const staging = join(E2E_HOME, 'tarballs', `.pack-${process.pid}-${Date.now()}`);
  mkdirSync(staging, { recursive: true });
  const result = run(['npm', 'pack', '--pack-destination', staging, '--json', '--ignore-scripts'], { cwd: PLUGIN_DIR });
  const [{ filename }] = JSON.parse(result.stdout) as [{ filename: string }];
  const bytes = readFileSync(join(staging, filename));
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const finalDir = join(E2E_HOME, 'tarballs', hash);
  if (!existsSync(finalDir)) {
    try {
      renameSync(staging, finalDir);
    } catch {
      // Another process packed the same bytes first; its tarball is identical.
    }
  }
  rmSync(staging, { recursive: true, force: true });
  const tarball = join(
    finalDir,
    readdirSync(finalDir).find((name) => name.endsWith('.tgz'))!,
  );
  packed = { tarball, hash };
  return packed;
}
