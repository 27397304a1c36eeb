// Truth for the corpus replay: does a deployable need a deploy for a range?
//
// 1. "Its own root, whole" (DESIGN.md): any changed file under the deployable's root counts, except
//    tests, specs, stories and docs.
// 2. Its esbuild bundle at both commits, where one can be built: the bundle's metafile inputs are
//    compared by content (a file added, dropped or changed among the inputs = needed). Workspace
//    code is bundled (tsconfig aliases of the app's own tsconfig, workspace packages through their
//    symlinks); anything that resolves into node_modules stays external. Assets and styles load as
//    empty modules: they are judged by rule 1 only. Commits are materialised in a separate git
//    worktree (node_modules linked from the checkout) so the checkout the tools run in stays put.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve as resolvePath } from 'node:path';
import { missingBlobPaths } from './setup.mjs';

const require = createRequire(import.meta.url);
const esbuild = require('esbuild');
const ts = require('typescript');

const NOT_SHIPPED = [
  /\.(spec|test|stories|story|cy|e2e)\.[cm]?[jt]sx?$/,
  /(^|\/)(__tests__|__mocks__|test|tests|e2e|docs?|\.storybook)\//,
  /\.(md|mdx)$/i,
  /(^|\/)(jest|vitest|karma|playwright|cypress)\.config\.[cm]?[jt]s$/,
  /(^|\/)tsconfig\.spec\.json$/,
  /(^|\/)(eslint\.config\.[cm]?js|\.eslintrc(\.json)?)$/,
];

/** Changed files under `root` that the deployable ships (rule 1); a Storybook (`stories`) ships its stories. */
export function ownRootChanges(changedFiles, root, { stories = false } = {}) {
  const prefix = root === '.' || root === '' ? '' : `${root.replace(/\/$/, '')}/`;
  const story = /\.(stories|story)\.[cm]?[jt]sx?$/;
  return changedFiles.filter((f) => {
    if (!f.startsWith(prefix)) return false;
    const rel = f.slice(prefix.length);
    if (stories && (story.test(rel) || rel.startsWith('.storybook/'))) return true;
    return !NOT_SHIPPED.some((re) => re.test(rel));
  });
}

const EMPTY_LOADERS = Object.fromEntries(
  [
    '.css',
    '.scss',
    '.sass',
    '.less',
    '.styl',
    '.svg',
    '.png',
    '.jpg',
    '.jpeg',
    '.gif',
    '.webp',
    '.avif',
    '.ico',
    '.woff',
    '.woff2',
    '.ttf',
    '.eot',
    '.otf',
    '.html',
    '.md',
    '.mdx',
    '.txt',
    '.graphql',
    '.gql',
    '.wasm',
    '.mp4',
    '.webm',
    '.mp3',
    '.pdf',
    '.yaml',
    '.yml',
    '.node',
    '.vue',
    '.svelte',
    '.astro',
    '.analog',
    '.ag',
    '.prisma',
  ].map((ext) => [ext, 'empty']),
);

const TYPES_ONLY = 'corpus-types-only';
const IN_GIT = 'corpus-in-git';
const GENERATED = 'corpus-generated';

