import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';
// eslint-disable-next-line @typescript-eslint/no-require-imports
import Module = require('node:module');

/**
 * Compiling TypeScript's 9 MB compiler is about 0.14 s of every run that parses or emits a
 * file; with a V8 code cache it is about 0.05 s. On Node ≥ 22.1 `module.enableCompileCache()`
 * caches every module; on older Node only the compiler (`…/typescript.js`) and the CLI's own
 * bundle (`dist/cli/main.bundle.js`: 10–15 ms of a run that loads no compiler, a lib edit at
 * 5,000 files 362–367 → 352 ms) are compiled through `vm.Script` with cached data, written when
 * the process exits (after the run, so the functions it compiled lazily are in the cache too).
 *
 * The cache is a folder of the user's own (`LOCKSTEP_COMPILE_CACHE`, default
 * `<tmpdir>/nx-lockstep-compile-cache-<uid>`, created 0700); `LOCKSTEP_COMPILE_CACHE=off` turns
 * it off. A cache V8 rejects (another Node, another compiler build) is replaced, never trusted:
 * V8 checks the source and its own version before using one. Only the `lockstep` command line
 * enables it; the plugin inside Nx's process leaves Nx's module loader alone.
 */
export function enableCompileCache(): void {
  const setting = process.env.LOCKSTEP_COMPILE_CACHE;
  if (setting === 'off' || setting === '0' || enabled) return;
  enabled = true;
  const directory = setting || join(tmpdir(), `nx-lockstep-compile-cache-${process.getuid?.() ?? 'user'}`);
  const builtIn = (Module as unknown as { enableCompileCache?: (directory: string) => unknown }).enableCompileCache;
  if (builtIn) {
    builtIn(directory);
    return;
  }
  readAsciiSourcesFast();
  const prototype = (Module as unknown as { prototype: CompilingModule }).prototype;
  const compile = prototype._compile;
  prototype._compile = function (this: CompilingModule, content: string, filename: string) {
    const script = COMPILER.test(filename) ? cachedScript(directory, content, filename) : undefined;
    if (!script) return compile.call(this, content, filename);
    const run = script.runInThisContext({ displayErrors: true }) as (
      exports: unknown,
      require: NodeJS.Require,
      module: unknown,
      filename: string,
      dirname: string,
    ) => unknown;
    return run.call(this.exports, this.exports, Module.createRequire(filename), this, filename, dirname(filename));
  };
}

let enabled = false;

/**
 * Node reads a module's source as UTF-8, which makes the 9 MB compiler a two-byte string: slower
 * to read, to hash against the code cache and to compile lazily. When its bytes are all ASCII
 * (TypeScript's bundle is), the same text is read as Latin-1, a one-byte string with the same
 * characters; any other byte (a BOM too) leaves the file to Node's own loader. Only the files
 * COMPILER names are read this way.
 */
function readAsciiSourcesFast(): void {
  const extensions = (Module as unknown as { _extensions: Record<string, (module: unknown, filename: string) => void> })
    ._extensions;
  const loadJs = extensions['.js'];
  if (!loadJs || typeof isAscii !== 'function') return;
  extensions['.js'] = function (module: unknown, filename: string) {
    if (!COMPILER.test(filename)) return loadJs.call(this, module, filename);
    let bytes: Buffer | undefined;
    try {
      bytes = readFileSync(filename);
    } catch {
      // Node's own loader reports it
    }
    // Any other byte (or a byte-order mark): Node's own reading, exactly as without this.
    if (!bytes || !isAscii(bytes)) return loadJs.call(this, module, filename);
    return (module as CompilingModule)._compile(bytes.toString('latin1'), filename);
  };
}

/**
 * The modules worth caching: the compilers, ts-morph's (`@ts-morph/common/dist/typescript.js`) and
 * `typescript/lib/typescript.js`, and the CLI's bundle (plain ASCII too, see
 * scripts/lib/bundle-cli.mjs).
 */
const COMPILER = /[\\/](typescript|main\.bundle)\.js$/;

interface CompilingModule {
  exports: unknown;
  _compile(content: string, filename: string): unknown;
}

/** The module's wrapper compiled with the cached data when there is one; undefined when anything about the cache fails. */
function cachedScript(directory: string, content: string, filename: string): Script | undefined {
  try {
    const stat = statSync(filename);
    const key = createHash('sha1')
      .update(`${process.version}\0${process.arch}\0${filename}\0${stat.size}\0${stat.mtimeMs}`)
      .digest('hex');
    const file = join(directory, `${key}.v8`);
    let cachedData: Buffer | undefined;
    try {
      if (ownDirectory(directory)) cachedData = readFileSync(file);
    } catch {
      // no cache yet
    }
    const script = new Script(Module.wrap(content), { filename, cachedData });
    if (!cachedData || script.cachedDataRejected) {
      process.once('exit', () => {
        try {
          mkdirSync(directory, { recursive: true, mode: 0o700 });
          if (!ownDirectory(directory)) return;
          const temporary = `${file}.${process.pid}.tmp`;
          writeFileSync(temporary, script.createCachedData());
          renameSync(temporary, file);
        } catch {
          // A read-only or full tmpdir: the next run compiles without a cache, as now.
        }
      });
    }
    return script;
  } catch {
    return undefined;
  }
}

/** A cache folder someone else owns (a shared tmpdir) is never read or written. */
function ownDirectory(directory: string): boolean {
  const stat = statSync(directory, { throwIfNoEntry: false });
  return !!stat && stat.isDirectory() && (process.getuid === undefined || stat.uid === process.getuid());
}
