/**
 * A deployable's build inputs, expanded from Nx's `inputs`/`namedInputs` into file predicates:
 * which of its own files ship (own root, whole, minus what the inputs exclude) and which files of
 * the projects it depends on its build reads (`^production`). Pure: plain data in, matchers out.
 *
 * Nx semantics followed (its task hasher): named inputs are the project's `namedInputs` over
 * nx.json's over `default` = `{projectRoot}/**\/*`; a string is `^name` (dependencies' input), a
 * named input, or a fileset; `!` negates; the filesets of one side combine (a file is in when a
 * positive pattern matches and no negative does). `runtime`, `env`, `externalDependencies` and
 * `dependentTasksOutputFiles` name no workspace file and are ignored here.
 *
 * Decided where Nx has nothing to say: a deployable whose build (or deploy) target declares no
 * inputs ships every file under its root except test files (as `file-kinds` defines them), and
 * reads every non-test file of its dependencies.
 */
import { matcher as globMatcher } from 'micromatch';
import { isTestFile } from '../extract/file-kinds';

export type InputDefinition = string | Record<string, unknown>;

export interface InputsProject {
  name: string;
  /** Workspace-relative root, '' for a root project. */
  root: string;
  targets: Record<string, { inputs?: unknown[] }>;
  namedInputs?: Record<string, unknown[]>;
}

/** What nx.json contributes: workspace named inputs and target defaults (by target name). */
export interface NxJsonInputs {
  namedInputs?: Record<string, unknown[]>;
  targetDefaults?: Record<string, { inputs?: unknown[] } | undefined>;
}

export interface BuildInputs {
  /** Where the inputs come from, for reasons: e.g. `build target inputs` or `no inputs declared`. */
  source: string;
  /** False when no target declared inputs naming files of the project (the fallback applies). */
  declared: boolean;
  /** Whether a file of the project itself is a build input (the project's own root). */
  includesOwn(file: string): boolean;
  /**
   * The input naming a file of a dependency project when the build reads it (e.g. `^production`),
   * else undefined.
   */
  dependencyInput(file: string, dependency: Pick<InputsProject, 'root' | 'namedInputs'>): string | undefined;
}

interface Fileset {
  positive: string[];
  negative: string[];
}

const DEFAULT_FILESET = '{projectRoot}/**/*';

/**
 * The build inputs of `project`: those of its first target among `targetNames` that declares
 * inputs (its own, else nx.json's targetDefaults for that target name).
 */
export function buildInputsOf(
  project: InputsProject,
  nxJson: NxJsonInputs,
  targetNames: readonly string[],
): BuildInputs {
  for (const targetName of targetNames) {
    if (!(targetName in project.targets)) continue;
    const inputs = project.targets[targetName]?.inputs ?? nxJson.targetDefaults?.[targetName]?.inputs;
    if (!Array.isArray(inputs) || inputs.length === 0) continue;
    const declared = fromInputs(project, nxJson, inputs as InputDefinition[], `${targetName} target inputs`);
    if (declared) return declared;
  }
  return withoutDeclaredInputs();
}

/** No inputs declared: the own root without test files, and dependencies' non-test files. */
export function withoutDeclaredInputs(): BuildInputs {
  return {
    source: 'no build inputs declared: every non-test file',
    declared: false,
    includesOwn: (file) => !isTestFile(file),
    dependencyInput: (file) => (isTestFile(file) ? undefined : 'every non-test file (no build inputs declared)'),
  };
}