/** The blob id git holds for a file at the checked-out commit, or undefined. */
function gitBlob(workspaceRoot, abs) {
  try {
    return execFileSync('git', ['rev-parse', '--verify', '--quiet', `HEAD:${relative(workspaceRoot, abs)}`], {
      cwd: workspaceRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return undefined;
  }
}

/** Bare imports that resolve into node_modules stay external; workspace packages resolve to their sources. */
function externalsPlugin() {
  return {
    name: 'corpus-externals',
    setup(build) {
      build.onResolve({ filter: /\?/ }, (args) => (args.pluginData?.stripped ? undefined : stripQuery(build, args)));
      // `export { type X } from './schema.js'` where only schema.d.ts exists: types, nothing ships.
      build.onResolve({ filter: /^\.\.?\/.*\.[cm]?js$/ }, async (args) => {
        if (args.pluginData?.inner) return undefined;
        const r = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: { inner: true },
        });
        if (r.errors.length === 0) return r;
        const declaration = join(args.resolveDir, args.path.replace(/\.([cm]?)js$/, '.d.$1ts'));
        return existsSync(declaration) ? { path: declaration, namespace: TYPES_ONLY } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: TYPES_ONLY }, () => ({ contents: '', loader: 'js' }));
      // The truth worktree holds sources only. A relative import of a file it lacks (a style,
      // an asset, a big JSON) is the file git holds at that commit, compared by its blob id; one
      // git does not hold at all is generated (ngrx: ./reference/api-report.min.json): listed, so
      // the truth of a range whose bundle is otherwise unchanged is left to a judgement by hand.
      build.onResolve({ filter: /^\.\.?\/.*\.[\w]+(\?.*)?$/ }, (args) => {
        if (args.pluginData?.inner) return undefined;
        const abs = join(args.resolveDir, args.path.replace(/\?.*$/, ''));
        if (existsSync(abs)) return undefined;
        const blob = gitBlob(build.initialOptions.absWorkingDir, abs);
        if (blob) return { path: abs, namespace: IN_GIT, pluginData: { blob } };
        return /\.(json|css|scss|sass|less|html|svg)$/.test(abs) ? { path: abs, namespace: GENERATED } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: IN_GIT }, () => ({ contents: '', loader: 'js' }));
      build.onLoad({ filter: /.*/, namespace: GENERATED }, () => ({ contents: '', loader: 'js' }));
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData?.inner) return undefined;
        if (args.path.startsWith('node:')) return { path: args.path, external: true };
        const r = await build.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: { inner: true },
        });
        if (r.errors.length > 0 || r.external) return { path: args.path, external: true };
        if (r.path.includes('/node_modules/')) return { path: args.path, external: true };
        return r;
      });
    },
  };
}

async function stripQuery(build, args) {
  const r = await build.resolve(args.path.replace(/\?.*$/, ''), {
    kind: args.kind,
    resolveDir: args.resolveDir,
    importer: args.importer,
    pluginData: { stripped: true },
  });
  return r.errors.length > 0 ? { path: args.path, external: true } : r;
}

/** The tsconfig esbuild should use for an app: its own (app, then plain), else the workspace base. */
export function appTsconfig(workspaceRoot, root) {
  for (const name of ['tsconfig.app.json', 'tsconfig.json']) {
    if (existsSync(join(workspaceRoot, root, name))) return join(workspaceRoot, root, name);
  }
  for (const name of ['tsconfig.base.json', 'tsconfig.json']) {
    if (existsSync(join(workspaceRoot, name))) return join(workspaceRoot, name);
  }
  return undefined;
}

/**
 * A tsconfig for the truth whose `paths` targets are rewritten by workspace-relative prefixes
 * (`pathRewrites: [["dist/libs/", "libs/"]]`): where a repo's aliases point into a build output git
 * does not hold (ryla: `@ryla/shared` → `dist/libs/shared/src/index`), the bundle follows the sources
 * that output is built from. Without it esbuild cannot resolve them and the truth would miss them.
 */
export function rewrittenTsconfig(workspaceRoot, root, pathRewrites) {
  const own = appTsconfig(workspaceRoot, root);
  if (!own || !pathRewrites?.length) return own;
  const parsed = ts.getParsedCommandLineOfConfigFile(own, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic() {} });
  const { baseUrl, paths } = parsed?.options ?? {};
  if (!paths) return own;
  const base = baseUrl ?? dirname(own);
  const rewritten = {};
  for (const [pattern, targets] of Object.entries(paths)) {
    rewritten[pattern] = targets.map((target) => {
      let rel = relative(workspaceRoot, resolvePath(base, target));
      for (const [from, to] of pathRewrites) if (rel.startsWith(from)) rel = to + rel.slice(from.length);
      return relative(base, join(workspaceRoot, rel)) || '.';
    });
  }
  const file = join(dirname(own), 'tsconfig.corpus-truth.json');
  writeFileSync(
    file,
    JSON.stringify({ extends: `./${basename(own)}`, compilerOptions: { baseUrl: base, paths: rewritten } }),
  );
  return file;
}

/**
 * How the truth bundles a workspace entry: ESM for a neutral platform, sources before builds
 * (`development` condition, `module` field), TypeScript first; in memory and silent. Also what
 * emitted-diff.mjs bundles with, so a judgement by hand resolves as the truth does.
 */
export const BUNDLE_OPTIONS = {
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'neutral',
  mainFields: ['module', 'main'],
  conditions: ['development', 'import', 'default'],
  resolveExtensions: ['.tsx', '.ts', '.mts', '.jsx', '.js', '.mjs', '.cjs', '.json'],
  logLevel: 'silent',
};

