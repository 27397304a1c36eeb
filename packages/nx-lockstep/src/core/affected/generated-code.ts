/**
 * Generated code: an import into a path git does not hold (a Prisma client, codegen types). It is
 * resolved to what generates it — the `generated` plugin option, else an Nx target whose `outputs`
 * cover the path — and counts through that generator's inputs. Without a generator the caller
 * falls back to the files of the project that owns the path (see uncertainty-scope.ts).
 */
import { isMatch } from 'micromatch';
import { isTestFile } from '../extract/file-kinds';
import type { Resolution } from '../resolve/resolution-context';
import { dirname, joinPath, normalize } from '../resolve/workspace-paths';
import { buildInputsOf, type InputsProject, type NxJsonInputs } from './build-inputs';

/** What generates a missing path, and which changed files it is made from. */
export interface Generator {
  /** For reasons: `db:prisma-generate (outputs libs/db/src/generated; inputs …)` or the option entry. */
  describe: string;
  /** Whether a changed file is one of the generator's inputs. */
  includes(file: string): boolean;
}

/** One entry of the `generated` plugin option: a folder or file glob, and the globs it is made from. */
export interface GeneratedOption {
  path: string;
  inputs: string[];
}

export interface GeneratorProject extends InputsProject {
  targets: Record<string, { inputs?: unknown[]; outputs?: string[]; options?: Record<string, unknown> }>;
}

/**
 * The workspace-relative path (without extension) an unresolved import points to, when it can
 * be known: the resolver's `missingPath`, else the target of a relative specifier.
 */
export function missingPathOf(
  file: string,
  specifier: string,
  resolution: Extract<Resolution, { kind: 'unresolved' }>,
): string | undefined {
  if (resolution.missingPath !== undefined) return resolution.missingPath;
  const cleaned = specifier.replace(/[?#].*$/, '');
  if (!/^\.\.?(\/|$)/.test(cleaned)) return undefined;
  const target = normalize(joinPath(dirname(file), cleaned));
  return target === undefined ? undefined : stripExtension(target);
}

/**
 * Finds the generator of `missingPath`: a `generated` option entry first (the user knows what
 * Nx does not), then a target whose `outputs` cover the path.
 */
export function createGeneratorLookup(
  projects: readonly GeneratorProject[],
  nxJson: NxJsonInputs,
  declared: readonly GeneratedOption[],
  ownerOf: (file: string) => string | undefined,
): (missingPath: string) => Generator | undefined {
  const memo = new Map<string, Generator | undefined>();
  return (missingPath) => {
    if (!memo.has(missingPath)) memo.set(missingPath, find(missingPath));
    return memo.get(missingPath);
  };

  function find(missingPath: string): Generator | undefined {
    for (const entry of declared) {
      if (!covers(entry.path, missingPath)) continue;
      return {
        describe: `the "generated" option entry ${entry.path} (inputs ${entry.inputs.join(', ')})`,
        includes: (file) => isMatch(file, entry.inputs, { dot: true }),
      };
    }
    for (const project of projects) {
      for (const [targetName, target] of Object.entries(project.targets)) {
        const outputs = (target.outputs ?? [])
          .map((output) => expandOutput(output, project.root, target.options ?? {}))
          .filter((output): output is string => output !== undefined);
        const output = outputs.find((candidate) => covers(candidate, missingPath));
        if (output === undefined) continue;
        const inputs = buildInputsOf(project, nxJson, [targetName]);
        // Without declared inputs, Nx hashes every file of the target's project.
        const includes = inputs.declared
          ? inputs.includesOwn
          : (file: string) => ownerOf(file) === project.name && !isTestFile(file);
        return {
          describe: `${project.name}:${targetName} (outputs ${output}; ${inputs.declared ? inputs.source : `inputs: every file of ${project.name}`})`,
          includes,
        };
      }
    }
    return undefined;
  }
}

/** `{projectRoot}`, `{workspaceRoot}` and `{options.x}` in an Nx output; undefined when an option is unset. */
function expandOutput(output: string, root: string, options: Record<string, unknown>): string | undefined {
  let unknownOption = false;
  const path = output
    .replace(/\{options\.([^}]+)\}/g, (_, name: string) => {
      const value = options[name];
      if (typeof value !== 'string') unknownOption = true;
      return typeof value === 'string' ? value : '';
    })
    .replace(/\{projectRoot\}/g, root)
    .replace(/\{workspaceRoot\}/g, '')
    .replace(/\/{2,}/g, '/')
    .replace(/^\.?\//, '')
    .replace(/\/$/, '');
  return unknownOption || path === '' ? undefined : path;
}

/** Whether an output path (or glob) holds the missing path: the same file, a folder above it, or a glob match. */
function covers(output: string, missingPath: string): boolean {
  const plain = output.replace(/\/$/, '');
  if (missingPath === plain || missingPath.startsWith(`${plain}/`) || stripExtension(plain) === missingPath)
    return true;
  if (!/[*?[{]/.test(plain)) return false;
  // The import names the path without its extension: try the files it could be.
  const candidates = [missingPath, ...PROBES.map((suffix) => `${missingPath}${suffix}`)];
  return candidates.some((candidate) => isMatch(candidate, plain, { dot: true }));
}

const PROBES = [
  '.ts',
  '.tsx',
  '.d.ts',
  '.js',
  '.jsx',
  '.mjs',
  '.cjs',
  '.json',
  '/index.ts',
  '/index.js',
  '/index.d.ts',
];

function stripExtension(path: string): string {
  return path.replace(/\.(?:[cm]?[jt]sx?|json)$/, '');
}
