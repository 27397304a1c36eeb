import type { ts } from 'ts-morph';

let api: typeof ts | undefined;

/**
 * ts-morph's TypeScript, loaded on first use: compiling it costs a third of a second, which a
 * warm run (everything in the parse cache) never needs to pay.
 */
export function typescriptApi(): typeof ts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  api ??= (require('ts-morph') as typeof import('ts-morph')).ts;
  return api;
}
