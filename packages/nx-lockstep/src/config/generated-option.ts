/**
 * The `generated` plugin option: folders (or files) of generated code that Nx knows no target
 * for, and the files they are generated from. An import into such a path (one git does not
 * hold) counts when one of its inputs changed:
 *
 *   "generated": [{ "path": "apps/web/src/gql/**", "inputs": ["apps/web/codegen.ts", "apps/web/src/**\/*.graphql"] }]
 *
 * Self-contained (reading, validating, the error) so options.ts needs one line to use it.
 */
import type { GeneratedOption } from '../core/affected/generated-code';
import { findGlobSyntaxError } from './glob-syntax';
// A cycle with options.ts, safe: the class is read only when an error is thrown.
import { LockstepOptionsError } from './options';

const EXAMPLE = `"generated": [{ "path": "libs/db/src/generated/**", "inputs": ["libs/db/prisma/schema.prisma"] }]`;

export function readGeneratedOption(value: unknown): GeneratedOption[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) invalid('generated', value, 'an array of { "path": glob, "inputs": [globs] }');
  return value.map((entry: unknown, index) => {
    const option = `generated[${index}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry))
      invalid(option, entry, 'an object { "path": glob, "inputs": [globs] }');
    const { path, inputs, ...rest } = entry as Record<string, unknown>;
    const unknownKey = Object.keys(rest)[0];
    if (unknownKey !== undefined)
      invalid(`${option}.${unknownKey}`, rest[unknownKey], 'only the keys "path" and "inputs"');
    readGlob(`${option}.path`, path);
    if (!Array.isArray(inputs) || inputs.length === 0)
      invalid(`${option}.inputs`, inputs, 'a non-empty array of workspace-relative globs');
    inputs.forEach((input, inputIndex) => readGlob(`${option}.inputs[${inputIndex}]`, input));
    return { path: clean(path as string), inputs: (inputs as string[]).map(clean) };
  });
}

function readGlob(option: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') invalid(option, value, 'a workspace-relative glob string');
  const text = value as string;
  if (text.startsWith('/') || /^[A-Za-z]:/.test(text) || text.split(/[\\/]/).includes('..'))
    invalid(option, value, 'a workspace-relative glob (no leading "/", no "..")');
  const problem = findGlobSyntaxError(text);
  if (problem) invalid(option, value, `a well-formed glob, but ${problem}`);
}

function clean(glob: string): string {
  return glob.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/$/, '');
}

/** The same wording as every other option error (options.ts): the option, what was given, an example. */
function invalid(option: string, value: unknown, expected: string): never {
  throw new LockstepOptionsError(
    `nx-lockstep: invalid option "${option}" in nx.json: expected ${expected}, got ${JSON.stringify(value) ?? 'undefined'}. Example: ${EXAMPLE}`,
  );
}
