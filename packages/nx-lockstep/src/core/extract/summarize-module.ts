import type { ts } from 'ts-morph';
import { typescriptApi } from './typescript-api';
import { entersType, namespaceMembersOf, recordNamespaceUse, type NamespaceUses } from '../symbols/namespace-members';
import type {
  ImportBinding,
  ImportKind,
  ImportRecord,
  LocalExport,
  ModuleSummary,
  TopLevelDeclaration,
} from '../module-summary';

/**
 * Bump when the shape or the meaning of a ModuleSummary changes: the parse cache is keyed by it,
 * so summaries written by an older extractor are never trusted.
 */
export const EXTRACTOR_VERSION = 4;

// Long on purpose: one walk per statement, with the walk's state shared by closures instead of
// objects passed around — the extractor runs on every reached file (tens of thousands at 50k files).
/**
 * Summarises one source file with a purely syntactic parse (no Program, no type checker):
 * imports and re-exports, local exports and top-level declarations with what they reference.
 */
export function summarizeModule(fileName: string, text: string): ModuleSummary {
  t ??= typescriptApi();
  // JSDoc is never needed here: skipping it makes parsing measurably cheaper.
  const sourceFile = t.createSourceFile(
    fileName,
    text,
    { languageVersion: t.ScriptTarget.Latest, jsDocParsingMode: t.JSDocParsingMode.ParseNone },
    false,
    scriptKindOf(fileName),
  );
  const lineOf = (node: ts.Node) => sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1;
  const imports: ImportRecord[] = [];
  const exports: LocalExport[] = [];
  const declarations = new Map<string, TopLevelDeclaration>();
  const dynamicUnknown: string[] = [];
  const localExportNames: Array<{ name: string; local: string; typeOnly: boolean }> = [];
  const importLocals = new Set<string>();

  const addImport = (
    specifier: string,
    kind: ImportKind,
    typeOnly: boolean,
    bindings: ImportBinding[],
    node: ts.Node,
  ) => {
    imports.push({ specifier, kind, typeOnly, bindings, line: lineOf(node) });
  };
  /** The declaration each statement adds to (one statement adds to one at most). */
  const declarationOfStatement = new Map<ts.Node, TopLevelDeclaration>();
  const addDeclaration = (declaration: TopLevelDeclaration, node: ts.Node) => {
    // Overloads, merged interfaces and namespaces share one id: keep one entry.
    const existing = declarations.get(declaration.id);
    if (existing) {
      existing.sideEffect ||= declaration.sideEffect;
      existing.typeOnly &&= declaration.typeOnly;
      for (const name of declaration.names) if (!existing.names.includes(name)) existing.names.push(name);
    } else {
      declarations.set(declaration.id, declaration);
    }
    declarationOfStatement.set(node, declarations.get(declaration.id)!);
  };

  // The per-statement walk (the long part of summarizeModule, for the reason above).
  sourceFile.statements.forEach((statement, index) => {
    if (t.isImportDeclaration(statement)) {
      const specifier = literalText(statement.moduleSpecifier);
      if (specifier === undefined) return;
      const clause = statement.importClause;
      if (!clause) {
        addImport(specifier, 'side-effect', false, [], statement);
        return;
      }
      const clauseTypeOnly = clause.isTypeOnly;
      const bindings: ImportBinding[] = [];
      if (clause.name) bindings.push({ local: clause.name.text, imported: 'default', typeOnly: clauseTypeOnly });
      const named = clause.namedBindings;
      if (named && t.isNamespaceImport(named)) {
        bindings.push({ local: named.name.text, imported: '*', typeOnly: clauseTypeOnly });
      } else if (named) {
        for (const element of named.elements) {
          bindings.push({
            local: element.name.text,
            imported: moduleExportName(element.propertyName ?? element.name),
            typeOnly: clauseTypeOnly || element.isTypeOnly,
          });
        }
      }
      for (const binding of bindings) importLocals.add(binding.local);
      addImport(specifier, 'static', clauseTypeOnly, bindings, statement);
      return;
    }
    if (t.isImportEqualsDeclaration(statement)) {
      const reference = statement.moduleReference;
      if (t.isExternalModuleReference(reference)) {
        const specifier = literalText(reference.expression);
        if (specifier === undefined) {
          dynamicUnknown.push(`import ${statement.name.text} = require(<expression>) at line ${lineOf(statement)}`);
          return;
        }
        importLocals.add(statement.name.text);
        addImport(
          specifier,
          'import-equals',
          statement.isTypeOnly,
          [{ local: statement.name.text, imported: '*', typeOnly: statement.isTypeOnly }],
          statement,
        );
        if (hasModifier(statement, t.SyntaxKind.ExportKeyword)) {
          localExportNames.push({
            name: statement.name.text,
            local: statement.name.text,
            typeOnly: statement.isTypeOnly,
          });
        }
      } else {
        // `import A = B.C`: an alias declaration that references B.
        addDeclaration(
          {
            id: statement.name.text,
            names: [statement.name.text],
            references: [],
            sideEffect: false,
            typeOnly: statement.isTypeOnly,
            line: lineOf(statement),
          },
          statement,
        );
      }
      return;
    }
    if (t.isExportDeclaration(statement)) {
      const typeOnly = statement.isTypeOnly;
      const clause = statement.exportClause;
      if (statement.moduleSpecifier) {
        const specifier = literalText(statement.moduleSpecifier);
        if (specifier === undefined) return;
        if (!clause) {
          addImport(specifier, 're-export-all', typeOnly, [], statement);
        } else if (t.isNamespaceExport(clause)) {
          addImport(
            specifier,
            're-export',
            typeOnly,
            [{ local: '', imported: '*', exportedAs: moduleExportName(clause.name), typeOnly }],
            statement,
          );
        } else {
          const bindings = clause.elements.map((element) => ({
            local: '',
            imported: moduleExportName(element.propertyName ?? element.name),
            exportedAs: moduleExportName(element.name),
            typeOnly: typeOnly || element.isTypeOnly,
          }));
          addImport(specifier, 're-export', typeOnly, bindings, statement);
        }
      } else if (clause && t.isNamedExports(clause)) {
        for (const element of clause.elements) {
          localExportNames.push({
            name: moduleExportName(element.name),
            local: moduleExportName(element.propertyName ?? element.name),
            typeOnly: typeOnly || element.isTypeOnly,
          });
        }
      }
      return;
    }
    if (t.isExportAssignment(statement)) {
      const expression = skipWrappers(statement.expression);
      const name = statement.isExportEquals ? 'export=' : 'default';
      if (t.isIdentifier(expression)) {
        localExportNames.push({ name, local: expression.text, typeOnly: false });
      } else {
        addDeclaration(
          {
            id: name,
            names: [],
            references: [],
            sideEffect: !isPure(expression),
            typeOnly: false,
            line: lineOf(statement),
          },
          statement,
        );
        exports.push({ name, declaration: name, typeOnly: false });
      }
      return;
    }
    const declared = declaredNames(statement, index);
    if (declared) {
      addDeclaration(
        {
          id: declared.id,
          names: declared.names,
          references: [],
          sideEffect: declared.sideEffect,
          typeOnly: declared.typeOnly,
          line: lineOf(statement),
        },
        statement,
      );
      if (hasModifier(statement, t.SyntaxKind.ExportKeyword)) {
        const isDefault = hasModifier(statement, t.SyntaxKind.DefaultKeyword);
        if (isDefault) exports.push({ name: 'default', declaration: declared.id, typeOnly: declared.typeOnly });
        else
          for (const name of declared.names)
            exports.push({ name, declaration: declared.id, typeOnly: declared.typeOnly });
      }
      return;
    }
    addDeclaration(
      {
        id: `#${index}`,
        names: [],
        references: [],
        sideEffect: !t.isEmptyStatement(statement),
        typeOnly: false,
        line: lineOf(statement),
      },
      statement,
    );
  });

  const topLevelNames = new Set<string>(importLocals);
  const declarationByName = new Map<string, string>();
  for (const declaration of declarations.values()) {
    for (const name of declaration.names) {
      topLevelNames.add(name);
      declarationByName.set(name, declaration.id);
    }
  }
  const namespaceUses = new Map<TopLevelDeclaration, NamespaceUses>();
  for (const declaration of declarationOfStatement.values())
    if (!namespaceUses.has(declaration)) namespaceUses.set(declaration, new Map());

  // One walk per statement does three jobs: the top-level names its declaration references, its
  // `ns.member` uses (symbol precision follows those members only), and the dynamic imports,
  // require() calls and `import('x')` types, which can appear anywhere in the file. The walk state
  // lives in these variables, saved and restored around each level, so no closure is made per node.
  let currentDeclaration: string | undefined;
  let references: Set<string> | undefined;
  let uses: NamespaceUses | undefined;
  let parent: ts.Node | undefined;
  let inType = false;
  // Import elision (what TypeScript and esbuild do to TS files): import locals used as values,
  // and whether decorators (metadata may name a type) or JSX (a factory named by config) occur.
  const valueUsed = new Set<string>();
  const typeUsed = new Set<string>();
  let sawDecorator = false;
  let sawJsx = false;
  const visit = (node: ts.Node): undefined => {
    const kind = node.kind;
    if (kind === t.SyntaxKind.Identifier) {
      const text = (node as ts.Identifier).text;
      if (importLocals.has(text) && !isPropertyNamePosition(node as ts.Identifier, parent))
        (inType ? typeUsed : valueUsed).add(text);
      // Import locals are top-level names too, and `uses` is only set along with `references`.
      if (references !== undefined && topLevelNames.has(text)) {
        if (!isPropertyNamePosition(node as ts.Identifier, parent)) references.add(text);
        if (uses !== undefined && parent !== undefined && importLocals.has(text))
          recordNamespaceUse(node as ts.Identifier, parent, inType, uses);
      }
      if (text === 'eval') dynamicUnknown.push(`eval at line ${lineOf(node)}`);
      return undefined;
    }
    if (kind === t.SyntaxKind.CallExpression) {
      const call = node as ts.CallExpression;
      const callee = call.expression;
      const isImportCall = callee.kind === t.SyntaxKind.ImportKeyword;
      const isRequire = t.isIdentifier(callee) && callee.text === 'require' && call.arguments.length === 1;
      if (isImportCall || isRequire) {
        const specifier = call.arguments[0] && literalText(call.arguments[0]);
        if (specifier !== undefined) {
          addImport(
            specifier,
            isImportCall ? 'dynamic' : 'require',
            false,
            [{ local: '', imported: '*', typeOnly: false }],
            node,
          );
          // The declaration whose code makes the call: the target ships only when it is reached.
          if (currentDeclaration !== undefined) imports[imports.length - 1].declaration = currentDeclaration;
        } else {
          dynamicUnknown.push(`${isImportCall ? 'import' : 'require'}(<expression>) at line ${lineOf(node)}`);
        }
      }
    } else if (kind === t.SyntaxKind.Decorator) {
      sawDecorator = true;
    } else if (
      kind === t.SyntaxKind.JsxElement ||
      kind === t.SyntaxKind.JsxSelfClosingElement ||
      kind === t.SyntaxKind.JsxFragment
    ) {
      sawJsx = true;
    } else if (kind === t.SyntaxKind.ImportType) {
      const argument = (node as ts.ImportTypeNode).argument;
      if (t.isLiteralTypeNode(argument) && t.isStringLiteral(argument.literal)) {
        addImport(argument.literal.text, 'dynamic', true, [{ local: '', imported: '*', typeOnly: true }], node);
      }
    }
    const outerParent = parent;
    const outerInType = inType;
    parent = node;
    inType ||= entersType(node);
    t.forEachChild(node, visit);
    parent = outerParent;
    inType = outerInType;
    return undefined;
  };
  for (const statement of sourceFile.statements) {
    if (t.isImportDeclaration(statement) || t.isExportDeclaration(statement)) continue;
    const declaration = declarationOfStatement.get(statement);
    currentDeclaration = declaration?.id;
    references = declaration && new Set(declaration.references);
    uses = declaration && importLocals.size > 0 ? namespaceUses.get(declaration) : undefined;
    parent = undefined;
    inType = false;
    visit(statement);
    if (declaration && references) {
      for (const name of declaration.names) references.delete(name);
      declaration.references = [...references];
    }
  }
  if (/\.[cm]?tsx?$/.test(fileName) && !sawDecorator) {
    for (const entry of localExportNames) valueUsed.add(entry.local);
    markElidedBindings(imports, valueUsed, typeUsed, sawJsx);
  }
  for (const [declaration, declarationUses] of namespaceUses) {
    const members = namespaceMembersOf(declarationUses);
    if (members) declaration.namespaceMembers = members;
  }
  for (const entry of localExportNames) {
    exports.push({
      name: entry.name,
      declaration: declarationByName.get(entry.local) ?? entry.local,
      typeOnly: entry.typeOnly,
    });
  }

  const diagnostics = (sourceFile as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
  const parseErrors = diagnostics.map((diagnostic) => {
    const line =
      diagnostic.start === undefined ? 0 : sourceFile.getLineAndCharacterOfPosition(diagnostic.start).line + 1;
    return `line ${line}: ${t.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  });

  imports.sort((a, b) => a.line - b.line);
  return { imports, exports, declarations: [...declarations.values()], parseErrors, dynamicUnknown };
}

/**
 * A named or default import binding of a TS file used in types and never as a value is erased by
 * TypeScript and esbuild (import elision), as if written `import type`: marked typeOnly, so
 * the module it names is not loaded for it and an installed package imported only for types
 * does not ship (unless verbatimModuleSyntax, which the import graph and symbol reach heed).
 * With JSX, the default and namespace imports and the usual factory names stay (the classic
 * runtime calls `React.createElement`, `h`, … that no identifier names).
 */
function markElidedBindings(
  imports: ImportRecord[],
  valueUsed: ReadonlySet<string>,
  typeUsed: ReadonlySet<string>,
  sawJsx: boolean,
): void {
  for (const record of imports) {
    if (record.kind !== 'static' || record.typeOnly) continue;
    for (const binding of record.bindings) {
      // Only bindings used as types: an import used nowhere is left alone (safe, and rare).
      if (binding.typeOnly || valueUsed.has(binding.local) || !typeUsed.has(binding.local)) continue;
      if (sawJsx && (binding.imported === 'default' || binding.imported === '*' || JSX_NAMES.has(binding.local)))
        continue;
      binding.typeOnly = true;
    }
  }
}

const JSX_NAMES = new Set(['React', 'h', 'jsx', 'jsxs', 'createElement', 'Fragment', 'Preact']);

/** Set on the first summarizeModule call; the helpers below run only inside it. */
let t: typeof ts;

function scriptKindOf(fileName: string): ts.ScriptKind {
  if (/\.(tsx)$/.test(fileName)) return t.ScriptKind.TSX;
  if (/\.(jsx)$/.test(fileName)) return t.ScriptKind.JSX;
  if (/\.(js|mjs|cjs)$/.test(fileName)) return t.ScriptKind.JS;
  return t.ScriptKind.TS;
}

function literalText(node: ts.Node): string | undefined {
  return t.isStringLiteral(node) || t.isNoSubstitutionTemplateLiteral(node) ? node.text : undefined;
}

function moduleExportName(node: ts.Identifier | ts.StringLiteral | ts.ModuleExportName): string {
  return (node as ts.Identifier | ts.StringLiteral).text;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  if (!t.canHaveModifiers(node)) return false;
  // Scanned directly: `ts.getModifiers` computes the modifier flags and copies the array first.
  // A decorator never has a modifier keyword's kind, so the answer is the same.
  const modifiers = node.modifiers;
  if (modifiers === undefined) return false;
  for (const modifier of modifiers) if (modifier.kind === kind) return true;
  return false;
}

function declaredNames(
  statement: ts.Statement,
  index: number,
): { id: string; names: string[]; sideEffect: boolean; typeOnly: boolean } | undefined {
  const ambient = hasModifier(statement, t.SyntaxKind.DeclareKeyword);
  if (t.isFunctionDeclaration(statement)) {
    const name = statement.name?.text;
    return {
      id: name ?? 'default',
      names: name ? [name] : [],
      sideEffect: false,
      typeOnly: ambient || !statement.body,
    };
  }
  if (t.isClassDeclaration(statement)) {
    const name = statement.name?.text;
    // Decorators and static blocks run when the module loads.
    const runsCode =
      hasDecorators(statement) ||
      statement.members.some(
        (member) =>
          t.isClassStaticBlockDeclaration(member) ||
          (t.isPropertyDeclaration(member) &&
            hasModifier(member, t.SyntaxKind.StaticKeyword) &&
            !!member.initializer &&
            !isPure(member.initializer)) ||
          hasDecorators(member),
      );
    return { id: name ?? 'default', names: name ? [name] : [], sideEffect: runsCode && !ambient, typeOnly: ambient };
  }
  if (t.isInterfaceDeclaration(statement) || t.isTypeAliasDeclaration(statement)) {
    return { id: statement.name.text, names: [statement.name.text], sideEffect: false, typeOnly: true };
  }
  if (t.isEnumDeclaration(statement)) {
    return { id: statement.name.text, names: [statement.name.text], sideEffect: false, typeOnly: ambient };
  }
  if (t.isModuleDeclaration(statement)) {
    const name = t.isIdentifier(statement.name) ? statement.name.text : `#${index}`;
    return {
      id: name,
      names: t.isIdentifier(statement.name) ? [name] : [],
      sideEffect: false,
      typeOnly: ambient || !t.isIdentifier(statement.name),
    };
  }
  if (t.isVariableStatement(statement)) {
    const names: string[] = [];
    for (const declaration of statement.declarationList.declarations) collectBindingNames(declaration.name, names);
    const pure = statement.declarationList.declarations.every(
      (declaration) => !declaration.initializer || isPure(declaration.initializer),
    );
    const destructures = statement.declarationList.declarations.some(
      (declaration) => !t.isIdentifier(declaration.name),
    );
    return {
      id: names[0] ?? `#${index}`,
      names,
      sideEffect: !ambient && (!pure || destructures),
      typeOnly: ambient,
    };
  }
  return undefined;
}

function hasDecorators(node: ts.Node): boolean {
  return t.canHaveDecorators(node) && (t.getDecorators(node)?.length ?? 0) > 0;
}

function collectBindingNames(name: ts.BindingName, into: string[]): void {
  if (t.isIdentifier(name)) {
    into.push(name.text);
    return;
  }
  for (const element of name.elements) {
    if (t.isBindingElement(element)) collectBindingNames(element.name, into);
  }
}

function skipWrappers(expression: ts.Expression): ts.Expression {
  let current = expression;
  while (
    t.isParenthesizedExpression(current) ||
    t.isAsExpression(current) ||
    t.isSatisfiesExpression(current) ||
    t.isTypeAssertionExpression(current) ||
    t.isNonNullExpression(current)
  ) {
    current = current.expression;
  }
  return current;
}

/** True when evaluating the expression at module load cannot run user code. */
function isPure(node: ts.Expression): boolean {
  const expression = skipWrappers(node);
  switch (expression.kind) {
    case t.SyntaxKind.StringLiteral:
    case t.SyntaxKind.NumericLiteral:
    case t.SyntaxKind.BigIntLiteral:
    case t.SyntaxKind.NoSubstitutionTemplateLiteral:
    case t.SyntaxKind.RegularExpressionLiteral:
    case t.SyntaxKind.TrueKeyword:
    case t.SyntaxKind.FalseKeyword:
    case t.SyntaxKind.NullKeyword:
    case t.SyntaxKind.Identifier:
    case t.SyntaxKind.FunctionExpression:
    case t.SyntaxKind.ArrowFunction:
      return true;
    case t.SyntaxKind.ClassExpression:
      return !hasDecorators(expression);
    case t.SyntaxKind.PrefixUnaryExpression:
      return isPure((expression as ts.PrefixUnaryExpression).operand);
    case t.SyntaxKind.TemplateExpression:
      return (expression as ts.TemplateExpression).templateSpans.every((span) => isPure(span.expression));
    case t.SyntaxKind.ArrayLiteralExpression:
      return (expression as ts.ArrayLiteralExpression).elements.every(
        (element) => !t.isSpreadElement(element) && isPure(element),
      );
    case t.SyntaxKind.ObjectLiteralExpression:
      return (expression as ts.ObjectLiteralExpression).properties.every((property) => {
        if (t.isPropertyAssignment(property))
          return !t.isComputedPropertyName(property.name) && isPure(property.initializer);
        return (
          t.isShorthandPropertyAssignment(property) ||
          t.isMethodDeclaration(property) ||
          t.isGetAccessorDeclaration(property) ||
          t.isSetAccessorDeclaration(property)
        );
      });
    default:
      return false;
  }
}

function isPropertyNamePosition(identifier: ts.Identifier, parent: ts.Node | undefined): boolean {
  if (!parent) return false;
  switch (parent.kind) {
    case t.SyntaxKind.PropertyAccessExpression:
    case t.SyntaxKind.PropertyAssignment:
    case t.SyntaxKind.PropertyDeclaration:
    case t.SyntaxKind.PropertySignature:
    case t.SyntaxKind.MethodDeclaration:
    case t.SyntaxKind.MethodSignature:
    case t.SyntaxKind.GetAccessor:
    case t.SyntaxKind.SetAccessor:
    case t.SyntaxKind.EnumMember:
      return (parent as ts.NamedDeclaration | ts.PropertyAccessExpression).name === identifier;
    case t.SyntaxKind.QualifiedName:
      return (parent as ts.QualifiedName).right === identifier;
    default:
      return false;
  }
}
