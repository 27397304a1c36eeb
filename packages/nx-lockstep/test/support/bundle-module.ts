import { join } from 'node:path';
import { buildSync } from 'esbuild';

/**
 * One of the package's source modules (`src/<path>.ts`), with what it imports of this package,
 * compiled with esbuild into a CommonJS file that a plain `node` process can require: for specs
 * that need real processes (V8's caches and heap) rather than the test runner's.
 */
export function bundleModule(path: string, outfile: string): string {
  buildSync({
    entryPoints: [join(__dirname, '..', '..', 'src', `${path}.ts`)],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'node',
    logLevel: 'silent',
  });
  return outfile;
}
