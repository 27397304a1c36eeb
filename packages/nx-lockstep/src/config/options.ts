/**
 * The plugin options in nx.json (`plugins: [{ "plugin": "nx-lockstep", "options": { … } }]`):
 * their types, defaults and validation. Every surface (inference, CLI, executor, pipelines) reads
 * options through `readLockstepOptions` so a bad value fails the same way everywhere: naming the
 * option, the value given and a valid example.
 */
import { PRECISIONS, type Precision } from '../core/result';
import { PIPELINE_PROVIDERS, type PipelineProvider, type PipelineSettings } from '../core/pipelines/pipeline-plan';
import { ENVIRONMENT_NAME_RULE, isValidEnvironmentName } from './names';
import { findGlobSyntaxError } from './glob-syntax';
import { projectNameProblem, targetNameProblem } from './option-names';
import type { GeneratedOption } from '../core/affected/generated-code';
import { readGeneratedOption } from './generated-option';
import { DEFAULT_VERIFY_TARGETS } from '../core/verify/verify-scope';

export const PLUGIN_NAME = 'nx-lockstep';

export { PIPELINE_PROVIDERS, type PipelineProvider };

export interface DockerOptions {
  /** Registry host and path prefix, e.g. `ghcr.io/acme`; '' pushes to the image name as is. */
  registry: string;
  /** Image name template; `{projectName}` is replaced by the project name (lower-cased, no `@`). */
  imageName: string;
  /** Push the image after building it. */
  push: boolean;
}

/**
 * The `pipelines` options: what the emitters get, less the target name they call (a top-level
 * option). `nodeVersion` unset: the workspace's own (core/pipelines/node-version.ts).
 */
export type PipelineOptions = Omit<PipelineSettings, 'affectedDeployTargetName' | 'nodeVersion'> & {
  nodeVersion?: string;
};

export interface LockstepOptions {
  markers: string[];
  excludeMarkers: string[];
  include: string[];
  exclude: string[];
  deployTargetName: string;
  affectedDeployTargetName: string;
  docker: DockerOptions;
  entryPoints: Record<string, string[]>;
  precision: Precision;
  globalInputs: string[];
  /** Generated code Nx knows no target for: its paths and inputs (generated-option.ts). */
  generated: GeneratedOption[];
  markerPrefix: string;
  remote: string;
  /** What each deployable's pipeline verifies before deploying: whichever of these targets a changed project has. */
  verifyTargets: string[];
  pipelines: PipelineOptions;
}

/** What a user may write: every key optional, nested objects partial. */
export type LockstepPluginOptions = Partial<
  Omit<LockstepOptions, 'docker' | 'pipelines'> & {
    docker: Partial<DockerOptions>;
    pipelines: Partial<PipelineOptions>;
  }
>;

const DEFAULTS: LockstepOptions = {
  markers: [],
  excludeMarkers: [],
  include: [],
  exclude: [],
  deployTargetName: 'deploy',
  affectedDeployTargetName: 'affected-deploy',
  docker: { registry: '', imageName: '{projectName}', push: true },
  entryPoints: {},
  precision: 'symbol',
  globalInputs: ['tsconfig.base.json', 'tsconfig.json'],
  generated: [],
  markerPrefix: 'lockstep',
  remote: 'origin',
  verifyTargets: [...DEFAULT_VERIFY_TARGETS],
  pipelines: {
    provider: 'github',
    environments: ['production'],
    defaultBranch: 'main',
    nodeVersion: undefined,
    installCommand: 'npm ci',
    runnerImage: undefined,
    setupSteps: [],
  },
};

export const DEFAULT_OPTIONS: Readonly<LockstepOptions> = Object.freeze(DEFAULTS);

export class LockstepOptionsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LockstepOptionsError';
  }
}

/**
 * Reads the nx-lockstep options from an nx.json object (finding the plugin entry) or from a raw
 * options object, validates them and fills in defaults. nx.json without the plugin → defaults.
 */
