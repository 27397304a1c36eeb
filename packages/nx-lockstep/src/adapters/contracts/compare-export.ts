import { Node, type EnumDeclaration, type FunctionDeclaration } from 'ts-morph';
import type { ContractChange } from '../../core/coupling/contract-change';
import type { Polarity, Positions } from './api-positions';
import { memberChanges, memberShapes, parameterChanges, parameterShapes, shortText } from './describe-declaration';
import type { ExportedName } from './export-surface';
import type { ProbeCheck } from './probe';

/** A check with what it means for a consumer when it fails. */
export interface LabelledCheck {
  check: ProbeCheck;
  /** Why old consumers break when this line does not compile. */
  consequence: string;
}

/** The checks one export needs, and how to turn their results into a change (or none). */
export interface ExportPlan {
  checks: LabelledCheck[];
  /** Number of opaque type-parameter stand-ins the checks use. */
  placeholders: number;
  finish(failures: Array<string | undefined>): Omit<ContractChange, 'project'> | undefined;
}

export interface PlanContext {
  positions: Positions;
  /** Namespace aliases the probe imports the base and head entry as. */
  baseAlias: string;
  headAlias: string;
  workspacePath(virtualPath: string): string;
  /** Package specifiers a virtual file imports that were not read: their types count as `any`. */
  unresolvedImports(virtualPath: string): readonly string[];
  /** Is the checker's complaint only about private members of a class (which consumers cannot touch)? */
  privateOnly(message: string): boolean;
}

const both: Polarity[] = ['out', 'in'];

/**
 * Plans the comparison of one exported name present at base and at head. One branch per kind of
 * export, in the order of the table in docs/contracts.md, kept in one function so the two read
 * side by side (hence its length).
 */
