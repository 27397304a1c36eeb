#!/usr/bin/env node
// Times TypeScript's parser (the compiler the engine loads) against oxc-parser on every .ts/.tsx
// source of a workspace, each parser in a fresh node process, so its first round is what a cold
// run pays (nothing compiled yet) and the later rounds what a warm process would. Each round
// parses every file and walks every node of its tree (`--parse-only`: parses and does not walk).
// Prints each parser's rounds and the first round's ratio to TypeScript's.
//
// oxc-parser is not a dependency of this project: install it in a folder of its own and pass
// that folder. Its raw transfer needs Node 22 or later (on Node 20 that row is skipped), e.g.
//
//   mkdir -p /tmp/oxc && (cd /tmp/oxc && npm init -y >/dev/null && npm i oxc-parser@0.160.0)
//   node scripts/measure-parsers.mjs --workspace /tmp/sw-bench/ws-5000-7 --oxc /tmp/oxc
//
// docs/benchmarks.md ("A parser other than TypeScript's, measured") has the results.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { installedCompilerPath } from './lib/compiler-fingerprint.mjs';

const { values } = parseArgs({
  options: {
    workspace: { type: 'string' },
    oxc: { type: 'string' },
    rounds: { type: 'string', default: '3' },
    'parse-only': { type: 'boolean', default: false },
    // Internal: the child process that times one parser.
    child: { type: 'string' },
  },
});
const usage = 'usage: node scripts/measure-parsers.mjs --workspace WS [--oxc FOLDER] [--rounds N] [--parse-only]\n';
if (!values.workspace || !(Number(values.rounds) >= 1)) {
  process.stderr.write(usage);
  process.exit(2);
}
const workspace = resolve(values.workspace);
const rounds = Number(values.rounds);

if (values.child) {
  timeOne(values.child);
} else {
  const parsers = ['typescript'];
  if (values.oxc) parsers.push('oxc-json', 'oxc-raw');
  const rows = [];
  for (const parser of parsers) {
    const run = spawnSync(
      process.execPath,
      [fileURLToPath(import.meta.url), ...process.argv.slice(2), '--child', parser],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      },
    );
    if (run.status !== 0) throw new Error(`${parser} failed:\n${run.stderr}`);
    const result = JSON.parse(run.stdout);
    if (result.skipped) {
      process.stdout.write(`${parser}: skipped (${result.skipped})\n`);
      continue;
    }
    rows.push({ parser, ...result });
  }
  const first = rows[0].ms[0];
  process.stdout.write(`${rows[0].files} files, ${rows[0].chars} characters, node ${process.version}\n`);
  for (const row of rows) {
    process.stdout.write(
      `${row.parser.padEnd(10)} rounds ${row.ms.map((ms) => ms.toFixed(0)).join(' / ')} ms, ` +
        `${row.nodes} nodes a round; first round ${(row.ms[0] / first).toFixed(2)}× TypeScript's\n`,
    );
  }
}

/** In the child: reads the files, loads the parser, times `rounds` passes; prints JSON. */
function timeOne(parser) {
  const paths = execFileSync('git', ['ls-files', '-z', '--', '*.ts', '*.tsx'], { cwd: workspace, maxBuffer: 1 << 28 })
    .toString('utf8')
    .split('\0')
    .filter((path) => path.length > 0 && !path.endsWith('.d.ts'));
  const files = paths.map((path) => [path, readFileSync(join(workspace, path), 'utf8')]);
  const parseOnly = values['parse-only'];
  let parseFile;
  if (parser === 'typescript') {
    // The compiler the engine loads, resolved from this repository wherever the script is run.
    const ts = createRequire(import.meta.url)(installedCompilerPath());
    const options = { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseNone };
    parseFile = (path, text) => {
      const sourceFile = ts.createSourceFile(path, text, options, false);
      if (parseOnly) return sourceFile.statements.length;
      let nodes = 0;
      const visit = (node) => {
        nodes++;
        ts.forEachChild(node, visit);
      };
      ts.forEachChild(sourceFile, visit);
      return nodes;
    };
  } else {
    const raw = parser === 'oxc-raw';
    if (raw && Number(process.versions.node.split('.')[0]) < 22) {
      process.stdout.write(JSON.stringify({ skipped: 'raw transfer needs Node 22 or later' }));
      return;
    }
    const require = createRequire(join(resolve(values.oxc), 'package.json'));
    const { parseSync } = require('oxc-parser');
    parseFile = (path, text) => {
      const { program } = parseSync(path, text, { experimentalRawTransfer: raw, preserveParens: false });
      return parseOnly ? program.body.length : walkEstree(program);
    };
  }
  const ms = [];
  let nodes = 0;
  for (let round = 0; round < rounds; round++) {
    const started = performance.now();
    nodes = 0;
    for (const [path, text] of files) nodes += parseFile(path, text);
    ms.push(performance.now() - started);
  }
  const chars = files.reduce((sum, [, text]) => sum + text.length, 0);
  process.stdout.write(JSON.stringify({ files: files.length, chars, nodes, ms }));
}

/** Every node of an ESTree tree (objects with a string `type`), as forEachChild would visit them. */
function walkEstree(root) {
  let nodes = 0;
  const visit = (value) => {
    if (value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    if (typeof value.type !== 'string') return;
    nodes++;
    for (const key in value) {
      if (key === 'type' || key === 'start' || key === 'end' || key === 'parent') continue;
      const child = value[key];
      if (child !== null && typeof child === 'object') visit(child);
    }
  };
  visit(root);
  return nodes;
}
