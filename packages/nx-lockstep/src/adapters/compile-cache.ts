import { closeSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { getHeapCodeStatistics } from 'node:v8';
import { Script } from 'node:vm';
import { markUsed, removeUnused } from './unused-files';
import { restoreV8Flags } from './v8-flags';
import { nearestWorkspaceRoot, workspaceDataDirectory } from './workspace-data';
// eslint-disable-next-line @typescript-eslint/no-require-imports
import Module = require('node:module');

/**
 * Compiling TypeScript's 9 MB compiler is about 0.14 s of every run that parses or emits a
 * file; with a V8 code cache it is about 0.05 s. The compiler (`…/typescript.js`) and the CLI's
 * own bundle (`dist/cli/main.bundle.js`: 10–15 ms of a run that loads no compiler, a lib edit at
 * 5,000 files 362–367 → 352 ms) are compiled through `vm.Script` with cached data, written when
 * the process exits (after the run, so the functions it compiled lazily are in the cache too).
 * A file of theirs that is not plain ASCII is left to Node's own loader, uncached (see loadCached).
 *
 * The same on every Node: Node ≥ 22.1 has a compile cache of its own (`module.enableCompileCache`),
 * but it reads the compiler as UTF-8 and checks a hash of its 9 MB, and keeps whatever its first
 * writer compiled (see REWRITE_GROWTH). Measured on Node 24 at 5,000 files (7 rounds each, paired):
 * a hub edit 781 → 667 ms, a lib edit 417 → 384 ms with this one instead of Node's.
 *
 * The cache is a folder of the user's own (see compileCacheDirectory), created 0700;
 * `LOCKSTEP_COMPILE_CACHE=off` turns it off. A cache V8 rejects (another Node, another compiler
 * build) is replaced, never trusted: V8 checks the source and its own version before using one.
 * The `lockstep` command line loads both through it; inside Nx's process (the `affected-deploy`
 * executor) only the compiler does (cachedCompilerLoader), and Nx's module loader is left alone.
 */
export function enableCompileCache(): void {
  const directory = compileCacheDirectory(nearestWorkspaceRoot(process.cwd()));
  if (directory === undefined || enabled) return;
  enabled = true;
  const extensions = (Module as unknown as { _extensions: Record<string, LoadExtension> })._extensions;
  const loadJs = extensions['.js'];
  if (!loadJs) return;
  extensions['.js'] = function (module: CompilingModule, filename: string) {
    if (!COMPILER.test(filename) || !loadCached(directory, module, filename)) loadJs.call(this, module, filename);
  };
}

let enabled = false;

/**
 * Where the code caches live: `LOCKSTEP_COMPILE_CACHE` (undefined for `off`), else the workspace
 * data of `workspaceRoot` (`<workspace data>/nx-lockstep/compile-cache`, beside the analysis's
 * caches, so that a CI job that restores those restores this too: without it every job compiled
 * the 9 MB compiler from source, ~0.25 s per run that parses), else
 * `<tmpdir>/nx-lockstep-compile-cache-<uid>` outside a workspace. A code cache is code: it is
 * as trusted as the folder it is restored into, like the packages and Nx's own task cache there.
 */
export function compileCacheDirectory(workspaceRoot: string | undefined): string | undefined {
  const setting = process.env.LOCKSTEP_COMPILE_CACHE;
  if (setting === 'off' || setting === '0') return undefined;
  if (setting) return setting;
  if (workspaceRoot !== undefined) return join(workspaceDataDirectory(workspaceRoot), 'nx-lockstep', 'compile-cache');
  return join(tmpdir(), `nx-lockstep-compile-cache-${process.getuid?.() ?? 'user'}`);
}

/**
 * A loader of the compiler through the code cache of `workspaceRoot` (see compileCacheDirectory)
 * for a process whose module loader is not this one's (Nx's): the module is made and registered
 * as Node's loader would, so a later `require` of it gets the same one; Node's own loader takes a
 * file the cache does not (not ASCII, unreadable). Undefined when the cache is off.
 */
export function cachedCompilerLoader(workspaceRoot: string): ((filename: string) => unknown) | undefined {
  const directory = compileCacheDirectory(workspaceRoot);
  if (directory === undefined) return undefined;
  return (filename) => {
    const internals = Module as unknown as {
      _cache: Record<string, { exports: unknown } | undefined>;
      _nodeModulePaths(directory: string): string[];
    };
    const known = internals._cache[filename];
    if (known) return known.exports;
    const module = new Module(filename) as Module & CompilingModule & { loaded: boolean };
    module.filename = filename;
    module.paths = internals._nodeModulePaths(dirname(filename));
    internals._cache[filename] = module;
    try {
      if (!loadCached(directory, module, filename)) {
        delete internals._cache[filename];
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return require(filename) as unknown;
      }
    } catch (error) {
      delete internals._cache[filename];
      throw error;
    }
    module.loaded = true;
    return module.exports;
  };
}

type LoadExtension = (this: unknown, module: CompilingModule, filename: string) => void;

/**
 * The modules worth caching: the compilers, ts-morph's (`@ts-morph/common/dist/typescript.js`) and
 * `typescript/lib/typescript.js`, and the CLI's bundle (plain ASCII too, see
 * scripts/lib/bundle-cli.mjs).
 */
const COMPILER = /[\\/](typescript|main\.bundle)\.js$/;

interface CompilingModule {
  exports: unknown;
}

/** A code cache's name: the SHA-1 of its key (see loadCached). */
const CACHE_NAME = /^[0-9a-f]{40}\.v8$/;

/** Node's CommonJS wrapper, as `Module.wrap` writes it. */
const WRAP_HEAD = '(function (exports, require, module, __filename, __dirname) { ';
const WRAP_TAIL = '\n});';

/**
 * Loads a compiler file through a V8 code cache: false (nothing done) when the file is not plain
 * ASCII (a BOM, UTF-8 characters) or cannot be read, and Node's own loader takes it.
 *
 * On the VMs this runs on, memory touched for the first time costs ~3 ms a megabyte (a page fault
 * is ~11 µs), so the 9 MB compiler is read once, into a buffer that holds the wrapper too: its
 * Latin-1 text is the one flat string V8 compiles (wrapping a string made a second 9 MB copy), and
 * the same buffer then holds the code cache. Node reads a module as UTF-8, which would make a
 * two-byte string: slower to read, to hash and to compile lazily; an ASCII file read as Latin-1 is
 * a one-byte string with the same characters. Measured loading the compiler alone: 192 → 164 ms,
 * 11,600 → 9,300 page faults; ~11 ms less again once a cache is there (the ASCII check).
 */
function loadCached(directory: string, module: CompilingModule, filename: string): boolean {
  let buffer: Buffer;
  let cacheFile: string;
  let cacheSize: number | undefined;
  let cacheTime = 0;
  /** The file whose text is compiled: `filename`, or the minified copy that stands for it. */
  let source = filename;
  try {
    const stat = statSync(filename);
    // npm extracts every file with one fixed modification time (1985), so a file replaced by an
    // upgrade of the same size would have the same size and time: its package's version is in the
    // key too (V8 itself checks a cache against the source's length only).
    const version = packageVersionOf(filename);
    const keyOf = (copy: MinifiedCopy | undefined) =>
      createHash('sha1')
        .update(`${process.version}\0${process.arch}\0${filename}\0${stat.size}\0${stat.mtimeMs}\0${version}`)
        .update(copy ? `\0${copy.path}\0${copy.size}\0${copy.mtimeMs}\0${copy.copySha1}` : '')
        .digest('hex');
    const cacheSizeOf = (file: string) => {
      const cache = ownDirectory(directory) ? statSync(file, { throwIfNoEntry: false }) : undefined;
      cacheTime = cache?.mtimeMs ?? 0;
      return cache?.size;
    };
    let copy = minifiedCopyOf(filename, stat.size, version);
    cacheFile = join(directory, `${keyOf(copy)}.v8`);
    cacheSize = cacheSizeOf(cacheFile);
    // A cache under the copy's key was written only after the file was found to be the one the
    // copy was made from (its key has the file's size and modification time, as every cache's);
    // without one, the file's SHA-1 is checked first (~40 ms, once per file and cache folder).
    if (copy && cacheSize === undefined && !sameFile(filename, copy.sha1)) {
      copy = undefined;
      cacheFile = join(directory, `${keyOf(undefined)}.v8`);
      cacheSize = cacheSizeOf(cacheFile);
    }
    if (copy) source = copy.path;
    const size = copy ? copy.size : stat.size;
    buffer = Buffer.allocUnsafeSlow(WRAP_HEAD.length + size + WRAP_TAIL.length);
    buffer.write(WRAP_HEAD, 0, 'latin1');
    if (readInto(source, buffer.subarray(WRAP_HEAD.length, WRAP_HEAD.length + size)) !== size) return false;
    buffer.write(WRAP_TAIL, WRAP_HEAD.length + size, 'latin1');
  } catch {
    return false; // Node's own loader reports it
  }
  // A cache is written only for a file found ASCII, under a key of its size and modification
  // time: with one there the check waits until V8 has accepted it (it takes ~11 ms for the
  // compiler's 9 MB); a first run, or a cache V8 rejects, checks the text itself.
  if (cacheSize === undefined && !isAscii(buffer)) return false;
  const text = buffer.toString('latin1');
  let cachedData: Uint8Array | undefined;
  if (cacheSize !== undefined) {
    try {
      // The text is taken: the same buffer holds the cache (fresh memory is costly, see above).
      cachedData = cacheSize <= buffer.length ? buffer.subarray(0, cacheSize) : Buffer.allocUnsafeSlow(cacheSize);
      if (readInto(cacheFile, cachedData) !== cacheSize) cachedData = undefined;
    } catch {
      cachedData = undefined;
    }
  }
  let script: Script;
  try {
    script = new Script(text, { filename: source, cachedData });
  } catch {
    return false; // Node's own loader reports it
  }
  const accepted = !!cachedData && !script.cachedDataRejected;
  if (accepted) markUsed(cacheFile, cacheTime);
  if (!accepted && cacheSize !== undefined && !isAscii(readFileSync(source))) return false;
  process.once('exit', () => {
    try {
      // A cache holds the functions compiled by the run that wrote it: the first run only read a
      // tsconfig, say, and every later emit compiled the emitter again (~35 ms of a 5k hub edit).
      // So a run that ends holding a tenth more bytecode than the writer held writes it again.
      // A cache made while a flag set at run time still held would be rejected by every run that
      // did not set it: they go back to their defaults first (the process is ending).
      restoreV8Flags();
      const bytecode = bytecodeAtExit();
      if (accepted && bytecode <= writtenWith(cacheFile) * REWRITE_GROWTH) return;
      mkdirSync(directory, { recursive: true, mode: 0o700 });
      if (!ownDirectory(directory)) return;
      replaceFile(cacheFile, script.createCachedData());
      replaceFile(`${cacheFile}.bytecode`, `${bytecode}\n`);
      // Caches of earlier installs (another Node, compiler or nx-lockstep) go once unused for 14 days.
      removeUnused(directory, CACHE_NAME, basename(cacheFile), ['.bytecode']);
    } catch {
      // A read-only or full folder: the next run compiles without a cache, as this one did.
    }
  });
  const run = script.runInThisContext({ displayErrors: true }) as (
    exports: unknown,
    require: NodeJS.Require,
    module: unknown,
    filename: string,
    dirname: string,
  ) => unknown;
  run.call(module.exports, module.exports, Module.createRequire(filename), module, filename, dirname(filename));
  return true;
}

/**
 * A minified copy of ts-morph's compiler made by the build (scripts/lib/minify-compiler.mjs): the
 * build's `vendor/` folder holds it with a manifest of the file it was made from. The code cache
 * compiles it in that file's place (the module is still that file's: ts-morph and the engine
 * share it, and its `__filename` is the file's). 3.6 MB instead of 9.1 MB: a warm run that loads
 * the compiler 203 → 153 ms for the load and first use alone, a run without a cache 379 → 299 ms.
 */
interface MinifiedCopy {
  path: string;
  size: number;
  mtimeMs: number;
  /** SHA-1 of the file it was made from. */
  sha1: string;
  /** SHA-1 of the copy, as the build wrote it (in the cache key: two builds' copies of one length differ by it). */
  copySha1: string;
}

let vendorFolder: string | undefined = join(__dirname, '..', 'vendor');

/** Where minified copies are looked for (the build's `dist/vendor`); undefined: none is used. For tests. */
export function setMinifiedCompilerFolder(folder: string | undefined): void {
  vendorFolder = folder;
}

const TS_MORPH_COMPILER = /[\\/]@ts-morph[\\/]common[\\/]dist[\\/]typescript\.js$/;

/** The copy standing for `filename` when the manifest names a file of its size and package version; else undefined. */
function minifiedCopyOf(filename: string, size: number, version: string | undefined): MinifiedCopy | undefined {
  if (vendorFolder === undefined || !TS_MORPH_COMPILER.test(filename)) return undefined;
  try {
    const manifest = JSON.parse(readFileSync(join(vendorFolder, 'typescript.json'), 'utf8')) as {
      size?: unknown;
      version?: unknown;
      sha1?: unknown;
      copy?: unknown;
      copySha1?: unknown;
    };
    if (
      manifest.size !== size ||
      manifest.version !== version ||
      typeof manifest.sha1 !== 'string' ||
      typeof manifest.copy !== 'string' ||
      typeof manifest.copySha1 !== 'string'
    )
      return undefined;
    const path = join(vendorFolder, manifest.copy);
    const stat = statSync(path);
    return { path, size: stat.size, mtimeMs: stat.mtimeMs, sha1: manifest.sha1, copySha1: manifest.copySha1 };
  } catch {
    return undefined; // no copy (a build without one, tests): the file itself is compiled
  }
}

/**
 * The version of the package a module file belongs to: the first package.json with a name and a
 * version in its folder or the three above (`<package>/dist/typescript.js`, `<package>/lib/…`,
 * `<package>/dist/cli/main.bundle.js`); undefined when none is found.
 */
function packageVersionOf(filename: string): string | undefined {
  let folder = dirname(filename);
  for (let level = 0; level < 4; level++) {
    try {
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (typeof manifest.name === 'string' && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // none here (or not JSON): the folder above
    }
    folder = dirname(folder);
  }
  return undefined;
}

/** Whether the file's SHA-1 is `sha1`. */
function sameFile(file: string, sha1: string): boolean {
  try {
    return createHash('sha1').update(readFileSync(file)).digest('hex') === sha1;
  } catch {
    return false;
  }
}

/**
 * How much more bytecode (every script's, at exit) a run must hold than the run that wrote a
 * cache for it to write the cache again: runs of one kind hold about the same, so a cache is
 * rewritten only when a heavier kind of run comes, and the heaviest one's cache stays.
 */
const REWRITE_GROWTH = 1.1;

/**
 * Every script's bytecode as the process exits, measured once for all its caches (the bundle's
 * and the compiler's): V8 walks the heap for it.
 */
function bytecodeAtExit(): number {
  exitBytecode ??= getHeapCodeStatistics().bytecode_and_metadata_size;
  return exitBytecode;
}
let exitBytecode: number | undefined;

/** The bytecode the run that wrote `cacheFile` held at exit; 0 when unknown (it is written again once). */
function writtenWith(cacheFile: string): number {
  try {
    const value = Number(readFileSync(`${cacheFile}.bytecode`, 'latin1').trim());
    return Number.isFinite(value) && value > 0 ? value : 0;
  } catch {
    return 0;
  }
}

/** Writes a temporary file renamed over `file`: a reader never sees half of it. */
function replaceFile(file: string, data: string | Uint8Array): void {
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, file);
}

/** Reads a file into `target` (its whole length at most); the number of bytes read. */
function readInto(file: string, target: Uint8Array): number {
  const descriptor = openSync(file, 'r');
  try {
    let read = 0;
    while (read < target.length) {
      const count = readSync(descriptor, target, read, target.length - read, read);
      if (count === 0) break;
      read += count;
    }
    return read;
  } finally {
    closeSync(descriptor);
  }
}

/** A cache folder someone else owns (a shared tmpdir) is never read or written. */
function ownDirectory(directory: string): boolean {
  const stat = statSync(directory, { throwIfNoEntry: false });
  return !!stat && stat.isDirectory() && (process.getuid === undefined || stat.uid === process.getuid());
}