export function planChangedExport(base: ExportedName, head: ExportedName, context: PlanContext): ExportPlan {
  const checks: LabelledCheck[] = [];
  const notes: string[] = [];
  const facts: string[] = [];
  const hardBreaks: string[] = [];
  const deferred: Array<() => string | undefined> = [];
  const { args, placeholders, generic } = typeArguments(base, head, facts, hardBreaks, deferred);
  const B = `${context.baseAlias}.${base.access}`;
  const H = `${context.headAlias}.${head.access}`;
  const Bt = `${B}${args}`;
  const Ht = `${H}${args}`;
  const add = (source: string, target: string, consequence: string) =>
    checks.push({ check: { source, target }, consequence });
  if (generic) notes.push(generic);
  const packages = [...new Set([base.file, head.file].flatMap((file) => context.unresolvedImports(file)))];
  if (packages.length > 0) {
    notes.push(
      `types it takes from ${packages.map((name) => `\`${name}\``).join(', ')} were not read and count as \`any\`: a change in them is not seen`,
    );
  }

  if (base.valueKind) {
    checks.push({
      check: { statement: `void ${H};` },
      consequence: `\`${head.name}\` is no longer exported as a value: code that calls it, constructs it or reads it no longer compiles`,
    });
  }
  const polarities = positionsOf(base, head, context.positions);
  // Where a type appears in the API explains a break; for a function or a constant it says nothing new.
  const where =
    base.typeKind === 'interface' || base.typeKind === 'type'
      ? describePositions(base.name, polarities, true)
      : describePositions(base.name, new Map([...polarities].filter(([, via]) => via !== base.name)), false);

  if (base.typeKind === 'interface' || base.typeKind === 'type') {
    const used = polarities.size > 0 ? [...polarities.keys()] : both;
    if (used.includes('out')) add(Ht, Bt, `consumers that receive \`${base.name}\` expect the old shape`);
    if (used.includes('in'))
      add(Bt, Ht, `code that builds a \`${base.name}\` the old way and passes it in no longer compiles`);
    methodChecks(base, head, Bt, Ht, used, add);
    facts.push(...membersDiff(base, head));
    if (used.includes('in')) hardBreaks.push(...removedInputMembers(base, head));
  } else if (base.typeKind === 'class') {
    const used = new Set<Polarity>(['out', ...polarities.keys()]);
    const pick = (type: string) => `Pick<${type}, keyof ${type}>`;
    add(pick(Ht), pick(Bt), `code that uses a \`${base.name}\` instance expects the old public members`);
    if (used.has('in'))
      add(pick(Bt), pick(Ht), `code that passes a \`${base.name}\` built the old way no longer compiles`);
    const abstract = base.declarations.some((node) => Node.isClassDeclaration(node) && node.isAbstract());
    if (!abstract && head.valueKind === 'class') {
      add(
        `ConstructorParameters<typeof ${B}>`,
        `ConstructorParameters<typeof ${H}>`,
        `\`new ${base.name}(…)\` with the old arguments no longer compiles`,
      );
    }
    if (head.valueKind === 'class') {
      add(
        `Omit<typeof ${H}, 'prototype'>`,
        `Omit<typeof ${B}, 'prototype'>`,
        `code that uses the static members expects the old ones`,
      );
    }
    writableProperties(base, head).forEach((name) =>
      add(`${Bt}['${name}']`, `${Ht}['${name}']`, `code that assigns \`${name}\` the old way no longer compiles`),
    );
    methodChecks(base, head, Bt, Ht, [...used], add);
    facts.push(...membersDiff(base, head));
    hardBreaks.push(...newAbstractMembers(base, head));
  } else if (base.typeKind === 'enum') {
    facts.push(...enumChanges(base, head, hardBreaks));
  } else if (base.valueKind === 'function') {
    add(
      `typeof ${H}`,
      `typeof ${B}`,
      'calls written against the old signature no longer compile or get a different result',
    );
    facts.push(...functionChanges(base, head, hardBreaks, add, B, H));
  } else if (base.valueKind === 'variable') {
    // `export const LIMIT = 10` has the type `10`: a new value is not a new contract, so literals are widened.
    const widen = (type: string) => (inferredLiteral(base) && inferredLiteral(head) ? `__Widen<${type}>` : type);
    add(widen(`typeof ${H}`), widen(`typeof ${B}`), `code that reads \`${base.name}\` expects the old type`);
    if (base.mutable) {
      add(
        widen(`typeof ${B}`),
        widen(`typeof ${H}`),
        `code that assigns \`${base.name}\` the old way no longer compiles`,
      );
    }
    facts.push(...typeTextChange(base, head));
  }

  const plan: PlanState = { base, head, context, checks, facts, hardBreaks, notes, deferred, where };
  return { checks, placeholders, finish: (answers) => finishChange(plan, answers) };
}

/** What planChangedExport gathered for one export, for finishChange. */
interface PlanState {
  base: ExportedName;
  head: ExportedName;
  context: PlanContext;
  checks: LabelledCheck[];
  facts: string[];
  hardBreaks: string[];
  notes: string[];
  deferred: Array<() => string | undefined>;
  where: string;
}

/** Turns the probe's answers for one export into its change, or none when nothing a consumer sees changed. */
function finishChange(
  plan: PlanState,
  answers: Array<string | undefined>,
): Omit<ContractChange, 'project'> | undefined {
  const { base, head, context, checks, facts, hardBreaks, notes, deferred, where } = plan;
  for (const check of deferred) {
    const hardBreak = check();
    if (hardBreak) hardBreaks.push(hardBreak);
  }
  const privateOnly = (answer: string | undefined) => answer !== undefined && context.privateOnly(answer);
  const nominal = answers.filter(privateOnly);
  if (nominal.length > 0) {
    notes.push(
      `the checker also objected to private members of a class (${lastLines(nominal[0]!)}): consumers cannot use them, so that is not counted; the class's public members are compared where it is exported`,
    );
  }
  const failures = answers.map((answer) => (privateOnly(answer) ? undefined : answer));
  const failed = checks.filter((_, index) => failures[index] !== undefined);
  const breaking = failed.length > 0 || hardBreaks.length > 0;
  const changedText = declarationText(base) !== declarationText(head);
  if (!breaking && !changedText && facts.length === 0) return undefined;
  // A fact that a hard break already states (with its consequence) is said once.
  const what = unique([
    ...hardBreaks,
    ...facts.filter((fact) => !hardBreaks.some((hard) => hard.toLowerCase().startsWith(fact.toLowerCase()))),
  ]);
  const parts: string[] = [];
  if (what.length > 0) parts.push(what.join('; '));
  if (breaking) {
    for (const check of failed) parts.push(check.consequence);
    if (where) parts.push(where);
    const reason = failures.find((message) => message !== undefined);
    if (reason) parts.push(`checker: ${lastLines(reason)}`);
  } else {
    parts.push(
      what.length > 0
        ? 'code written against the old export still compiles'
        : 'compatible change: code written against the old export still compiles',
    );
  }
  parts.push(...notes);
  const declaration = head.declarations[0];
  return {
    file: context.workspacePath(head.file),
    line: declaration.getStartLineNumber(),
    exportName: head.name,
    kind: breaking ? 'changed-export' : 'compatible-change',
    breaking,
    detail: sentence(parts),
  };
}