function fromInputs(
  project: InputsProject,
  nxJson: NxJsonInputs,
  inputs: readonly InputDefinition[],
  source: string,
): BuildInputs | undefined {
  const own = namedInputsOf(project, nxJson);
  const self: InputDefinition[] = [];
  const dependencyNames: string[] = [];
  for (const input of inputs) {
    if (typeof input === 'string') {
      if (input.startsWith('^')) dependencyNames.push(input.slice(1));
      else self.push(input);
    } else if (input && typeof input === 'object') {
      if (typeof input.input === 'string' && (input.dependencies === true || input.projects === 'dependencies'))
        dependencyNames.push(input.input);
      else self.push(input);
    }
  }
  const selfFiles = expand(self, own, project.root);
  // Inputs with no fileset of the project itself (only `^…` or runtime inputs) would exclude the
  // whole root: read that as "not declared" rather than ship nothing.
  if (selfFiles.positive.length === 0) return undefined;
  const ownMatch = matcher(selfFiles);
  const dependencyMatchers = new Map<string, (file: string) => boolean>();
  return {
    source: `${source} (${inputs.map(describeInput).join(', ')})`,
    declared: true,
    includesOwn: ownMatch,
    dependencyInput(file, dependency) {
      for (const name of dependencyNames) {
        const key = `${dependency.root}\0${name}`;
        let match = dependencyMatchers.get(key);
        if (!match) {
          const named = { ...namedInputsOf({ namedInputs: dependency.namedInputs }, nxJson) };
          // A name the dependency does not define: all of its files (Nx would refuse to run).
          const fileset =
            name in named ? expand([name], named, dependency.root) : expand([DEFAULT_FILESET], {}, dependency.root);
          dependencyMatchers.set(key, (match = matcher(fileset)));
        }
        if (match(file)) return `^${name}`;
      }
      return undefined;
    },
  };
}

/** Named inputs visible to a project: `default`, then nx.json's, then its own. */
export function namedInputsOf(
  project: Pick<InputsProject, 'namedInputs'>,
  nxJson: NxJsonInputs,
): Record<string, unknown[]> {
  return { default: [DEFAULT_FILESET], ...(nxJson.namedInputs ?? {}), ...(project.namedInputs ?? {}) };
}

/** The filesets of a project's own inputs, named inputs expanded, with `{projectRoot}` replaced. */
export function expand(inputs: readonly unknown[], named: Record<string, unknown[]>, root: string): Fileset {
  const fileset: Fileset = { positive: [], negative: [] };
  const visiting = new Set<string>();
  const add = (pattern: string) => {
    const negative = pattern.startsWith('!');
    const path = toWorkspacePath(negative ? pattern.slice(1) : pattern, root);
    (negative ? fileset.negative : fileset.positive).push(path);
  };
  const walk = (list: readonly unknown[]) => {
    for (const input of list) {
      if (typeof input === 'string') {
        if (input.startsWith('^')) continue; // a named input's own `^…` concerns dependencies
        if (input in named) walkNamed(input);
        else add(input);
      } else if (input && typeof input === 'object') {
        const record = input as Record<string, unknown>;
        if (typeof record.fileset === 'string') add(record.fileset);
        else if (typeof record.input === 'string' && record.dependencies !== true && record.projects === undefined)
          walkNamed(record.input);
        // runtime, env, externalDependencies, dependentTasksOutputFiles: no workspace file.
      }
    }
  };
  const walkNamed = (name: string) => {
    if (visiting.has(name)) return; // a cycle Nx would reject: stop rather than loop
    visiting.add(name);
    walk(named[name] ?? []);
    visiting.delete(name);
  };
  walk(inputs);
  return fileset;
}

/** `{projectRoot}/x` and `{workspaceRoot}/x` to workspace-relative patterns. */
function toWorkspacePath(pattern: string, root: string): string {
  const projectRoot = root === '' || root === '.' ? '' : root;
  let path = pattern.replace(/\{projectRoot\}/g, projectRoot).replace(/\{workspaceRoot\}/g, '');
  path = path.replace(/\/{2,}/g, '/').replace(/^\.?\//, '');
  return path;
}

/** Nx's filter: in when some positive pattern matches (or there is none) and no negative does. */
function matcher(fileset: Fileset): (file: string) => boolean {
  const options = { dot: true };
  const anyOf = (patterns: string[]) => {
    const tests = patterns.map((pattern) => globMatcher(pattern, options));
    return (file: string) => tests.some((test) => test(file));
  };
  const positive = fileset.positive.length > 0 ? anyOf(fileset.positive) : () => true;
  const negative = fileset.negative.length > 0 ? anyOf(fileset.negative) : () => false;
  const memo = new Map<string, boolean>();
  return (file) => {
    let result = memo.get(file);
    if (result === undefined) memo.set(file, (result = positive(file) && !negative(file)));
    return result;
  };
}

function describeInput(input: unknown): string {
  if (typeof input === 'string') return input;
  if (input && typeof input === 'object') {
    const record = input as Record<string, unknown>;
    if (typeof record.fileset === 'string') return record.fileset;
    if (typeof record.input === 'string') return `${record.dependencies === true ? '^' : ''}${record.input}`;
    const [key] = Object.keys(record);
    return key ? `{${key}}` : '{}';
  }
  return String(input);
}