/**
 * Bundles one entry, or several (an app router has no single entry); returns
 * { inputs: { path: sha1 }, externals } or { error }.
 */
export async function bundleInputs(workspaceRoot, entry, root, { pathRewrites } = {}) {
  const entries = [entry].flat();
  if (entries.length === 0) return { error: 'no entry matches at this commit' };
  const absent = entries.find((e) => !existsSync(join(workspaceRoot, e)));
  if (absent) return { error: `entry ${absent} does not exist at this commit` };
  try {
    const result = await esbuild.build({
      ...BUNDLE_OPTIONS,
      absWorkingDir: workspaceRoot,
      entryPoints: entries.map((e) => join(workspaceRoot, e)),
      metafile: true,
      loader: EMPTY_LOADERS,
      tsconfig: rewrittenTsconfig(workspaceRoot, root, pathRewrites),
      outdir: join(workspaceRoot, 'dist-corpus-truth'),
      plugins: [externalsPlugin()],
    });
    const inputs = {};
    const externals = new Set();
    for (const input of Object.values(result.metafile.inputs)) {
      for (const imp of input.imports ?? []) {
        if (imp.external && !imp.path.startsWith('node:')) externals.add(packageName(imp.path));
      }
    }
    const generated = [];
    for (const path of Object.keys(result.metafile.inputs)) {
      if (path.includes('node_modules/') || path.startsWith('(disabled)') || path.startsWith(`${TYPES_ONLY}:`))
        continue;
      if (path.startsWith(`${IN_GIT}:`) || path.startsWith(`${GENERATED}:`)) {
        const abs = path.slice(path.indexOf(':') + 1);
        const rel = relative(workspaceRoot, abs);
        if (path.startsWith(GENERATED)) generated.push(rel);
        else inputs[rel] = gitBlob(workspaceRoot, abs);
        continue;
      }
      const abs = join(workspaceRoot, path);
      const text = readFileSync(abs);
      inputs[path] = createHash('sha1').update(text).digest('hex');
      // Angular compiles a component's templateUrl/styleUrl(s) into the bundle: they ship with it.
      for (const ref of componentResources(text.toString('utf8'))) {
        const file = join(dirname(path), ref);
        if (existsSync(join(workspaceRoot, file))) {
          inputs[file] = createHash('sha1')
            .update(readFileSync(join(workspaceRoot, file)))
            .digest('hex');
        }
      }
    }
    return { inputs, externals: [...externals].filter(Boolean).sort(), generated: generated.sort() };
  } catch (error) {
    const first = error.errors?.[0];
    return { error: first ? `${first.text} (${first.location?.file ?? '?'})` : String(error.message ?? error) };
  }
}

