/**
 * The minified copy of ts-morph's compiler that the build writes (scripts/lib/minify-compiler.mjs)
 * and the code cache compiles in the compiler's place (src/adapters/compile-cache.ts): taken only
 * for the very file it was made from, and the same compiler as that file on real sources.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint, loadCompilers } from '../../../scripts/lib/compiler-fingerprint.mjs';
import { bundleModule } from './support/bundle-module';

const PACKAGE = join(__dirname, '..');
const VENDOR = join(PACKAGE, 'dist', 'vendor');

let work: string;
let module: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'lockstep-minified-compiler-'));
  module = bundleModule('adapters/compile-cache', join(work, 'compile-cache.cjs'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs `body` in a fresh node with the code cache in `cache` and minified copies looked for in `vendor`; its JSON output. */
const run = (cache: string, vendor: string | undefined, body: string): unknown => {
  const script = join(work, `run-${Math.random().toString(36).slice(2)}.cjs`);
  writeFileSync(
    script,
    `const cache = require(${JSON.stringify(module)});
cache.setMinifiedCompilerFolder(${JSON.stringify(vendor)});
cache.enableCompileCache();
${body}`,
  );
  return JSON.parse(
    execFileSync(process.execPath, [script], {
      env: { ...process.env, LOCKSTEP_COMPILE_CACHE: cache },
      encoding: 'utf8',
    }),
  ) as unknown;
};

