// Emits with ts-morph's TypeScript, the parser's own: one compiler to load, not two (loading one
// is ~0.15 s). Only the types come from the `typescript` package. Should the emitter throw on some
// input, the file counts as changed as a whole (see emitModule), never as unchanged.
import type * as TS from 'typescript';
import { typescriptApi } from '../extract/typescript-api';

/** Loaded on first use: a warm run with no changed source file never pays for the compiler. */
let ts: typeof TS;
function compiler(): typeof TS {
  ts ??= typescriptApi() as unknown as typeof TS;
  return ts;
}

/**
 * The runtime shape of one module: its JavaScript as `transpileModule` emits it, cut per
 * top-level declaration of the TypeScript source and printed without comments or layout, so two
 * versions can be compared declaration by declaration. Types, comments and whitespace vanish here.
 */
export interface EmittedModule {
  /** Declaration id (as the extractor names it) → its normalised JavaScript. */
  declarations: Map<string, EmittedDeclaration>;
  /** Anonymous runtime statements (`#<n>` ids) in source order, for order-insensitive matching. */
  anonymous: Array<{ id: string; text: string }>;
  /** Import local name → `specifier␀imported` ('*' for a namespace, 'default' for a default import). */
  importBindings: Map<string, string>;
  /** Specifiers of the imports and re-exports that survive emit, in order: what loading the module loads. */
  loads: string[];
  /** Exported name → what provides it (`decl:<id>`, `local:<name>` or `from:<specifier>:<name>`). */
  exports: Map<string, string>;
  /** `export * from` specifiers, in order. */
  starExports: string[];
  /** Runtime statements that run in order when the module loads (hoisted functions left out): ids, or the code of anonymous ones. */
  order: string[];
}

export interface EmittedDeclaration {
  text: string;
  /** Identifiers the emitted code mentions, to find declarations that use a changed import. */
  identifiers: Set<string>;
}

/** Workspace compiler options that change what `transpileModule` emits for one file. */
const EMIT_OPTION_KEYS = [
  'experimentalDecorators',
  'emitDecoratorMetadata',
  'useDefineForClassFields',
  'jsx',
  'jsxFactory',
  'jsxFragmentFactory',
  'jsxImportSource',
  'verbatimModuleSyntax',
  'esModuleInterop',
  'allowSyntheticDefaultImports',
] as const;

/** The workspace options `emitOptions` keeps, as a string: with the file's content id, what decides an emit (the compiler is not loaded). */
export function emitOptionsKey(compilerOptions: Record<string, unknown> = {}): string {
  return JSON.stringify(EMIT_OPTION_KEYS.map((key) => compilerOptions[key] ?? null));
}

/**
 * Keeps the options that shape per-file emit and fixes the rest: ES modules and ES2022 so the
 * output is stable across workspaces, and const enums preserved so a const enum edit shows up
 * (a full build inlines their values into every importer). Accepts tsconfig JSON values
 * (`"jsx": "react-jsx"`) or parsed enum values.
 */
export function emitOptions(compilerOptions: Record<string, unknown> = {}): TS.CompilerOptions {
  compiler();
  const picked: Record<string, unknown> = {};
  for (const key of EMIT_OPTION_KEYS) if (compilerOptions[key] !== undefined) picked[key] = compilerOptions[key];
  const converted =
    typeof picked.jsx === 'string' ? ts.convertCompilerOptionsFromJson({ jsx: picked.jsx }, '').options : {};
  return {
    ...(picked as TS.CompilerOptions),
    ...converted,
    jsx: (converted.jsx ?? picked.jsx ?? ts.JsxEmit.Preserve) as TS.JsxEmit,
    module: ts.ModuleKind.ESNext,
    target: ts.ScriptTarget.ES2022,
    preserveConstEnums: true,
    isolatedModules: true,
    removeComments: true,
    sourceMap: false,
    inlineSourceMap: false,
    declaration: false,
  };
}

