// What a compiler makes of one source file, as one string: every node of its parse tree (kind,
// positions, flags), its parse errors, and its JavaScript as `transpileModule` emits it with the
// engine's fixed options and with decorators and JSX on (`throws: …` where the emitter throws).
// Two compilers that give every file the same fingerprint give the engine the same summaries and
// emits: test/minified-compiler.spec.ts and scripts/compare-compiler-copy.mjs compare ts-morph's
// compiler with the build's minified copy of it (scripts/lib/minify-compiler.mjs) this way.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The compiler the engine loads (src/core/extract/typescript-api.ts): ts-morph's own, resolved from
 * ts-morph's folder as installed for this repository (the build minifies it, the scripts time it).
 */
export function installedCompilerPath() {
  return require.resolve('@ts-morph/common/dist/typescript.js', { paths: [require.resolve('ts-morph/package.json')] });
}

/** ts-morph's compiler as installed, and the copy in `vendorFolder` (each a module of its own). */
export function loadCompilers(vendorFolder) {
  return { original: require(installedCompilerPath()), copy: require(join(vendorFolder, 'typescript.min.js')) };
}

export function fingerprint(ts, fileName, text) {
  const sourceFile = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const nodes = [];
  const visit = (node) => {
    nodes.push(node.kind, node.pos, node.end, node.flags);
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  const errors = sourceFile.parseDiagnostics.map((diagnostic) => [
    diagnostic.start,
    diagnostic.code,
    diagnostic.messageText,
  ]);
  const emits = [{}, { experimentalDecorators: true, emitDecoratorMetadata: true, jsx: ts.JsxEmit.ReactJSX }].map(
    (options) => {
      try {
        return ts.transpileModule(text, {
          fileName,
          reportDiagnostics: true,
          compilerOptions: {
            ...options,
            module: ts.ModuleKind.ESNext,
            target: ts.ScriptTarget.ES2022,
            isolatedModules: true,
            removeComments: true,
            preserveConstEnums: true,
          },
        }).outputText;
      } catch (error) {
        return `throws: ${error.message}`;
      }
    },
  );
  return JSON.stringify([nodes, errors, emits]);
}
