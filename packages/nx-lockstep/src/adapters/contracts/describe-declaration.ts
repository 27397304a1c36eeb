import { Node, SyntaxKind, type ParameterDeclaration } from 'ts-morph';

/** One parameter as a consumer sees it. */
export interface ParameterShape {
  name: string;
  optional: boolean;
  rest: boolean;
  type: string;
}

/** One public member of an interface, object type or class. */
export interface MemberShape {
  kind: 'property' | 'method' | 'accessor' | 'constructor';
  optional: boolean;
  readonly: boolean;
  static: boolean;
  type: string;
  /** Per signature (overloads), for methods and constructors. */
  signatures: ParameterShape[][];
}

const MAX_TYPE_TEXT = 80;

/** Source text of a type, on one line and cut short, for messages. */
export function shortText(text: string | undefined): string {
  const flat = (text ?? 'any').replace(/\s+/g, ' ').trim();
  return flat.length > MAX_TYPE_TEXT ? `${flat.slice(0, MAX_TYPE_TEXT - 1)}…` : flat;
}

export function parameterShapes(parameters: ParameterDeclaration[]): ParameterShape[] {
  return parameters
    .filter((parameter) => parameter.getName() !== 'this')
    .map((parameter) => ({
      name: parameter.getName(),
      optional: parameter.hasQuestionToken() || parameter.hasInitializer() || parameter.isRestParameter(),
      rest: parameter.isRestParameter(),
      type: shortText(parameter.getTypeNode()?.getText()),
    }));
}

const isHidden = (member: Node): boolean =>
  (Node.isModifierable(member) &&
    (member.hasModifier(SyntaxKind.PrivateKeyword) || member.hasModifier(SyntaxKind.ProtectedKeyword))) ||
  member.getChildrenOfKind(SyntaxKind.PrivateIdentifier).length > 0;

/** The public members of an interface, a class, or a type alias of an object type; undefined for other shapes. */
export function memberShapes(declaration: Node): Map<string, MemberShape> | undefined {
  let members: Node[];
  if (Node.isInterfaceDeclaration(declaration) || Node.isClassDeclaration(declaration)) {
    members = declaration.getMembers();
  } else if (Node.isTypeAliasDeclaration(declaration) && Node.isTypeLiteral(declaration.getTypeNode())) {
    members = (declaration.getTypeNode() as Node).asKindOrThrow(SyntaxKind.TypeLiteral).getMembers();
  } else {
    return undefined;
  }
  const shapes = new Map<string, MemberShape>();
  for (const member of members) {
    if (isHidden(member)) continue;
    const name = Node.isConstructorDeclaration(member)
      ? 'constructor'
      : Node.hasName(member) && Node.isPropertyNamed(member)
        ? member.getName()
        : undefined;
    if (name === undefined) continue;
    const isStatic = Node.isStaticable(member) && member.isStatic();
    const key = isStatic ? `static ${name}` : name;
    const existing = shapes.get(key);
    if (Node.isMethodSignature(member) || Node.isMethodDeclaration(member) || Node.isConstructorDeclaration(member)) {
      if (Node.isMethodDeclaration(member) || Node.isConstructorDeclaration(member)) {
        // An implementation after overloads is not callable by consumers.
        if (member.getOverloads().length > 0 && member.isImplementation()) continue;
      }
      const signature = parameterShapes(member.getParameters());
      if (existing) {
        existing.signatures.push(signature);
        continue;
      }
      shapes.set(key, {
        kind: Node.isConstructorDeclaration(member) ? 'constructor' : 'method',
        optional: Node.isQuestionTokenable(member) && member.hasQuestionToken(),
        readonly: true,
        static: isStatic,
        type: Node.isConstructorDeclaration(member)
          ? ''
          : shortText(member.getReturnTypeNode()?.getText() ?? member.getReturnType().getText(member)),
        signatures: [signature],
      });
    } else if (Node.isGetAccessorDeclaration(member) || Node.isSetAccessorDeclaration(member)) {
      const shape = existing ?? {
        kind: 'accessor',
        optional: false,
        readonly: true,
        static: isStatic,
        type: '',
        signatures: [],
      };
      if (Node.isGetAccessorDeclaration(member)) shape.type = shortText(member.getReturnTypeNode()?.getText());
      else shape.readonly = false;
      shapes.set(key, shape);
    } else if (Node.isPropertySignature(member) || Node.isPropertyDeclaration(member)) {
      shapes.set(key, {
        kind: 'property',
        optional: member.hasQuestionToken(),
        readonly: member.isReadonly(),
        static: isStatic,
        type: shortText(
          member.getTypeNode()?.getText() ??
            (Node.isPropertyDeclaration(member) ? member.getType().getText(member) : undefined),
        ),
        signatures: [],
      });
    }
  }
  return shapes;
}

/** What changed between two parameter lists, in words; `breaking` marks what old calls trip over. */
export function parameterChanges(
  base: ParameterShape[],
  head: ParameterShape[],
): Array<{ text: string; breaking: boolean }> {
  const changes: Array<{ text: string; breaking: boolean }> = [];
  for (let index = 0; index < Math.max(base.length, head.length); index++) {
    const before = base[index];
    const after = head[index];
    if (!after) {
      changes.push({
        text: `parameter \`${before.name}\` removed${before.optional ? ' (calls that pass it no longer compile)' : ''}`,
        breaking: true,
      });
    } else if (!before) {
      changes.push(
        after.optional
          ? { text: `new optional parameter \`${after.name}\``, breaking: false }
          : { text: `new required parameter \`${after.name}\`: ${after.type}`, breaking: true },
      );
    } else {
      if (before.optional && !after.optional) {
        changes.push({ text: `parameter \`${after.name}\` is now required`, breaking: true });
      } else if (!before.optional && after.optional) {
        changes.push({ text: `parameter \`${after.name}\` is now optional`, breaking: false });
      }
      if (before.type !== after.type) {
        changes.push({
          text: `parameter \`${after.name}\` changed from \`${before.type}\` to \`${after.type}\``,
          breaking: false,
        });
      }
    }
  }
  return changes;
}

/** What changed between two member maps, in words. */
export function memberChanges(base: Map<string, MemberShape>, head: Map<string, MemberShape>): string[] {
  const changes: string[] = [];
  for (const [name, before] of base) {
    const after = head.get(name);
    if (!after) {
      changes.push(`member \`${name}\` removed`);
      continue;
    }
    if (before.optional && !after.optional) changes.push(`member \`${name}\` became required`);
    if (!before.optional && after.optional) changes.push(`member \`${name}\` became optional`);
    if (!before.readonly && after.readonly && after.kind !== 'method')
      changes.push(`member \`${name}\` became readonly`);
    if (before.type !== after.type) {
      changes.push(`\`${name}\` changed from \`${before.type}\` to \`${after.type}\``);
    }
    if (before.signatures.length !== after.signatures.length) {
      changes.push(`\`${name}\` has ${after.signatures.length} signature(s) instead of ${before.signatures.length}`);
    } else {
      before.signatures.forEach((signature, index) => {
        for (const change of parameterChanges(signature, after.signatures[index])) {
          changes.push(`${name === 'constructor' ? 'constructor' : `\`${name}\``}: ${change.text}`);
        }
      });
    }
  }
  for (const [name, after] of head) {
    if (!base.has(name))
      changes.push(
        `new ${after.optional ? 'optional ' : after.kind === 'property' ? 'required ' : ''}member \`${name}\``,
      );
  }
  return changes;
}