/** Plans "is `added` the same thing as `removed` under a new name?" (both directions assignable). */
export function planRename(
  removed: ExportedName,
  added: ExportedName,
  context: PlanContext,
): LabelledCheck[] | undefined {
  if (removed.typeKind !== added.typeKind || removed.valueKind !== added.valueKind) return undefined;
  const { args } = typeArguments(removed, added, [], []);
  if (args.includes('__P') === false && typeParameterCount(removed) > 0) return undefined;
  const B = `${context.baseAlias}.${removed.access}`;
  const H = `${context.headAlias}.${added.access}`;
  const checks: LabelledCheck[] = [];
  const pair = (source: string, target: string) => {
    checks.push(
      { check: { source, target }, consequence: '' },
      { check: { source: target, target: source }, consequence: '' },
    );
  };
  if (removed.typeKind && removed.typeKind !== 'enum') pair(`${B}${args}`, `${H}${args}`);
  if (removed.valueKind && removed.valueKind !== 'enum') pair(`typeof ${B}`, `typeof ${H}`);
  if (removed.valueKind === 'function') pair(`Parameters<typeof ${B}>`, `Parameters<typeof ${H}>`);
  if (removed.typeKind === 'enum') {
    const values = (entry: ExportedName) =>
      entry.declarations
        .filter(Node.isEnumDeclaration)
        .flatMap((node) => node.getMembers().map((member) => `${member.getName()}=${String(member.getValue())}`))
        .join(',');
    return values(removed) === values(added) ? [] : undefined;
  }
  return checks;
}

/** A `const` declared without a type whose value is a literal: its type is that literal. */
function inferredLiteral(entry: ExportedName): boolean {
  const node = entry.declarations[0];
  return (
    Node.isVariableDeclaration(node) &&
    !node.getTypeNode() &&
    /^(-?[\d.]+n?|'[^']*'|"[^"]*"|`[^`$]*`|true|false)$/.test(node.getInitializer()?.getText() ?? '')
  );
}

function typeParameterCount(entry: ExportedName): number {
  return entry.declarations.reduce((count, node) => Math.max(count, typeParametersOf(node).length), 0);
}

function typeParametersOf(node: Node) {
  return Node.isInterfaceDeclaration(node) || Node.isTypeAliasDeclaration(node) || Node.isClassDeclaration(node)
    ? node.getTypeParameters()
    : [];
}

/**
 * Type arguments for comparing generic types: an opaque stand-in per unconstrained parameter, `any`
 * for a constrained one (its constraint is compared separately, as text). Also records generic
 * changes: a parameter lost its default or a new one has none (`Box` without arguments breaks).
 */
