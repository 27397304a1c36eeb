import type { ts } from 'ts-morph';

let api: typeof ts | undefined;
let loader: ((filename: string) => unknown) | undefined;

/**
 * How the compiler module is loaded from now on (before it is first used): `require` unless an
 * adapter sets another, such as one through a code cache (adapters/compile-cache.ts).
 */
export function setCompilerLoader(load: ((filename: string) => unknown) | undefined): void {
  loader = load;
}

/**
 * ts-morph's TypeScript, loaded on first use: compiling it costs a quarter of a second, which a
 * warm run (everything in the parse cache) never needs to pay. The compiler alone
 * (`@ts-morph/common/dist/typescript.js`, the very module ts-morph re-exports as `ts`) is loaded,
 * not ts-morph and its wrappers: that saves about 0.1 s on a cold run.
 */
export function typescriptApi(): typeof ts {
  api ??= loadCompiler();
  return api;
}

function loadCompiler(): typeof ts {
  /* eslint-disable @typescript-eslint/no-require-imports */
  try {
    // Resolved from ts-morph's own folder: the @ts-morph/common it pins, whatever the layout (npm, pnpm).
    const from = require.resolve('ts-morph/package.json');
    const filename = require.resolve('@ts-morph/common/dist/typescript.js', { paths: [from] });
    return (loader ? loader(filename) : require(filename)) as typeof ts;
  } catch {
    return (require('ts-morph') as typeof import('ts-morph')).ts;
  }
  /* eslint-enable @typescript-eslint/no-require-imports */
}