export function readLockstepOptions(nxJsonOrOptions: unknown): LockstepOptions {
  if (isRecord(nxJsonOrOptions) && Array.isArray(nxJsonOrOptions.plugins)) {
    const entry = nxJsonOrOptions.plugins.find(
      (p: unknown) => p === PLUGIN_NAME || (isRecord(p) && p.plugin === PLUGIN_NAME),
    );
    return normalizeLockstepOptions(isRecord(entry) ? entry.options : undefined);
  }
  // An nx.json without plugins has none of our keys but may have others (`targetDefaults`, …).
  if (isRecord(nxJsonOrOptions) && looksLikeNxJson(nxJsonOrOptions)) return normalizeLockstepOptions(undefined);
  return normalizeLockstepOptions(nxJsonOrOptions);
}

// Long on purpose: one line per option, read in the order docs/configuration.md lists them.
/** Validates raw plugin options and fills in defaults. Throws LockstepOptionsError. */
export function normalizeLockstepOptions(raw: unknown): LockstepOptions {
  if (raw === undefined || raw === null) return cloneDefaults();
  if (!isRecord(raw)) {
    fail('options', raw, 'an object', `"options": { "deployTargetName": "deploy" }`);
  }
  rejectUnknownKeys('', raw, Object.keys(DEFAULT_OPTIONS), `"options": { "precision": "file" }`);
  const d = DEFAULT_OPTIONS;
  const docker = readObject(
    'docker',
    raw.docker,
    Object.keys(d.docker),
    `"docker": { "registry": "ghcr.io/acme", "push": true }`,
  );
  const pipelines = readObject(
    'pipelines',
    raw.pipelines,
    Object.keys(d.pipelines),
    `"pipelines": { "provider": "github", "environments": ["staging", "production"] }`,
  );

  return {
    markers: readGlobs('markers', raw.markers, d.markers, `"markers": ["deploy/Dockerfile", "*.fly.toml"]`),
    excludeMarkers: readGlobs('excludeMarkers', raw.excludeMarkers, d.excludeMarkers, `"excludeMarkers": ["Procfile"]`),
    include: readGlobs('include', raw.include, d.include, `"include": ["api", "web-*"]`),
    exclude: readGlobs('exclude', raw.exclude, d.exclude, `"exclude": ["*-e2e"]`),
    deployTargetName: readTargetName(
      'deployTargetName',
      raw.deployTargetName,
      d.deployTargetName,
      `"deployTargetName": "ship"`,
    ),
    affectedDeployTargetName: readTargetName(
      'affectedDeployTargetName',
      raw.affectedDeployTargetName,
      d.affectedDeployTargetName,
      `"affectedDeployTargetName": "deploy-if-affected"`,
    ),
    docker: {
      registry: readName(
        'docker.registry',
        docker.registry,
        d.docker.registry,
        REGISTRY,
        `"registry": "ghcr.io/acme"`,
        true,
      ),
      imageName: readImageName(docker.imageName, d.docker.imageName),
      push: readBoolean('docker.push', docker.push, d.docker.push, `"push": false`),
    },
    entryPoints: readEntryPoints(raw.entryPoints),
    precision: readEnum('precision', raw.precision, d.precision, PRECISIONS, `"precision": "file"`),
    globalInputs: readGlobs(
      'globalInputs',
      raw.globalInputs,
      d.globalInputs,
      `"globalInputs": ["tsconfig.base.json", ".nvmrc"]`,
    ),
    generated: readGeneratedOption(raw.generated),
    markerPrefix: readName('markerPrefix', raw.markerPrefix, d.markerPrefix, GIT_REF, `"markerPrefix": "deployed"`),
    remote: readName('remote', raw.remote, d.remote, REMOTE, `"remote": "origin"`),
    verifyTargets: readVerifyTargets(raw.verifyTargets, d.verifyTargets),
    pipelines: {
      provider: readEnum(
        'pipelines.provider',
        pipelines.provider,
        d.pipelines.provider,
        PIPELINE_PROVIDERS,
        `"provider": "gitlab"`,
      ),
      environments: readEnvironments(pipelines.environments, d.pipelines.environments),
      defaultBranch: readName(
        'pipelines.defaultBranch',
        pipelines.defaultBranch,
        d.pipelines.defaultBranch,
        GIT_REF,
        `"defaultBranch": "main"`,
      ),
      nodeVersion:
        pipelines.nodeVersion === undefined
          ? d.pipelines.nodeVersion
          : readName('pipelines.nodeVersion', pipelines.nodeVersion, '', NODE_VERSION, `"nodeVersion": "24"`),
      installCommand: readNonEmptyString(
        'pipelines.installCommand',
        pipelines.installCommand,
        d.pipelines.installCommand,
        `"installCommand": "pnpm install --frozen-lockfile"`,
      ),
      runnerImage:
        pipelines.runnerImage === undefined
          ? d.pipelines.runnerImage
          : readNonEmptyString('pipelines.runnerImage', pipelines.runnerImage, '', `"runnerImage": "ubuntu-24.04"`),
      setupSteps: readArray(
        'pipelines.setupSteps',
        pipelines.setupSteps,
        d.pipelines.setupSteps,
        `"setupSteps": [{ "uses": "pnpm/action-setup@v4" }]`,
      ),
    },
  };
}

