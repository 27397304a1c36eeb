// Writes a minified copy of the TypeScript compiler the engine loads (ts-morph's,
// `@ts-morph/common/dist/typescript.js`) into dist/vendor/, with a manifest naming the file it
// was made from (its package's version, its size and SHA-1). The code cache loads that copy in its place
// (src/adapters/compile-cache.ts): 3.6 MB instead of 9.1 MB to read, to turn into a string and
// to compile, ~50 ms less in every run that loads the compiler with its code cache there and
// ~80 ms without (docs/benchmarks.md, fourteenth stop). esbuild's minifier keeps what the code
// does; only names change, which the compiler uses in its own assertion messages alone.
// Licence comments (`/*! … */`) stay in the copy.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { installedCompilerPath } from './compiler-fingerprint.mjs';

const require = createRequire(import.meta.url);

export function minifyCompiler(dist) {
  const { transformSync } = require('esbuild');
  const compiler = installedCompilerPath();
  const source = readFileSync(compiler);
  const { code } = transformSync(source.toString('utf8'), {
    minify: true,
    legalComments: 'inline',
    charset: 'ascii', // a one-byte string for V8, as the code cache reads it
    logLevel: 'warning',
  });
  const folder = join(dist, 'vendor');
  mkdirSync(folder, { recursive: true });
  // TypeScript is Apache-2.0: the copy says what it is and where it comes from, and its licence
  // travels beside it (the typescript package's, the same code's).
  const notice =
    '/*! Minified by the nx-lockstep build from @ts-morph/common/dist/typescript.js, TypeScript ' +
    'by Microsoft, licensed under the Apache License 2.0: see typescript.LICENSE.txt beside this file. */\n';
  const copy = notice + code;
  writeFileSync(join(folder, 'typescript.min.js'), copy);
  copyFileSync(require.resolve('typescript/LICENSE.txt'), join(folder, 'typescript.LICENSE.txt'));
  const { version } = JSON.parse(readFileSync(join(compiler, '..', '..', 'package.json'), 'utf8'));
  const manifest = {
    of: '@ts-morph/common/dist/typescript.js',
    version,
    size: source.length,
    sha1: createHash('sha1').update(source).digest('hex'),
    copy: 'typescript.min.js',
    // In the code cache's key: V8 checks a cache against its source's length only, and every file
    // npm extracts has one fixed modification time, so two builds' copies must differ by it.
    copySha1: createHash('sha1').update(copy).digest('hex'),
  };
  writeFileSync(join(folder, 'typescript.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}