// Long on purpose: one emit and one pass over its statements, cut into declarations as it goes.
/** Transpiles and cuts one file; returns undefined when it does not parse (or the compiler fails on it). */
export function emitModule(fileName: string, text: string, options: TS.CompilerOptions): EmittedModule | undefined {
  compiler();
  let emitted: TS.SourceFile | undefined;
  // The transformed file is kept and cut per statement below; the emitter is handed an empty
  // one, so `transpileModule` does not print the whole file only for the text to be dropped
  // (a fifth of an emit). Diagnostics are collected as before.
  const capture: TS.TransformerFactory<TS.SourceFile> = (context) => (sourceFile) => {
    emitted = sourceFile;
    return context.factory.updateSourceFile(sourceFile, []);
  };
  let output: TS.TranspileOutput;
  try {
    output = ts.transpileModule(text, {
      fileName,
      compilerOptions: options,
      reportDiagnostics: true,
      transformers: { after: [capture] },
    });
  } catch {
    return undefined; // treated like a file that does not parse: the whole file counts
  }
  if (
    (output.diagnostics ?? []).some(
      (diagnostic) => diagnostic.file && diagnostic.category === ts.DiagnosticCategory.Error,
    )
  )
    return undefined;
  if (!emitted) return undefined;

  const original = ts.getParseTreeNode(emitted) as TS.SourceFile | undefined;
  // Temporaries are named to avoid every identifier of the source: a name the source has is the user's.
  const sourceNames = new Set(text.match(TEMPORARY_NAME) ?? []);
  const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
  const result: EmittedModule = {
    declarations: new Map(),
    anonymous: [],
    importBindings: new Map(),
    loads: [],
    exports: new Map(),
    starExports: [],
    order: [],
  };
  const append = (id: string, statement: TS.Statement) => {
    const text = normaliseTemporaries(
      canonicalText(printer.printNode(ts.EmitHint.Unspecified, statement, emitted!)),
      sourceNames,
    );
    const identifiers = new Set<string>();
    collectIdentifiers(statement, identifiers);
    const existing = result.declarations.get(id);
    if (existing) {
      existing.text += `\n${text}`;
      for (const name of identifiers) existing.identifiers.add(name);
    } else {
      result.declarations.set(id, { text, identifiers });
    }
  };

  // Statements the transforms synthesise (a member decorator call, `export { C }` after a
  // decorated class) belong to the declaration emitted just before them.
  let currentId: string | undefined;
  for (const statement of emitted.statements) {
    if (statement.kind === ts.SyntaxKind.NotEmittedStatement) continue; // an erased type
    const top = topLevelStatement(statement, original);
    if (ts.isImportDeclaration(statement)) {
      recordImport(statement, result);
      currentId = undefined;
      continue;
    }
    if (ts.isImportEqualsDeclaration(statement) && ts.isExternalModuleReference(statement.moduleReference)) {
      const specifier = literalText(statement.moduleReference.expression) ?? '<expression>';
      result.loads.push(specifier);
      result.importBindings.set(statement.name.text, `${specifier}\0*`);
      currentId = undefined;
      continue;
    }
    if (ts.isExportDeclaration(statement)) {
      recordExport(statement, result);
      continue;
    }
    if (ts.isExportAssignment(statement) && ts.isIdentifier(statement.expression)) {
      result.exports.set(statement.isExportEquals ? 'export=' : 'default', `local:${statement.expression.text}`);
      continue;
    }
    const id = top && original ? statementId(top, original.statements.indexOf(top)) : currentId;
    if (id === undefined) continue; // a compiler temporary (`var _a;`) declared ahead of everything
    if (!ts.isFunctionDeclaration(statement) && id !== currentId) result.order.push(id);
    currentId = id;
    append(id, statement);
    recordDeclarationExports(statement, id, result);
  }
  for (const [id, declaration] of result.declarations) {
    if (id.startsWith('#')) result.anonymous.push({ id, text: declaration.text });
  }
  result.order = result.order.map((id) => (id.startsWith('#') ? `#${result.declarations.get(id)!.text}` : id));
  // `export { C }` and `export class C` provide the same thing: name it one way.
  for (const [name, provider] of result.exports) {
    if (provider.startsWith('local:') && result.declarations.has(provider.slice('local:'.length))) {
      result.exports.set(name, `decl:${provider.slice('local:'.length)}`);
    }
  }
  return result;
}