// Names end up in target names, git refs and generated CI files (safety rule 4): keep them plain.
const REMOTE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const GIT_REF = /^(?!.*\.\.)(?!.*\/\/)(?!.*\.lock$)[A-Za-z0-9][A-Za-z0-9_./-]*(?<![/.])$/;
const REGISTRY = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;
const NODE_VERSION = /^(\d+(\.\d+){0,2}(\.x)?|lts\/\*|lts\/[a-z]+|latest|node)$/;
const IMAGE_TEMPLATE = /^[a-z0-9{][a-zA-Z0-9{}._/-]*$/;

function cloneDefaults(): LockstepOptions {
  return structuredClone({ ...DEFAULT_OPTIONS }) as LockstepOptions;
}

// Keys only nx.json has: an object with one of them is an nx.json without our plugin entry, not
// options with a typo (those must fail as unknown options).
const NX_JSON_KEYS = [
  '$schema',
  'extends',
  'targetDefaults',
  'namedInputs',
  'defaultBase',
  'affected',
  'workspaceLayout',
  'tasksRunnerOptions',
  'analytics',
  'neverConnectToCloud',
  'nxCloudId',
  'nxCloudAccessToken',
  'release',
  'generators',
  'cli',
  'sync',
  'parallel',
  'cacheDirectory',
  'useInferencePlugins',
  'installation',
  'defaultProject',
  'npmScope',
];

function looksLikeNxJson(value: Record<string, unknown>): boolean {
  return NX_JSON_KEYS.some((key) => key in value);
}

function fail(option: string, value: unknown, expected: string, example: string): never {
  throw new LockstepOptionsError(
    `nx-lockstep: invalid option "${option}" in nx.json: expected ${expected}, got ${show(value)}. ` +
      `Example: ${example}`,
  );
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function rejectUnknownKeys(prefix: string, value: Record<string, unknown>, known: string[], example: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new LockstepOptionsError(
        `nx-lockstep: unknown option "${prefix}${key}" in nx.json (value ${show(value[key])}). ` +
          `Valid ${prefix ? `keys of "${prefix.slice(0, -1)}"` : 'options'}: ${known.join(', ')}. Example: ${example}`,
      );
    }
  }
}

function readObject(option: string, value: unknown, known: string[], example: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (!isRecord(value)) fail(option, value, 'an object', example);
  rejectUnknownKeys(`${option}.`, value, known, example);
  return value;
}

function readGlobs(option: string, value: unknown, fallback: string[], example: string): string[] {
  if (value === undefined) return [...fallback];
  if (!Array.isArray(value)) fail(option, value, 'an array of glob strings', example);
  value.forEach((glob, index) => {
    if (typeof glob !== 'string') fail(`${option}[${index}]`, glob, 'a glob string', example);
    const problem = findGlobSyntaxError(glob);
    if (problem) fail(`${option}[${index}]`, glob, `a well-formed glob, but ${problem}`, example);
  });
  return [...value];
}

function readName(
  option: string,
  value: unknown,
  fallback: string,
  pattern: RegExp,
  example: string,
  allowEmpty = false,
): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') fail(option, value, 'a string', example);
  if (allowEmpty && value === '') return value;
  if (!pattern.test(value)) fail(option, value, `a string matching ${pattern}`, example);
  return value;
}

function readTargetName(option: string, value: unknown, fallback: string, example: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') fail(option, value, 'a string', example);
  const problem = targetNameProblem(value);
  if (problem) fail(option, value, problem, example);
  return value;
}

