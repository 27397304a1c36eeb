#!/usr/bin/env node
// For judging a range by hand where the file-level truth and symbol precision disagree: does the
// emitted, tree-shaken esbuild bundle of one entry differ between two commits? Prints each
// commit's output hash and size and writes the outputs to /tmp/cr/out-<repo>-<commit>.js.
//
//   node scripts/corpus/emitted-diff.mjs <repo> <deployable root> <entry> <base> <head>
//   e.g. node scripts/corpus/emitted-diff.mjs ngrx projects/example-app projects/example-app/src/main.ts 7b5aa8e021 e9316ed799
//
// Workspace code is bundled (the app's tsconfig aliases), node_modules stays external, styles,
// templates, SVG and JSON load as empty modules; commits are materialised in their own truth
// worktree (<corpus>/.truth-trees/<repo>-check).
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { CORPUS_DIR } from './setup.mjs';
import { BUNDLE_OPTIONS, truthWorktree, materialise, rewrittenTsconfig } from './truth.mjs';
const require = createRequire(import.meta.url);
const esbuild = require('esbuild');
const [repo, root, entry, base, head] = process.argv.slice(2);
if (!head) {
  process.stderr.write('usage: node scripts/corpus/emitted-diff.mjs <repo> <deployable root> <entry> <base> <head>\n');
  process.exit(1);
}
const checkout = join(CORPUS_DIR, repo);
const tree = truthWorktree(checkout, CORPUS_DIR, `${repo}-check`);
const plugin = {
  name: 'ext',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData?.inner) return undefined;
      const r = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: { inner: true },
      });
      if (r.errors.length > 0 || r.external || r.path.includes('/node_modules/'))
        return { path: args.path, external: true };
      return r;
    });
    build.onResolve({ filter: /\.(css|scss|html|svg|json)$/ }, (args) => ({ path: args.path, namespace: 'empty' }));
    build.onLoad({ filter: /.*/, namespace: 'empty' }, () => ({ contents: '', loader: 'js' }));
  },
};
mkdirSync('/tmp/cr', { recursive: true });
for (const commit of [base, head]) {
  materialise(tree, checkout, commit);
  const result = await esbuild.build({
    ...BUNDLE_OPTIONS,
    absWorkingDir: tree,
    entryPoints: [join(tree, entry)],
    tsconfig: rewrittenTsconfig(tree, root, undefined),
    treeShaking: true,
    outdir: join(tree, 'dist-check'),
    plugins: [plugin],
  });
  const text = result.outputFiles.map((f) => f.text).join('\n');
  const out = `/tmp/cr/out-${repo}-${commit.slice(0, 10)}.js`;
  writeFileSync(out, text);
  console.log(commit.slice(0, 10), createHash('sha1').update(text).digest('hex'), text.length, out);
}
