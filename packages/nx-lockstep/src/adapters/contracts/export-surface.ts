import { Node, type ModuleDeclaration, type SourceFile } from 'ts-morph';

/** What an exported name is, per meaning: a consumer may use its type, its value, or both. */
export type TypeKind = 'interface' | 'type' | 'class' | 'enum';
export type ValueKind = 'class' | 'enum' | 'function' | 'variable';

export interface ExportedName {
  /** As consumers import it: `User`, `default`, `models.User` for a namespace member. */
  name: string;
  /** The property path after the namespace import in the probe (`B.models.User`). */
  access: string;
  typeKind?: TypeKind;
  valueKind?: ValueKind;
  /** A `let`/`var` export: consumers may assign it too. */
  mutable: boolean;
  declarations: Node[];
  /** Virtual path and 1-based line of the first declaration. */
  file: string;
  line: number;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/**
 * Every name the entry file exports, following `export *`, `export { x } from`, `export * as ns` and
 * `export namespace` (whose members become `ns.member`), as ts-morph's binder sees it.
 */
export function exportedNames(entry: SourceFile): Map<string, ExportedName> {
  const out = new Map<string, ExportedName>();
  collect(entry, '', out, 0);
  return out;
}

function collect(container: SourceFile | Node, prefix: string, out: Map<string, ExportedName>, depth: number): void {
  const exported =
    Node.isSourceFile(container) || Node.isModuleDeclaration(container)
      ? container.getExportedDeclarations()
      : undefined;
  if (!exported) return;
  for (const [name, declarations] of exported) {
    if (!IDENTIFIER.test(name) || declarations.length === 0) continue;
    const qualified = prefix + name;
    const namespaces = declarations.filter(
      (node): node is SourceFile | ModuleDeclaration => Node.isSourceFile(node) || Node.isModuleDeclaration(node),
    );
    // A namespace's members are exports of their own; depth bounds a namespace that re-exports itself.
    if (depth < 4) for (const namespace of namespaces) collect(namespace, `${qualified}.`, out, depth + 1);
    const entry = describe(
      qualified,
      declarations.filter((node) => !namespaces.includes(node as SourceFile)),
    );
    if (entry) out.set(qualified, entry);
  }
}

function describe(name: string, declarations: Node[]): ExportedName | undefined {
  let typeKind: TypeKind | undefined;
  let valueKind: ValueKind | undefined;
  let mutable = false;
  for (const node of declarations) {
    if (Node.isInterfaceDeclaration(node)) typeKind ??= 'interface';
    else if (Node.isTypeAliasDeclaration(node)) typeKind ??= 'type';
    else if (Node.isClassDeclaration(node)) [typeKind, valueKind] = ['class', 'class'];
    else if (Node.isEnumDeclaration(node)) [typeKind, valueKind] = ['enum', 'enum'];
    else if (Node.isFunctionDeclaration(node)) valueKind ??= 'function';
    else if (Node.isVariableDeclaration(node)) {
      valueKind ??= 'variable';
      mutable ||= node.getVariableStatement()?.getDeclarationKind() !== 'const';
    } else if (Node.isExpression(node)) valueKind ??= 'variable';
  }
  if (!typeKind && !valueKind) return undefined;
  const first = declarations[0];
  return {
    name,
    access: name,
    typeKind,
    valueKind,
    mutable,
    declarations,
    file: first.getSourceFile().getFilePath(),
    line: first.getStartLineNumber(),
  };
}