function typeArguments(
  base: ExportedName,
  head: ExportedName,
  facts: string[],
  hardBreaks: string[],
  deferred: Array<() => string | undefined> = [],
) {
  const before = base.declarations.map(typeParametersOf).find((list) => list.length > 0) ?? [];
  const after = head.declarations.map(typeParametersOf).find((list) => list.length > 0) ?? [];
  if (before.length === 0 || !base.typeKind || base.typeKind === 'enum') {
    return { args: '', placeholders: 0, generic: undefined };
  }
  const required = (list: typeof before) => list.filter((parameter) => !parameter.getDefault()).length;
  if (required(after) > required(before)) {
    hardBreaks.push(
      `\`${head.name}\` now needs ${required(after)} type argument(s) instead of ${required(before)}: \`${base.name}\` written with fewer no longer compiles`,
    );
  }
  before.forEach((parameter, index) => {
    const next = after[index];
    const constraint = parameter.getConstraint();
    const nextConstraint = next?.getConstraint();
    if (!next || constraint?.getText() === nextConstraint?.getText()) return;
    const change = `constraint of type parameter \`${parameter.getName()}\` changed from \`${shortText(constraint?.getText() ?? 'none')}\` to \`${shortText(nextConstraint?.getText() ?? 'none')}\``;
    facts.push(change);
    if (!nextConstraint) return;
    // Old type arguments met the old constraint; they must meet the new one (asked after the probe, on its program).
    deferred.push(() => {
      const checker = nextConstraint.getProject().getTypeChecker().compilerObject;
      const accepted = constraint
        ? checker.isTypeAssignableTo(constraint.getType().compilerType, nextConstraint.getType().compilerType)
        : checker.isTypeAssignableTo(checker.getUnknownType(), nextConstraint.getType().compilerType);
      return accepted ? undefined : `${change}: \`${base.name}<…>\` with old type arguments may no longer compile`;
    });
  });
  const args = `<${before.map((parameter, index) => (parameter.getConstraint() ? 'any' : `__P${index}`)).join(', ')}>`;
  const generic = before.some((parameter) => parameter.getConstraint())
    ? 'constrained type parameters were compared as `any` (a narrowed constraint shows as an error on the stand-in only when unconstrained)'
    : undefined;
  return { args, placeholders: before.length, generic };
}

function positionsOf(base: ExportedName, head: ExportedName, positions: Positions): Map<Polarity, string> {
  const found = new Map<Polarity, string>();
  for (const declaration of [...base.declarations, ...head.declarations]) {
    const record = positions.get(declaration);
    for (const polarity of both) if (record?.[polarity] && !found.has(polarity)) found.set(polarity, record[polarity]!);
  }
  return found;
}

function describePositions(name: string, polarities: Map<Polarity, string>, isType: boolean): string {
  const out = polarities.get('out');
  const into = polarities.get('in');
  if (out && into)
    return `consumers both receive \`${name}\` (through \`${out}\`) and pass it in (to \`${into}\`), so both directions must hold`;
  if (out) return `consumers receive \`${name}\` (through \`${out}\`)`;
  if (into) return `consumers pass \`${name}\` in (to \`${into}\`)`;
  if (!isType) return '';
  return `no exported signature uses \`${name}\`, so both directions were required (conservative: consumers may build it or read it)`;
}

/**
 * Method members are compared bivariantly by TypeScript even under strictFunctionTypes, so a
 * narrowed method parameter passes a whole-type check; compare each single-signature method's
 * parameters and return type on their own, in the direction its position asks for.
 */
function methodChecks(
  base: ExportedName,
  head: ExportedName,
  Bt: string,
  Ht: string,
  used: Polarity[],
  add: (source: string, target: string, consequence: string) => void,
): void {
  const before = base.declarations.map(memberShapes).find(Boolean);
  const after = head.declarations.map(memberShapes).find(Boolean);
  if (!before || !after) return;
  for (const [name, shape] of before) {
    const next = after.get(name);
    if (
      shape.kind !== 'method' ||
      shape.static ||
      next?.kind !== 'method' ||
      shape.signatures.length !== 1 ||
      next.signatures.length !== 1
    )
      continue;
    const member = (type: string) => `NonNullable<${type}['${name}']>`;
    if (used.includes('out')) {
      add(
        `Parameters<${member(Bt)}>`,
        `Parameters<${member(Ht)}>`,
        `calls to \`${name}\` with the old arguments no longer compile`,
      );
      add(`ReturnType<${member(Ht)}>`, `ReturnType<${member(Bt)}>`, `callers of \`${name}\` expect the old result`);
    }
    if (used.includes('in')) {
      add(
        `Parameters<${member(Ht)}>`,
        `Parameters<${member(Bt)}>`,
        `implementations of \`${name}\` written the old way no longer accept what they are given`,
      );
      add(
        `ReturnType<${member(Bt)}>`,
        `ReturnType<${member(Ht)}>`,
        `implementations of \`${name}\` written the old way return the wrong thing`,
      );
    }
  }
}

