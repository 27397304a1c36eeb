import { ts } from 'ts-morph';
import { PROBE_FILE, type ContractProject } from './contract-project';

/** One question to the checker: is a value of `source` assignable to `target`? */
export interface AssignabilityCheck {
  source: string;
  target: string;
}

/** A probe statement that must compile, e.g. `void H.api.getUser;` (the export is still a value). */
export interface StatementCheck {
  statement: string;
}

export type ProbeCheck = AssignabilityCheck | StatementCheck;

/**
 * Writes every check as one line of a synthetic file that imports both versions of the library
 * (`import * as B from '/base/…'`, `import * as H from '/head/…'`) and asks the checker for that
 * file's diagnostics: the checker's own assignability, with its own explanation, and no internal API.
 * Returns, per check, the checker's message when the line does not compile.
 */
export function runProbe(
  contract: ContractProject,
  imports: ReadonlyArray<{ alias: string; file: string }>,
  checks: readonly ProbeCheck[],
  placeholders: number,
): Array<string | undefined> {
  const header = imports.map(({ alias, file }, index) => {
    const specifier = `./__lockstep_module_${index}`;
    contract.resolutions.set(`${PROBE_FILE}\0${specifier}`, file);
    return `import * as ${alias} from '${specifier}';`;
  });
  // Opaque stand-ins for unconstrained type parameters: `Box<T>` is compared as `Box<__P0>` on both sides.
  for (let index = 0; index < placeholders; index++) {
    header.push(`interface __P${index} { readonly __lockstepPlaceholder${index}: ${index} }`);
  }
  header.push(
    'type __Widen<T> = T extends string ? string : T extends number ? number : T extends boolean ? boolean : T extends bigint ? bigint : T;',
  );
  const lines = checks.map((check, index) =>
    'statement' in check
      ? `function __check${index}() { ${check.statement} }`
      : `function __check${index}(source: ${check.source}) { const target: ${check.target} = source; return target; }`,
  );
  const text = [...header, ...lines].join('\n');
  const file = contract.project.createSourceFile(PROBE_FILE, text, { overwrite: true });
  const program = contract.project.getProgram().compilerObject;
  const results: Array<string | undefined> = checks.map(() => undefined);
  for (const diagnostic of program.getSemanticDiagnostics(program.getSourceFile(file.getFilePath()))) {
    if (diagnostic.start === undefined) continue;
    const line = file.compilerNode.getLineAndCharacterOfPosition(diagnostic.start).line - header.length;
    if (line < 0 || line >= checks.length) continue;
    results[line] ??= cleanMessage(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
  }
  return results;
}

/** The checker's message without the virtual paths: `import("/head/libs/a/src/user").User` → `User`. */
export function cleanMessage(message: string): string {
  return message
    .replace(/typeof import\("[^"]*"\)/g, 'module')
    .replace(/import\("[^"]*"\)\./g, '')
    .replace(/\b[BH]\d*\./g, '')
    .replace(/__P(\d+)/g, 'T$1');
}