/**
 * The id the extractor (`summarizeModule`) gives a top-level statement; the two must agree so
 * a changed id can be looked up in a reach.
 */
export function statementId(statement: TS.Statement, index: number): string {
  compiler();
  if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) return statement.name?.text ?? 'default';
  if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement))
    return statement.name.text;
  if (ts.isModuleDeclaration(statement)) return ts.isIdentifier(statement.name) ? statement.name.text : `#${index}`;
  if (ts.isImportEqualsDeclaration(statement)) return statement.name.text;
  if (ts.isExportAssignment(statement)) return statement.isExportEquals ? 'export=' : 'default';
  if (ts.isVariableStatement(statement)) {
    const names: string[] = [];
    for (const declaration of statement.declarationList.declarations) bindingNames(declaration.name, names);
    return names[0] ?? `#${index}`;
  }
  return `#${index}`;
}

function topLevelStatement(statement: TS.Statement, original: TS.SourceFile | undefined): TS.Statement | undefined {
  let node: TS.Node | undefined = ts.getParseTreeNode(statement);
  while (node && node.parent && node.parent !== original) node = node.parent;
  return node && node.parent === original ? (node as TS.Statement) : undefined;
}

function recordImport(statement: TS.ImportDeclaration, result: EmittedModule): void {
  const specifier = literalText(statement.moduleSpecifier) ?? '<expression>';
  result.loads.push(specifier);
  const clause = statement.importClause;
  if (!clause) return;
  if (clause.name) result.importBindings.set(clause.name.text, `${specifier}\0default`);
  const named = clause.namedBindings;
  if (named && ts.isNamespaceImport(named)) result.importBindings.set(named.name.text, `${specifier}\0*`);
  else if (named) {
    for (const element of named.elements) {
      result.importBindings.set(element.name.text, `${specifier}\0${(element.propertyName ?? element.name).text}`);
    }
  }
}

function recordExport(statement: TS.ExportDeclaration, result: EmittedModule): void {
  const specifier = statement.moduleSpecifier ? (literalText(statement.moduleSpecifier) ?? '<expression>') : undefined;
  const clause = statement.exportClause;
  if (specifier !== undefined) {
    result.loads.push(specifier);
    if (!clause) result.starExports.push(specifier);
    else if (ts.isNamespaceExport(clause)) result.exports.set(clause.name.text, `from:${specifier}:*`);
    else
      for (const element of clause.elements)
        result.exports.set(element.name.text, `from:${specifier}:${(element.propertyName ?? element.name).text}`);
    return;
  }
  if (clause && ts.isNamedExports(clause)) {
    for (const element of clause.elements)
      result.exports.set(element.name.text, `local:${(element.propertyName ?? element.name).text}`);
  }
}

function recordDeclarationExports(statement: TS.Statement, id: string, result: EmittedModule): void {
  const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
  if (ts.isExportAssignment(statement)) {
    result.exports.set(statement.isExportEquals ? 'export=' : 'default', `decl:${id}`);
    return;
  }
  if (!modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) return;
  if (modifiers.some((modifier) => modifier.kind === ts.SyntaxKind.DefaultKeyword)) {
    result.exports.set('default', `decl:${id}`);
  } else if (ts.isVariableStatement(statement)) {
    const names: string[] = [];
    for (const declaration of statement.declarationList.declarations) bindingNames(declaration.name, names);
    for (const name of names) result.exports.set(name, `decl:${id}`);
  } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && statement.name) {
    result.exports.set(statement.name.text, `decl:${id}`);
  }
}

function bindingNames(name: TS.BindingName, into: string[]): void {
  if (ts.isIdentifier(name)) {
    into.push(name.text);
    return;
  }
  for (const element of name.elements) if (ts.isBindingElement(element)) bindingNames(element.name, into);
}

function collectIdentifiers(node: TS.Node, into: Set<string>): void {
  if (ts.isIdentifier(node)) into.add(node.text);
  ts.forEachChild(node, (child) => collectIdentifiers(child, into));
}

function literalText(node: TS.Node): string | undefined {
  return ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) ? node.text : undefined;
}