/** Members gone from a type consumers pass in: object literals that still set them fail the excess property check. */
function removedInputMembers(base: ExportedName, head: ExportedName): string[] {
  const before = base.declarations.map(memberShapes).find(Boolean);
  const after = head.declarations.map(memberShapes).find(Boolean);
  if (!before || !after) return [];
  return [...before.keys()]
    .filter((name) => !after.has(name))
    .map(
      (name) =>
        `member \`${name}\` removed from \`${base.name}\`, which consumers pass in: object literals that still set it no longer compile (excess property check)`,
    );
}

/** A new abstract member of an abstract class: every consumer class that extends it stops compiling. */
function newAbstractMembers(base: ExportedName, head: ExportedName): string[] {
  const abstractMembers = (entry: ExportedName) =>
    entry.declarations
      .filter((node) => Node.isClassDeclaration(node))
      .flatMap((node) => node.getMembers())
      .filter((member) => Node.isAbstractable(member) && member.isAbstract() && Node.hasName(member))
      .map((member) => (member as Node & { getName(): string }).getName());
  const before = new Set(abstractMembers(base));
  return abstractMembers(head)
    .filter((name) => !before.has(name))
    .map(
      (name) =>
        `new abstract member \`${name}\`: classes that extend \`${base.name}\` no longer compile until they implement it`,
    );
}

function writableProperties(base: ExportedName, head: ExportedName): string[] {
  const before = base.declarations.map(memberShapes).find(Boolean);
  const after = head.declarations.map(memberShapes).find(Boolean);
  if (!before || !after) return [];
  return [...before]
    .filter(
      ([name, shape]) =>
        shape.kind !== 'method' && !shape.static && !shape.readonly && after.has(name) && !after.get(name)!.static,
    )
    .map(([name]) => name);
}

function membersDiff(base: ExportedName, head: ExportedName): string[] {
  const before = base.declarations.map(memberShapes).find(Boolean);
  const after = head.declarations.map(memberShapes).find(Boolean);
  if (before && after) return memberChanges(before, after);
  return typeTextChange(base, head);
}

function typeTextChange(base: ExportedName, head: ExportedName): string[] {
  const text = (entry: ExportedName) => {
    const node = entry.declarations[0];
    if (Node.isTypeAliasDeclaration(node)) return shortText(node.getTypeNode()?.getText());
    if (Node.isVariableDeclaration(node))
      return shortText(node.getTypeNode()?.getText() ?? node.getType().getText(node));
    return undefined;
  };
  const before = text(base);
  const after = text(head);
  return before !== undefined && after !== undefined && before !== after
    ? [`type changed from \`${before}\` to \`${after}\``]
    : [];
}

function enumChanges(base: ExportedName, head: ExportedName, hardBreaks: string[]): string[] {
  const members = (entry: ExportedName) =>
    new Map(
      entry.declarations
        .filter((node): node is EnumDeclaration => Node.isEnumDeclaration(node))
        .flatMap((node) => node.getMembers().map((member) => [member.getName(), member.getValue()] as const)),
    );
  const before = members(base);
  const after = members(head);
  const facts: string[] = [];
  for (const [name, value] of before) {
    if (!after.has(name)) hardBreaks.push(`enum member \`${name}\` removed: code that names it no longer compiles`);
    else if (after.get(name) !== value) {
      hardBreaks.push(
        `enum member \`${name}\` changed value from ${JSON.stringify(value)} to ${JSON.stringify(after.get(name))}: a consumer compiled against the old value sends and expects the old one`,
      );
    }
  }
  const added = [...after.keys()].filter((name) => !before.has(name));
  if (added.length > 0) {
    facts.push(
      `new enum member(s) ${added.map((name) => `\`${name}\``).join(', ')} (an exhaustive \`switch\` in a consumer needs a new case)`,
    );
  }
  return facts;
}

