// The ground truth for "does this deployable need a deploy": esbuild bundles its entry and we
// compare the emitted JavaScript. esbuild is the bundler-level definition of "what ships":
// type-only code is erased, unused exports are tree-shaken, side-effectful top-level statements
// are kept. We minify syntax and whitespace (so comments, formatting and file-path banner comments
// do not count) but NOT identifiers: the synthetic workspace uses globally unique names, so
// esbuild never renames, and a changed name is a real change. External packages stay external;
// workspace libraries (`@syn/*` tsconfig paths) are bundled.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const esbuild = require('esbuild');

export const TRUTH_BUILD_OPTIONS = {
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  packages: 'external',
  minifySyntax: true,
  minifyWhitespace: true,
  minifyIdentifiers: false,
  legalComments: 'none',
  logLevel: 'silent',
};

/**
 * Bundles every deployable in one esbuild build (each entry is still bundled on its own — no
 * code splitting — but shared files are parsed once): name → emitted JavaScript.
 */
export async function bundleAll(workspaceRoot, deployables) {
  const result = await esbuild.build(buildOptions(workspaceRoot, deployables));
  return outputsByName(workspaceRoot, result, deployables);
}

/** Bundles one deployable entry (workspace-relative) and returns its JavaScript. */
export async function bundleText(workspaceRoot, entry) {
  const all = await bundleAll(workspaceRoot, [{ name: 'entry', entry }]);
  return all.get('entry');
}

/**
 * Bundles for replaying a history. Small workspaces keep one long-lived esbuild context over
 * every deployable (a rebuild re-parses only changed files); with `chunkSize`, deployables are
 * bundled in fresh builds of that many at a time, which bounds esbuild's memory on very large
 * workspaces (one build over 50 deployables of a 50,000-file workspace peaks above 12 GiB).
 * `dispose()` when done.
 */
export async function createBundlers(workspaceRoot, deployables, { chunkSize } = {}) {
  if (chunkSize) {
    return {
      async bundleAll() {
        const out = new Map();
        for (let i = 0; i < deployables.length; i += chunkSize) {
          for (const [name, text] of await bundleAll(workspaceRoot, deployables.slice(i, i + chunkSize)))
            out.set(name, text);
        }
        return out;
      },
      dispose: async () => {},
    };
  }
  const context = await esbuild.context(buildOptions(workspaceRoot, deployables));
  return {
    async bundleAll() {
      return outputsByName(workspaceRoot, await context.rebuild(), deployables);
    },
    dispose: () => context.dispose(),
  };
}

function buildOptions(workspaceRoot, deployables) {
  return {
    ...TRUTH_BUILD_OPTIONS,
    absWorkingDir: workspaceRoot,
    entryPoints: Object.fromEntries(deployables.map((d) => [d.name, join(workspaceRoot, d.entry)])),
    tsconfig: join(workspaceRoot, 'tsconfig.base.json'),
    outdir: join(workspaceRoot, 'dist-truth'),
  };
}

function outputsByName(workspaceRoot, result, deployables) {
  const byPath = new Map(result.outputFiles.map((f) => [f.path, f.text]));
  const out = new Map();
  for (const d of deployables) {
    const text = byPath.get(join(workspaceRoot, 'dist-truth', `${d.name}.js`));
    if (text === undefined) throw new Error(`bundle-truth: esbuild produced no output for ${d.name} (${d.entry})`);
    out.set(d.name, text);
  }
  return out;
}

/** Deployables whose bundle differs between two bundleAll() snapshots. */
export function changedBundles(before, after) {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n)).sort();
}

// The same patterns as packages/nx-lockstep/src/core/extract/file-kinds.ts (isTestFile).
const TEST_DIR = /(^|\/)(__tests__|__mocks__|__fixtures__)\//;
const TEST_FILE =
  /\.(spec|test|e2e-spec|cy|stories)\.[^./]+$|(^|\/)(test-setup|setup-tests|setupTests|jest\.setup|vitest\.setup)\.[^./]+$/;

/** Paths changed between two commits, both sides of renames (`git diff --no-renames`). */
export function changedPaths(workspaceRoot, base, head) {
  const out = execFileSync('git', ['diff', '--name-only', '--no-renames', base, head], {
    cwd: workspaceRoot,
    encoding: 'utf8',
  });
  return out.split('\n').filter(Boolean);
}

/**
 * Deployables with a changed non-test file under their own root: needed deploys even where the
 * bundle happens not to change (DESIGN.md, "What a deployable ships": its own root, whole —
 * frameworks reach its files by convention, its config and marker file shape the artifact).
 * A file of a project nested in a deployable's root belongs to that project, not the deployable.
 */
export function ownRootChanges(paths, deployables, projectRoots = deployables.map((d) => d.root)) {
  const owner = (file) =>
    projectRoots.filter((root) => root === '' || file.startsWith(`${root}/`)).sort((a, b) => b.length - a.length)[0];
  return deployables
    .filter((d) => paths.some((file) => !TEST_DIR.test(file) && !TEST_FILE.test(file) && owner(file) === d.root))
    .map((d) => d.name)
    .sort();
}

/** What truly needs a deploy: a changed bundle, or a changed file of the deployable's own root. */
export function neededDeploys(before, after, paths, deployables, projectRoots) {
  return [...new Set([...changedBundles(before, after), ...ownRootChanges(paths, deployables, projectRoots)])].sort();
}