/**
 * The printer keeps some of the source's line breaks (a member access split over lines), so
 * reduce the printed code to its tokens: one space between tokens, strings in one quote style.
 */
function canonicalText(printed: string): string {
  const sourceFile = ts.createSourceFile('statement.jsx', printed, ts.ScriptTarget.Latest, true, ts.ScriptKind.JSX);
  const tokens: string[] = [];
  const walk = (node: TS.Node): void => {
    const children = node.getChildren(sourceFile);
    if (children.length > 0) {
      for (const child of children) walk(child);
      return;
    }
    if (node.kind === ts.SyntaxKind.EndOfFileToken) return;
    tokens.push(ts.isStringLiteral(node) ? JSON.stringify(node.text) : node.getText(sourceFile));
  };
  walk(sourceFile);
  return tokens.join(' ');
}

/**
 * Compiler temporaries (`_a`, `_b` for decorator metadata) are numbered per file, so adding one
 * decorated class would renumber another's; they carry no meaning of their own.
 */
function normaliseTemporaries(text: string, sourceNames: ReadonlySet<string>): string {
  return text.replace(TEMPORARY_NAME, (name) => (sourceNames.has(name) ? name : '_$tmp'));
}

/** Names the compiler may give its temporaries (also what `sameTokens` must see unchanged). */
export const TEMPORARY_NAME = /\b_[a-z](_\d+)?\b/g;

/** Bumped whenever `emitModule` or its JSON form changes: part of every remembered emit's key. */
export const EMIT_VERSION = 1;

/** `emitModule`'s result as plain JSON (null: the file does not parse), to be remembered per content. */
export type EmittedModuleJson = {
  declarations: Array<[id: string, text: string, identifiers: string[]]>;
  anonymous: Array<{ id: string; text: string }>;
  importBindings: Array<[string, string]>;
  loads: string[];
  exports: Array<[string, string]>;
  starExports: string[];
  order: string[];
} | null;

export function emittedToJson(emitted: EmittedModule | undefined): EmittedModuleJson {
  if (!emitted) return null;
  return {
    declarations: [...emitted.declarations].map(([id, declaration]) => [
      id,
      declaration.text,
      [...declaration.identifiers],
    ]),
    anonymous: emitted.anonymous,
    importBindings: [...emitted.importBindings],
    loads: emitted.loads,
    exports: [...emitted.exports],
    starExports: emitted.starExports,
    order: emitted.order,
  };
}

export function emittedFromJson(json: EmittedModuleJson): EmittedModule | undefined {
  if (!json) return undefined;
  return {
    declarations: new Map(
      json.declarations.map(([id, text, identifiers]) => [id, { text, identifiers: new Set(identifiers) }]),
    ),
    anonymous: json.anonymous,
    importBindings: new Map(json.importBindings),
    loads: json.loads,
    exports: new Map(json.exports),
    starExports: json.starExports,
    order: json.order,
  };
}

/** Whether a value read back from a cache has `EmittedModuleJson`'s shape (anything else is emitted again). */
export function isEmittedModuleJson(value: unknown): value is EmittedModuleJson {
  if (value === null) return true;
  if (!value || typeof value !== 'object') return false;
  const json = value as Record<string, unknown>;
  const strings = (list: unknown) => Array.isArray(list) && list.every((item) => typeof item === 'string');
  const pairs = (list: unknown) =>
    Array.isArray(list) &&
    list.every(
      (pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && typeof pair[1] === 'string',
    );
  return (
    Array.isArray(json.declarations) &&
    json.declarations.every(
      (entry) =>
        Array.isArray(entry) &&
        entry.length === 3 &&
        typeof entry[0] === 'string' &&
        typeof entry[1] === 'string' &&
        strings(entry[2]),
    ) &&
    Array.isArray(json.anonymous) &&
    json.anonymous.every(
      (entry) =>
        !!entry &&
        typeof (entry as { id?: unknown }).id === 'string' &&
        typeof (entry as { text?: unknown }).text === 'string',
    ) &&
    pairs(json.importBindings) &&
    strings(json.loads) &&
    pairs(json.exports) &&
    strings(json.starExports) &&
    strings(json.order)
  );
}