/** Files a component decorator names: `templateUrl`, `styleUrl`, `styleUrls`. */
export function componentResources(source) {
  if (!/@Component\s*\(/.test(source)) return [];
  const refs = [];
  for (const m of source.matchAll(/\b(?:templateUrl|styleUrl)\s*:\s*(['"`])([^'"`]+)\1/g)) refs.push(m[2]);
  for (const m of source.matchAll(/\bstyleUrls\s*:\s*\[([^\]]*)\]/g)) {
    for (const q of m[1].matchAll(/(['"`])([^'"`]+)\1/g)) refs.push(q[2]);
  }
  return refs;
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/**
 * Packages whose locked version changed between two commits, read from the lockfile diff: the
 * tarball URLs (npm), `name@version` keys (pnpm) and `resolution: "name@npm:…"` lines (yarn) on
 * changed lines. Over-approximates (a package named on a changed line counts), which is the safe
 * side for a truth that decides "needed".
 */
export function lockfileChangedPackages(diffText) {
  const names = new Set();
  for (const line of diffText.split('\n')) {
    if (!/^[+-]/.test(line) || /^(\+\+\+|---)/.test(line)) continue;
    for (const m of line.matchAll(/registry\.[^/\s]+\/((?:@[^/\s]+\/)?[^/\s]+)\/-\//g))
      names.add(decodeURIComponent(m[1]));
    for (const m of line.matchAll(/node_modules\/((?:@[^/\s"]+\/)?[^/\s"]+)"/g)) names.add(m[1]);
    for (const m of line.matchAll(/(?:^[+-]\s*['"/]?|resolution: ")((?:@[\w.-]+\/)?[\w.-]+)@(?:npm:)?\d/g))
      names.add(m[1]);
    // bun.lock: `"debug/ms": ["ms@2.1.3", …]`, keyed by install path; the last package of it is the name.
    for (const m of line.matchAll(/^[+-]\s*"([^"]+)": \["/g)) {
      const parts = m[1].split('/');
      names.add(parts.length >= 2 && parts.at(-2).startsWith('@') ? parts.slice(-2).join('/') : parts.at(-1));
    }
  }
  return names;
}

/**
 * The entries of a deployable at the commit checked out in `tree`: `entry` (a path or a list), or
 * every tracked file under `root` matching `entryPattern` (a regular expression on the path below
 * the root, e.g. a Next.js app router's pages, layouts and routes).
 */
export function entriesAt(tree, root, deployable) {
  if (!deployable.entryPattern) return deployable.entry;
  const re = new RegExp(deployable.entryPattern);
  const prefix = root === '.' ? '' : `${root}/`;
  return execFileSync('git', ['ls-files', '--', root], { cwd: tree, encoding: 'utf8', maxBuffer: 1 << 28 })
    .split('\n')
    .filter((f) => f && re.test(f.slice(prefix.length)) && existsSync(join(tree, f)))
    .sort();
}

/** Which inputs differ between two bundles (added, removed or changed content). */
export function diffInputs(before, after) {
  const paths = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...paths].filter((p) => before[p] !== after[p]).sort();
}

const SOURCE_PATTERNS = ['*.ts', '*.tsx', '*.mts', '*.cts', '*.js', '*.jsx', '*.mjs', '*.cjs', '*.json'];

/** A git worktree of the checkout for materialising commits; node_modules links to the checkout's. */
export function truthWorktree(checkout, corpusDir, name) {
  const dir = join(corpusDir, '.truth-trees', name);
  if (!existsSync(dir)) {
    mkdirSync(dirname(dir), { recursive: true });
    execFileSync('git', ['worktree', 'add', '--no-checkout', '--detach', '--force', dir, 'HEAD'], {
      cwd: checkout,
      stdio: 'ignore',
    });
    // Only what a bundle reads: sources, JSON and styles (fast to switch, and never a >4 MiB blob
    // the mirror lacks).
    execFileSync('git', ['sparse-checkout', 'set', '--no-cone', ...SOURCE_PATTERNS], { cwd: dir, stdio: 'ignore' });
  }
  return dir;
}

/** Checks a commit out in the truth worktree and links every node_modules folder of the checkout. */
export function materialise(tree, checkout, commit) {
  try {
    execFileSync('git', ['checkout', '--quiet', '--force', '--detach', commit], { cwd: tree, stdio: 'pipe' });
  } catch {
    // The mirror lacks blobs of 4 MiB and more (ryla: a 5 MiB workflow.json): leave them out, retry.
    const missing = missingBlobPaths(tree, commit);
    execFileSync('git', ['sparse-checkout', 'set', '--no-cone', ...SOURCE_PATTERNS, ...missing.map((p) => `!/${p}`)], {
      cwd: tree,
      stdio: 'ignore',
    });
    execFileSync('git', ['checkout', '--quiet', '--force', '--detach', commit], { cwd: tree, stdio: 'pipe' });
  }
  for (const nm of nodeModulesDirs(checkout)) {
    const target = join(tree, relative(checkout, nm));
    if (existsSync(dirname(target)) && !existsSync(target)) {
      try {
        symlinkSync(nm, target, 'dir');
      } catch {
        // a parallel folder appeared meanwhile; harmless
      }
    }
  }
}

let nmCache;
function nodeModulesDirs(checkout) {
  if (nmCache?.checkout === checkout) return nmCache.dirs;
  const dirs = [];
  const walk = (dir, depth) => {
    if (depth > 4) return;
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (!e.isDirectory() || e.name === '.git' || e.name.startsWith('.nx')) continue;
      const p = join(dir, e.name);
      if (e.name === 'node_modules') {
        if (!lstatSync(p).isSymbolicLink()) dirs.push(p);
        continue;
      }
      walk(p, depth + 1);
    }
  };
  walk(checkout, 0);
  nmCache = { checkout, dirs };
  return dirs;
}
