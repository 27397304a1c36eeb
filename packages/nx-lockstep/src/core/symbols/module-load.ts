/**
 * A pseudo declaration id: the module's load-time behaviour changed (a side-effectful statement
 * was removed or rewritten, the order of what it loads changed). It counts for every deployable
 * that reaches the module at all. In a module of its own so that deciding (`affectedBySymbols`)
 * does not load the emitter that computing changes needs.
 */
export const MODULE_LOAD = '#load';
