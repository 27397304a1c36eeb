#!/usr/bin/env node
'use strict';
// A run that parses many files keeps its heap smaller (see src/adapters/heap-growth.ts).
globalThis[Symbol.for('nx-lockstep.compact-heap')] = true;
// TypeScript's compiler through a V8 code cache (see src/adapters/compile-cache.ts).
require('../dist/adapters/compile-cache.js').enableCompileCache();
// The CLI as one bundled file (scripts/lib/bundle-cli.mjs), or as tsc compiled it when a build
// made no bundle.
const bundle = require('node:path').join(__dirname, '..', 'dist', 'cli', 'main.bundle.js');
require(require('node:fs').existsSync(bundle) ? bundle : '../dist/cli/main.js')
  .main(process.argv.slice(2))
  .then(
    (code) => exitWhenWritten(code),
    (error) => {
      process.stderr.write(`lockstep: ${error && error.stack ? error.stack : error}\n`);
      exitWhenWritten(2);
    },
  );

/**
 * Exits once everything written to stdout and stderr is out (pipes are asynchronous on some
 * systems), without waiting for the rest: left to end by itself, Node tears V8's heap down and
 * waits for the compiler threads' optimisations of functions that will not run again, 12–18 ms
 * of a run at 5,148 files. A command is done when `main` settles: whatever it started and still
 * needs (a child process, a file write) it has awaited; the 'exit' handlers (the code cache) run.
 */
function exitWhenWritten(code) {
  let pending = 2;
  const written = () => {
    if (--pending === 0) process.exit(code);
  };
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.writableEnded || stream.destroyed) written();
    else stream.write('', written);
  }
}
