import type { ts } from 'ts-morph';
import { typescriptApi } from '../extract/typescript-api';

/**
 * For the extractor: how a declaration uses namespace imports (`import * as ns`). When every
 * runtime use of `ns` is a static member access (`ns.format(…)`), symbol precision follows only
 * those members, as esbuild and rollup do; any other use (`f(ns)`, `ns[key]`, `{ ...ns }`)
 * escapes and the whole module is taken. In types only `ns.Type` counts (as member `Type`): with
 * emitDecoratorMetadata a decorated class's parameter types are emitted as runtime code.
 *
 * Call `collectNamespaceMembers` on every node of one declaration with one shared accumulator
 * and the module's import locals (all of them: a named import may be an `export * as ns`), then
 * store `namespaceMembersOf(accumulator)` as `TopLevelDeclaration.namespaceMembers`.
 */
export type NamespaceUses = Map<string, Set<string> | 'escaped'>;

export function collectNamespaceMembers(
  node: ts.Node,
  namespaceLocals: ReadonlySet<string>,
  uses: NamespaceUses,
): void {
  if (namespaceLocals.size === 0) return;
  const t = typescriptApi();
  const visit = (child: ts.Node, parent: ts.Node | undefined, inType: boolean): void => {
    if (t.isIdentifier(child)) {
      if (namespaceLocals.has(child.text) && parent) recordNamespaceUse(child, parent, inType, uses);
      return;
    }
    const childInType = inType || entersType(child);
    t.forEachChild(child, (grandChild) => visit(grandChild, child, childInType));
  };
  visit(node, undefined, false);
}

/**
 * The walk step of `collectNamespaceMembers`, for a caller that walks the tree itself (the
 * extractor does one walk for several jobs): `identifier` spells a namespace local, `parent` is
 * the node it was reached from, `inType` what `entersType` said for the nodes above it.
 */
export function recordNamespaceUse(
  identifier: ts.Identifier,
  parent: ts.Node,
  inType: boolean,
  uses: NamespaceUses,
): void {
  // In a type, `ns.Shape` still counts as a member use: with emitDecoratorMetadata a parameter
  // type becomes runtime code. Other type uses add nothing: the local then either has runtime
  // member uses, or no entry at all and is followed as a whole (safe).
  if (!inType) record(identifier, parent, uses);
  else if (typescriptApi().isQualifiedName(parent) && (parent as ts.QualifiedName).left === identifier)
    record(identifier, parent, uses);
}

/** Whether `node` starts a type (`extends ns.Base` is an expression, not a type). */
export function entersType(node: ts.Node): boolean {
  typeNodeKinds ??= typeNodeKindTable();
  return typeNodeKinds[node.kind] === 1;
}

/** `ts.isTypeNode` is a long chain of comparisons, asked of every node: answered once per kind. */
let typeNodeKinds: Uint8Array | undefined;

function typeNodeKindTable(): Uint8Array {
  const t = typescriptApi();
  const table = new Uint8Array(t.SyntaxKind.Count);
  for (let kind = 0; kind < table.length; kind++) {
    const node = { kind } as ts.Node;
    table[kind] = t.isTypeNode(node) && !t.isExpressionWithTypeArguments(node) ? 1 : 0;
  }
  return table;
}

/** The members used per namespace local, for the locals that never escape. */
export function namespaceMembersOf(uses: NamespaceUses): Record<string, string[]> | undefined {
  const members: Record<string, string[]> = {};
  for (const [local, used] of uses) if (used !== 'escaped') members[local] = [...used].sort();
  return Object.keys(members).length > 0 ? members : undefined;
}

function record(identifier: ts.Identifier, parent: ts.Node, uses: NamespaceUses): void {
  const t = typescriptApi();
  const local = identifier.text;
  // A property name that happens to spell the local (`obj.ns`, `{ ns: 1 }`) is not a use.
  if (
    (t.isPropertyAccessExpression(parent) && parent.name === identifier) ||
    (t.isPropertyAssignment(parent) && parent.name === identifier)
  )
    return;
  const current = uses.get(local);
  if (current === 'escaped') return;
  // `ns.member`, or `import A = ns.B` (a qualified name outside a type: read at runtime when A is).
  const member =
    t.isPropertyAccessExpression(parent) && parent.expression === identifier && t.isIdentifier(parent.name)
      ? parent.name.text
      : t.isQualifiedName(parent) && parent.left === identifier
        ? parent.right.text
        : undefined;
  if (member === undefined) {
    uses.set(local, 'escaped');
  } else if (current) {
    current.add(member);
  } else {
    uses.set(local, new Set([member]));
  }
}