/** Parameter changes per overload, plus arity rules the assignability check lets through. */
function functionChanges(
  base: ExportedName,
  head: ExportedName,
  hardBreaks: string[],
  add: (source: string, target: string, consequence: string) => void,
  B: string,
  H: string,
): string[] {
  const signatures = (entry: ExportedName) =>
    entry.declarations
      .filter((node): node is FunctionDeclaration => Node.isFunctionDeclaration(node))
      .flatMap((node) => (node.getOverloads().length > 0 ? node.getOverloads() : [node]))
      .map((node) => parameterShapes(node.getParameters()));
  const before = signatures(base);
  const after = signatures(head);
  const facts: string[] = [];
  if (before.length === 1 && after.length === 1) {
    // A function with fewer parameters is assignable to one with more, yet `f(a, b)` stops compiling: compare the argument lists.
    add(`Parameters<typeof ${B}>`, `Parameters<typeof ${H}>`, 'calls with the old arguments no longer compile');
    for (const change of parameterChanges(before[0], after[0])) facts.push(change.text);
  } else if (before.length > 0 && after.length > 0) {
    if (before.length !== after.length) facts.push(`${after.length} overload(s) instead of ${before.length}`);
    const arity = (list: (typeof before)[number]) => ({
      min: list.filter((parameter) => !parameter.optional).length,
      max: list.some((parameter) => parameter.rest) ? Infinity : list.length,
    });
    before.forEach((signature, index) => {
      const old = arity(signature);
      const fits = after.some((candidate) => arity(candidate).min <= old.min && arity(candidate).max >= old.max);
      if (!fits)
        hardBreaks.push(
          `no overload accepts the ${old.max === Infinity ? 'variadic' : old.max}-argument calls of overload ${index + 1} any more`,
        );
      if (after[index])
        for (const change of parameterChanges(signature, after[index]))
          facts.push(`overload ${index + 1}: ${change.text}`);
    });
  }
  const returns = (entry: ExportedName) =>
    entry.declarations
      .filter(Node.isFunctionDeclaration)
      .map((node) => shortText(node.getReturnTypeNode()?.getText()))
      .join(' | ');
  if (returns(base) !== returns(head))
    facts.push(`return type changed from \`${returns(base)}\` to \`${returns(head)}\``);
  return facts;
}

/**
 * The text of what consumers see of a declaration: bodies of functions, methods and accessors
 * left out (a new implementation is not a contract change), everything else as written.
 */
function declarationText(entry: ExportedName): string {
  return entry.declarations
    .map((node) => {
      const text = node.getText();
      const start = node.getStart();
      const bodies = [node, ...node.getDescendants()]
        .filter((child) => Node.isBodyable(child) || Node.isBodied(child))
        .map((child) => (child as Node & { getBody(): Node | undefined }).getBody())
        .filter((body): body is Node => body !== undefined && Node.isBlock(body))
        .map((body) => [body.getStart() - start, body.getEnd() - start] as const)
        .filter(
          ([from], index, all) => !all.some(([outer, end], other) => other !== index && outer < from && from < end),
        );
      let result = '';
      let cursor = 0;
      for (const [from, to] of bodies.sort((a, b) => a[0] - b[0])) {
        result += `${text.slice(cursor, from)}{}`;
        cursor = to;
      }
      return result + text.slice(cursor);
    })
    .join('\n');
}

function unique(items: string[]): string[] {
  return [...new Set(items)];
}

/** The deepest line of the checker's explanation: the member or type that does not fit. */
function lastLines(message: string): string {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return (lines[lines.length - 1] ?? message).slice(0, 300);
}

function sentence(parts: string[]): string {
  const text = parts
    .filter((part) => part.length > 0)
    .map((part) => part.replace(/\.+$/, ''))
    .join('; ');
  return text.charAt(0).toUpperCase() + text.slice(1) + '.';
}
