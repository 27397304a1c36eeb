import { Node, SyntaxKind, type Project } from 'ts-morph';

/**
 * The checker's words for "two declarations of a class with private members": such classes
 * compare by declaration, not by shape.
 */
const PRIVATE_IDENTITY =
  /refers to a different member that cannot be accessed from within type|Types have separate declarations of a private property/;
const MISSING_MANY =
  /Type '([\w$]+)(?:<[^']*>)?' is missing the following properties from type '([\w$]+)(?:<[^']*>)?': ([^.]+?)(?:, and \d+ more)?\.?$/;
const MISSING_ONE =
  /Property '([^']+)' is missing in type '([\w$]+)(?:<[^']*>)?' but required in type '([\w$]+)(?:<[^']*>)?'/;

/**
 * A test for "the checker's complaint is only about private members": a private member of a class
 * changed, or a class with private members exists twice (base and head). Consumers cannot touch
 * private members, so this is no change to the contract.
 */
export function privateOnlyTest(project: Project): (message: string) => boolean {
  const privates = new Map<string, Set<string>>();
  for (const file of project.getSourceFiles()) {
    if (!/^\/(base|head)\//.test(file.getFilePath())) continue;
    for (const declaration of file.getClasses()) {
      const name = declaration.getName();
      if (!name) continue;
      const members = privates.get(name) ?? new Set<string>();
      for (const member of declaration.getMembers()) {
        const memberName = Node.hasName(member) ? member.getName() : undefined;
        if (memberName === undefined) continue;
        const hidden =
          memberName.startsWith('#') ||
          (Node.isModifierable(member) &&
            (member.hasModifier(SyntaxKind.PrivateKeyword) || member.hasModifier(SyntaxKind.ProtectedKeyword)));
        if (hidden) members.add(memberName);
      }
      privates.set(name, members);
    }
  }
  const isPrivate = (className: string, member: string) =>
    member.startsWith('#') || (privates.get(className)?.has(member) ?? false);
  return (message) => {
    const deepest =
      message
        .split('\n')
        .map((line) => line.trim())
        .filter(Boolean)
        .pop() ?? '';
    if (PRIVATE_IDENTITY.test(deepest)) return true;
    const many = MISSING_MANY.exec(deepest);
    if (many && many[1] === many[2]) return many[3].split(', ').every((member) => isPrivate(many[2], member.trim()));
    const one = MISSING_ONE.exec(deepest);
    return !!one && one[2] === one[3] && isPrivate(one[3], one[1]);
  };
}