function readNonEmptyString(option: string, value: unknown, fallback: string, example: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.trim() === '') fail(option, value, 'a non-empty string', example);
  return value;
}

function readBoolean(option: string, value: unknown, fallback: boolean, example: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') fail(option, value, 'true or false', example);
  return value;
}

function readArray(option: string, value: unknown, fallback: unknown[], example: string): unknown[] {
  if (value === undefined) return structuredClone(fallback);
  if (!Array.isArray(value)) fail(option, value, 'an array', example);
  return structuredClone(value);
}

function readEnum<T extends string>(
  option: string,
  value: unknown,
  fallback: T,
  allowed: readonly T[],
  example: string,
): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !allowed.includes(value as T)) {
    fail(option, value, `one of ${allowed.map((a) => `"${a}"`).join(', ')}`, example);
  }
  return value as T;
}

function readImageName(value: unknown, fallback: string): string {
  const example = `"imageName": "acme-{projectName}"`;
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !IMAGE_TEMPLATE.test(value)) {
    fail(
      'docker.imageName',
      value,
      'an image name template of lower-case letters, digits, ".", "_", "-", "/" and {projectName}',
      example,
    );
  }
  const placeholders = value.match(/\{[^}]*\}|[{}]/g) ?? [];
  const unknown = placeholders.find((p) => p !== '{projectName}');
  if (unknown) fail('docker.imageName', value, `only the placeholder {projectName} (found ${unknown})`, example);
  if (/[A-Z]/.test(value.replace(/\{projectName\}/g, '')))
    fail('docker.imageName', value, 'a lower-case image name', example);
  return value;
}

function readEntryPoints(value: unknown): Record<string, string[]> {
  const example = `"entryPoints": { "api": ["apps/api/src/main.ts"] }`;
  if (value === undefined) return {};
  if (!isRecord(value)) fail('entryPoints', value, 'an object mapping project names to arrays of files', example);
  const result: Record<string, string[]> = {};
  for (const [project, files] of Object.entries(value)) {
    const option = `entryPoints.${project}`;
    const nameProblem = projectNameProblem(project);
    if (nameProblem) fail('entryPoints', project, `keys that are project names: ${nameProblem}`, example);
    if (!Array.isArray(files) || files.length === 0)
      fail(option, files, 'a non-empty array of workspace-relative files', example);
    for (const file of files) {
      if (
        typeof file !== 'string' ||
        file === '' ||
        file.startsWith('/') ||
        /^[A-Za-z]:/.test(file) ||
        file.split(/[\\/]/).includes('..')
      ) {
        fail(option, file, 'a workspace-relative file path (no leading "/", no "..")', example);
      }
    }
    result[project] = files.map((file: string) => file.replace(/\\/g, '/').replace(/^\.\//, ''));
  }
  return result;
}

function readEnvironments(value: unknown, fallback: string[]): string[] {
  const example = `"environments": ["staging", "production"]`;
  if (value === undefined) return [...fallback];
  if (!Array.isArray(value) || value.length === 0)
    fail('pipelines.environments', value, 'a non-empty array of environment names', example);
  for (const env of value) {
    if (!isValidEnvironmentName(env))
      fail('pipelines.environments', env, `an environment name of ${ENVIRONMENT_NAME_RULE}`, example);
  }
  if (new Set(value).size !== value.length)
    fail('pipelines.environments', value, 'environment names without duplicates', example);
  return [...value];
}

function readVerifyTargets(value: unknown, fallback: string[]): string[] {
  const example = `"verifyTargets": ["lint", "test", "build"]`;
  if (value === undefined) return [...fallback];
  if (!Array.isArray(value) || value.length === 0)
    fail('verifyTargets', value, 'a non-empty array of target names', example);
  value.forEach((target, index) => {
    if (typeof target !== 'string') fail(`verifyTargets[${index}]`, target, 'a target name', example);
    const problem = targetNameProblem(target);
    if (problem) fail(`verifyTargets[${index}]`, target, problem, example);
  });
  if (new Set(value).size !== value.length) fail('verifyTargets', value, 'target names without duplicates', example);
  return [...value];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of unknown shape, narrowed where it is read
function isRecord(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
