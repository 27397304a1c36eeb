import { setFlagsFromString } from 'node:v8';

/**
 * Sets a V8 flag while the process runs, and says so for the code cache (compile-cache.ts): V8
 * rejects a code cache made after any flag changed at run time (it keeps a hash of every flag's
 * value in it), so a cache written by such a run would make the next run compile the compiler
 * from source (~0.3 s), and write it again. Node 20 and 24 alike.
 *
 * The mark is on `globalThis`: the launcher loads the code cache's module on its own, outside the
 * CLI's bundle, so the two do not share a module's state.
 */
export function setV8Flag(flag: string): void {
  setFlagsFromString(flag);
  (globalThis as Record<symbol, unknown>)[FLAGS_SET] = true;
}

/** Whether this process changed a V8 flag after it started (see setV8Flag). */
export function v8FlagsChanged(): boolean {
  return (globalThis as Record<symbol, unknown>)[FLAGS_SET] === true;
}

const FLAGS_SET = Symbol.for('nx-lockstep.v8-flags-set');
