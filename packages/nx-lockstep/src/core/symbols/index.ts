/**
 * `symbol` precision: what a deployable ships down to top-level declarations (tree-shaking
 * semantics), and what changed down to the emitted JavaScript of each declaration. Pure: plain
 * data in, plain data out (TypeScript's compiler is used only as a parser/emitter of text).
 *
 * - `reachSymbols({ entries, summaries, resolve })` → `SymbolReach`: for every reached file,
 *   `whole` or the reached declaration ids and requested export names; `chainTo(file, decl?)`
 *   (files entry → … → file), `stepsTo(file, decl?)` (`file#decl` / `file>export` steps),
 *   `externals`, `uncertain` (for `analysis-uncertain` reasons), `loadChangeMatters`,
 *   `loadedBefore` (an import edge that cannot move its target in the evaluation order).
 *   `resolverFromGraph(graph, context)` adapts an `ImportGraph` to the `resolve` callback; pass
 *   one resolver for all deployables of a snapshot: the step graph is memoised per resolver.
 * - `changedDeclarations(base, head, compilerOptions)` → `none` | `declarations` (ids, plus
 *   changed export names and changed loads) | `whole` (new, deleted, unparsable, asset).
 * - `affectedBySymbols(reach, changedByFile)` → the hits: file, touched declarations, chain.
 *   Values may be `lazyChange(() => changedDeclarations(…))`: only reached files get transpiled.
 *
 * - `collectNamespaceMembers` / `namespaceMembersOf` (for the extractor): fill
 *   `TopLevelDeclaration.namespaceMembers`, so `ns.member` uses follow only those members.
 * - Pseudo declaration ids in results: MODULE_LOAD (`#load`, module-level change),
 *   `#resolution` (a package.json field that decides resolution), and in hits `export:<name>`
 *   and `load:<specifier>`.
 *
 * docs/precision.md explains the rules with examples.
 */
export {
  DamagedStepGraph,
  reachSymbols,
  storeStepGraph,
  type StepGraphStore,
  type StoredStepGraph,
  type StoredStepTables,
  type FileReach,
  type SymbolReach,
  type SymbolReachInput,
  type SymbolsThatMatter,
} from './symbol-reach';
export {
  changedDeclarations,
  COMPUTED_MODULE_SOURCE,
  type ChangedDeclarations,
  type ModuleSource,
  type SourceVersion,
} from './changed-declarations';
export {
  EMIT_VERSION,
  emitModule,
  emitOptions,
  emitOptionsKey,
  emittedFromJson,
  emittedToJson,
  isEmittedModuleJson,
  type EmittedModuleJson,
} from './emitted-module';
export { MODULE_LOAD } from './module-load';
export {
  affectedBySymbols,
  changesNotShipped,
  lazyChange,
  type ChangeSource,
  type SymbolHit,
} from './affected-by-symbols';
export { resolverFromGraph } from './resolver-from-graph';
export { collectNamespaceMembers, namespaceMembersOf, type NamespaceUses } from './namespace-members';
export { PACKAGE_RESOLUTION } from './package-manifest';
