import { Node, SyntaxKind, type Symbol as MorphSymbol } from 'ts-morph';
import type { ExportedName } from './export-surface';

/** `out`: consumers receive it (return values, read properties); `in`: consumers pass it in. */
export type Polarity = 'in' | 'out';

/** Per declaration, the positions the exported API uses it in, each with the first export that does. */
export type Positions = Map<Node, Partial<Record<Polarity, string>>>;

const flip = (polarity: Polarity): Polarity => (polarity === 'in' ? 'out' : 'in');

/**
 * How the exported API uses each type: walks the signatures of every exported function, class and
 * variable (never their bodies), flipping at each parameter, through type references into the
 * library's own declarations. A type no export uses in a signature gets no position: the caller
 * then checks both directions.
 */
export function apiPositions(exports: Iterable<ExportedName>): Positions {
  const positions: Positions = new Map();
  const visit = (declaration: Node, polarity: Polarity, via: string): void => {
    if (!/^\/(base|head)\//.test(declaration.getSourceFile().getFilePath())) return;
    const record = positions.get(declaration) ?? {};
    if (record[polarity] !== undefined) return;
    record[polarity] = via;
    positions.set(declaration, record);
    visitMembers(declaration, polarity, via);
  };
  const walk = (node: Node | undefined, polarity: Polarity, via: string): void => {
    if (!node || Node.isBlock(node)) return;
    if (Node.isParameterDeclaration(node)) return walk(node.getTypeNode(), flip(polarity), via);
    if (Node.isTypeReference(node) || Node.isExpressionWithTypeArguments(node) || Node.isTypeQuery(node)) {
      const name = Node.isTypeReference(node)
        ? node.getTypeName()
        : Node.isTypeQuery(node)
          ? node.getExprName()
          : node.getExpression();
      for (const declaration of declarationsOf(rightmost(name).getSymbol())) visit(declaration, polarity, via);
    }
    if (Node.isPropertyDeclaration(node) || Node.isPropertySignature(node)) {
      // A class's writable property is read and written by consumers: both directions.
      const writable = Node.isPropertyDeclaration(node) && !node.isReadonly();
      walk(node.getTypeNode(), polarity, via);
      if (writable) walk(node.getTypeNode(), flip(polarity), via);
      return;
    }
    if (Node.isSetAccessorDeclaration(node)) return node.getParameters().forEach((p) => walk(p, polarity, via));
    node.forEachChild((child) => walk(child, polarity, via));
  };
  const visitMembers = (declaration: Node, polarity: Polarity, via: string): void => {
    if (Node.isInterfaceDeclaration(declaration)) {
      declaration.getHeritageClauses().forEach((clause) => walk(clause, polarity, via));
      declaration.getMembers().forEach((member) => walk(member, polarity, via));
    } else if (Node.isTypeAliasDeclaration(declaration)) {
      walk(declaration.getTypeNode(), polarity, via);
    } else if (Node.isClassDeclaration(declaration)) {
      declaration.getHeritageClauses().forEach((clause) => walk(clause, polarity, via));
      for (const member of declaration.getMembers()) {
        if (
          Node.isModifierable(member) &&
          (member.hasModifier(SyntaxKind.PrivateKeyword) || member.hasModifier(SyntaxKind.ProtectedKeyword))
        )
          continue;
        if (Node.isConstructorDeclaration(member)) member.getParameters().forEach((p) => walk(p, 'out', via));
        else walk(member, polarity, via);
      }
    } else if (Node.isFunctionDeclaration(declaration) || Node.isVariableDeclaration(declaration)) {
      walk(declaration, polarity, via);
    }
  };
  for (const entry of exports) {
    if (!entry.valueKind) continue;
    for (const declaration of entry.declarations) {
      if (Node.isInterfaceDeclaration(declaration) || Node.isTypeAliasDeclaration(declaration)) continue;
      visit(declaration, 'out', entry.name);
      if (entry.mutable) visit(declaration, 'in', entry.name);
    }
  }
  return positions;
}

function rightmost(name: Node): Node {
  if (Node.isQualifiedName(name)) return name.getRight();
  if (Node.isPropertyAccessExpression(name)) return name.getNameNode();
  return name;
}

function declarationsOf(symbol: MorphSymbol | undefined): Node[] {
  if (!symbol) return [];
  const target = symbol.isAlias() ? (symbol.getAliasedSymbol() ?? symbol) : symbol;
  return target.getDeclarations();
}
