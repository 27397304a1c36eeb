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
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    process.stderr.write(`lockstep: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 2;
  });
