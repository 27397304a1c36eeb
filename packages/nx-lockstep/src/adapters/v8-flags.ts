import { setFlagsFromString } from 'node:v8';

/**
 * Sets a V8 flag while the process runs (`--name=value`), unless node was started with it (on
 * its command line or in `NODE_OPTIONS`): the user's choice stands. Says whether it set it.
 *
 * V8 keeps a hash of every flag that differs from its default in a code cache, and rejects a
 * cache made under another set (Node 20, 22 and 24 alike): a cache written after this would make
 * every later run compile the compiler from source (~0.3 s), and write it again. So the flag's
 * default is remembered, and the code cache (compile-cache.ts) puts every flag set here back with
 * `restoreV8Flags` before it writes, at the process's exit. A flag set back to its default counts
 * as never set, so the cache fits runs that set nothing.
 *
 * The list is on `globalThis`: the launcher loads the code cache's module on its own, outside the
 * CLI's bundle, so the two do not share a module's state.
 */
export function setV8Flag(name: string, value: number, defaultValue: number): boolean {
  if (launchedWith(name)) return false;
  setFlagsFromString(`--${name}=${value}`);
  const restore = ((globalThis as Record<symbol, string[] | undefined>)[FLAGS_SET] ??= []);
  restore.push(`--${name}=${defaultValue}`);
  return true;
}

/** Puts every flag `setV8Flag` set back to its default, so that a code cache made now fits other runs. */
export function restoreV8Flags(): void {
  const restore = (globalThis as Record<symbol, string[] | undefined>)[FLAGS_SET];
  while (restore?.length) setFlagsFromString(restore.pop()!);
}

/** Whether node was started with the V8 flag `name` (`--name`, `--name=…`, either `-` or `_`). */
export function launchedWith(
  name: string,
  execArgv = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS,
): boolean {
  const wanted = name.replace(/_/g, '-');
  return [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some(
    (arg) => arg.startsWith('--') && arg.slice(2).split('=')[0].replace(/_/g, '-') === wanted,
  );
}

const FLAGS_SET = Symbol.for('nx-lockstep.v8-flags-set');
