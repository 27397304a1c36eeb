/**
 * The analysis's caches, for the Nx plugin: the parse cache (module summaries shared by the graph
 * Nx computes and the analysis lockstep runs), the compiler's code cache, and the rule that removes
 * cache files unused for 14 days (which the plugin's inference files follow too). An entry of its own,
 * beside `engine.ts`, because the plugin is loaded by every Nx command and the whole engine's
 * modules cost it ~20 ms more; `engine.ts` re-exports both.
 */
export { BUILD_VERSION } from './adapters/build-version';
export { cachedCompilerLoader } from './adapters/compile-cache';
export { PARSER_VERSION, ParseCache } from './adapters/parse-cache';
export { markUsed, removeUnused } from './adapters/unused-files';