describe('the minified compiler', () => {
  it('is compiled in place of the file it was made from, and of no other', () => {
    const NPM_TIME = 499_162_500; // 1985-10-26T08:15:00Z, in seconds: npm extracts every file with it
    // A stand-in for ts-morph's compiler at its real place in a package tree, and a "copy" of it.
    const compiler = join(work, 'node_modules', '@ts-morph', 'common', 'dist', 'typescript.js');
    mkdirSync(join(compiler, '..'), { recursive: true });
    const original = "exports.which = 'original'; exports.file = __filename;";
    writeFileSync(compiler, original);
    const packageJson = join(compiler, '..', '..', 'package.json');
    writeFileSync(packageJson, JSON.stringify({ name: '@ts-morph/common', version: '1.0.0' }));
    const vendor = join(work, 'vendor');
    mkdirSync(vendor);
    const sha1 = (text: string) => createHash('sha1').update(text).digest('hex');
    const writeCopy = (text: string) => {
      writeFileSync(join(vendor, 'typescript.min.js'), text);
      utimesSync(join(vendor, 'typescript.min.js'), NPM_TIME, NPM_TIME);
      copySha1 = sha1(text);
    };
    let copySha1 = '';
    writeCopy("exports.which='copy';exports.file=__filename;");
    const manifest = (text: string) =>
      writeFileSync(
        join(vendor, 'typescript.json'),
        JSON.stringify({
          version: '1.0.0',
          size: Buffer.byteLength(text),
          sha1: sha1(text),
          copy: 'typescript.min.js',
          copySha1,
        }),
      );
    manifest(original);
    const load = `process.stdout.write(JSON.stringify(require(${JSON.stringify(compiler)})));`;

    // The copy, as the module of the file it stands for (its __filename); from the code cache after.
    const folder = join(work, 'cache');
    expect(run(folder, vendor, load)).toEqual({ which: 'copy', file: compiler });
    expect(run(folder, vendor, load)).toEqual({ which: 'copy', file: compiler });
    // No copy where none is looked for, nor with the cache off (Node's own loader).
    expect(run(join(work, 'cache-2'), undefined, load)).toEqual({ which: 'original', file: compiler });
    expect(run('off', vendor, load)).toEqual({ which: 'original', file: compiler });

    // A file of the same size but other bytes (a patched compiler): its own text, found by its SHA-1.
    const patched = original.replace('original', 'patched!');
    expect(patched.length).toBe(original.length);
    writeFileSync(compiler, patched);
    expect(run(join(work, 'cache-3'), vendor, load)).toEqual({ which: 'patched!', file: compiler });
    // Also where a cache was written for the copy: the changed file has another key (its modification time).
    expect(run(folder, vendor, load)).toEqual({ which: 'patched!', file: compiler });
    // Another size: the manifest does not name it.
    writeFileSync(compiler, `${original}\n`);
    expect(run(join(work, 'cache-4'), vendor, load)).toEqual({ which: 'original', file: compiler });
    // An upgrade whose file has the same size and modification time (npm extracts every file with
    // one fixed time): its package's version tells it from the file a copy and a cache were made for.
    writeFileSync(compiler, original);
    utimesSync(compiler, NPM_TIME, NPM_TIME);
    const upgraded = join(work, 'cache-upgrade');
    expect(run(upgraded, vendor, load)).toEqual({ which: 'copy', file: compiler });
    writeFileSync(compiler, patched);
    utimesSync(compiler, NPM_TIME, NPM_TIME);
    writeFileSync(packageJson, JSON.stringify({ name: '@ts-morph/common', version: '1.0.1' }));
    expect(run(upgraded, vendor, load)).toEqual({ which: 'patched!', file: compiler });
    writeFileSync(packageJson, JSON.stringify({ name: '@ts-morph/common', version: '1.0.0' }));
    // Another build's copy of the same length (and time), for the same file: its own text, not the
    // earlier copy's cache (V8 would take that cache: it checks the source's length only).
    writeFileSync(compiler, original);
    utimesSync(compiler, NPM_TIME, NPM_TIME);
    manifest(original);
    const rebuilt = join(work, 'cache-rebuilt');
    expect(run(rebuilt, vendor, load)).toEqual({ which: 'copy', file: compiler });
    writeCopy("exports.which='copz';exports.file=__filename;");
    manifest(original);
    expect(run(rebuilt, vendor, load)).toEqual({ which: 'copz', file: compiler });
    // A damaged manifest: the file itself.
    writeFileSync(compiler, original);
    writeFileSync(join(vendor, 'typescript.json'), '{"size": ');
    expect(run(join(work, 'cache-5'), vendor, load)).toEqual({ which: 'original', file: compiler });
  });

  // scripts/compare-compiler-copy.mjs does the same on any repository (real monorepos: docs/benchmarks.md).
  it("the build's copy is what the CLI compiles, and parses and emits this repository's sources as the compiler does", () => {
    expect(existsSync(join(VENDOR, 'typescript.json')), `no ${VENDOR}: run npm run build first`).toBe(true);
    const compiler = require.resolve('@ts-morph/common/dist/typescript.js', {
      paths: [require.resolve('ts-morph/package.json')],
    });
    // The build's copy stands for the installed compiler: loaded through the cache, it is the copy.
    const loaded = run(
      join(work, 'real-cache'),
      VENDOR,
      `const ts = require(${JSON.stringify(compiler)});
process.stdout.write(JSON.stringify({ version: ts.version, name: ts.forEachChild.name }));`,
    ) as { version: string; name: string };
    const load = createRequire(__filename);
    const original = load(compiler) as typeof import('typescript');
    expect(loaded.version).toBe(original.version);
    expect(loaded.name).not.toBe('forEachChild'); // minified names: the copy was compiled

    // Both compilers side by side in this process (the copy is a module of its own file).
    const { original: installed, copy } = loadCompilers(VENDOR);
    expect(installed).toBe(original);
    expect(copy).not.toBe(original);
    const files = sourcesUnder(join(PACKAGE, 'src'));
    expect(files.length).toBeGreaterThan(200);
    let differ = 0;
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const name = relative(PACKAGE, file);
      if (fingerprint(copy, name, text) !== fingerprint(original, name, text)) differ++;
    }
    expect(differ).toBe(0);
  });
});

/** Every .ts and .tsx file under `folder`, fixtures and specs included (more shapes of code). */
function sourcesUnder(folder: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) found.push(...sourcesUnder(path));
    else if (/\.tsx?$/.test(name)) found.push(path);
  }
  return found;
}
