import { intersects, validRange } from 'semver';
import type { PipelineProvider } from './pipeline-plan';

/**
 * The Node.js version the generated pipelines set up: `pipelines.nodeVersion` when it is set,
 * else the workspace's own (`.nvmrc`, `.node-version`, `volta.node` then `engines.node` of the
 * root package.json), else FALLBACK_NODE_VERSION. Each provider gets it in the form its runner
 * takes: GitHub's `actions/setup-node` a version, range or alias; GitLab a `node` image tag;
 * Azure's `NodeTool` task a version or range (no aliases).
 */

/** Node's LTS line the pipelines set up when neither the options nor the workspace name one. */
export const FALLBACK_NODE_VERSION = '24';

/** The oldest Node.js nx-lockstep runs on (its package's `engines.node`). */
const OLDEST_MAJOR = 20;

/** What the workspace says about its Node.js version, as read from its files (absent: undefined). */
export interface WorkspaceNodeFiles {
  /** `.nvmrc`'s text. */
  nvmrc?: string;
  /** `.node-version`'s text. */
  nodeVersionFile?: string;
  /** The root package.json, parsed (anything: only `volta.node` and `engines.node` are read). */
  packageJson?: unknown;
}

export interface ChosenNodeVersion {
  /** As the provider takes it (see nodeVersionFor). */
  version: string;
  /** Where it came from: `pipelines.nodeVersion`, `.nvmrc`, `.node-version`, `package.json volta.node`, `package.json engines.node` or `default`. */
  source: string;
  /** Workspace values that could not be used, and versions older than nx-lockstep runs on. */
  warnings: string[];
}

export class NodeVersionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NodeVersionError';
  }
}

/**
 * Chooses the version (see above). A configured value the provider cannot take throws
 * NodeVersionError; a workspace value it cannot take is passed over with a warning.
 */
export function chooseNodeVersion(
  provider: PipelineProvider,
  configured: string | undefined,
  files: WorkspaceNodeFiles,
): ChosenNodeVersion {
  const warnings: string[] = [];
  const chosen = (version: string, source: string): ChosenNodeVersion => {
    const major = /^(\d+)/.exec(version)?.[1];
    if (major !== undefined && Number(major) < OLDEST_MAJOR)
      warnings.push(
        `${source} asks for Node.js ${version}, older than nx-lockstep runs on (${OLDEST_MAJOR}.19 or later): the pipelines' lockstep steps will fail there; set "pipelines.nodeVersion" in the nx-lockstep plugin options.`,
      );
    return { version, source, warnings };
  };
  if (configured !== undefined) {
    const version = nodeVersionFor(provider, configured);
    if (version === undefined)
      throw new NodeVersionError(
        `nx-lockstep pipelines: "pipelines.nodeVersion": ${JSON.stringify(configured)} cannot be set up by ${RUNNER[provider]}, which takes a version or range such as "24", "24.x" or "22.11.0"; set one.`,
      );
    return chosen(version, 'pipelines.nodeVersion');
  }
  const fromFile = (text: string | undefined, source: string) => {
    if (text === undefined) return undefined;
    const value = versionFileValue(text);
    const version = value === undefined ? undefined : nodeVersionFor(provider, value);
    if (version === undefined)
      warnings.push(
        `${source} holds ${JSON.stringify(text.trim().split(/\r?\n/)[0] ?? '')}, which ${RUNNER[provider]} cannot set up: passed over.`,
      );
    return version;
  };
  const nvmrc = fromFile(files.nvmrc, '.nvmrc');
  if (nvmrc !== undefined) return chosen(nvmrc, '.nvmrc');
  const nodeVersionFile = fromFile(files.nodeVersionFile, '.node-version');
  if (nodeVersionFile !== undefined) return chosen(nodeVersionFile, '.node-version');
  const manifest = isRecord(files.packageJson) ? files.packageJson : {};
  const volta = isRecord(manifest.volta) ? manifest.volta.node : undefined;
  if (volta !== undefined) {
    const version = typeof volta === 'string' ? fromFile(volta, 'package.json volta.node') : undefined;
    if (typeof volta !== 'string') warnings.push('package.json volta.node is not a string: passed over.');
    if (version !== undefined) return chosen(version, 'package.json volta.node');
  }
  const engines = isRecord(manifest.engines) ? manifest.engines.node : undefined;
  if (engines !== undefined) {
    const major = typeof engines === 'string' ? majorWithin(engines) : undefined;
    if (major !== undefined) return chosen(major, 'package.json engines.node');
    warnings.push(
      `package.json engines.node ${JSON.stringify(engines)} allows no Node.js line from ${OLDEST_MAJOR} on that nx-lockstep knows: passed over.`,
    );
  }
  return chosen(FALLBACK_NODE_VERSION, 'default');
}

/**
 * `value` (a version, `N.x`, a range, or one of nvm's aliases `lts/*`, `lts/<name>`, `node`,
 * `latest`) in the form the provider's runner takes, or undefined when it has none.
 */
export function nodeVersionFor(provider: PipelineProvider, value: string): string | undefined {
  const alias = /^(lts\/\*|lts\/[a-z]+|node|latest)$/.exec(value)?.[1];
  const plain = /^\d+(\.\d+){0,2}$/.test(value) || /^\d+(\.\d+)?\.x$/.test(value);
  switch (provider) {
    case 'github':
      // actions/setup-node takes versions, ranges and these aliases.
      return alias !== undefined || plain || validRange(value) !== null ? value : undefined;
    case 'gitlab':
      // The official image's tags: 24, 24.11, 24.11.1, lts, latest, and each LTS line's codename.
      if (alias === 'lts/*') return 'lts';
      if (alias === 'node' || alias === 'latest') return 'latest';
      if (alias !== undefined) return alias.slice('lts/'.length);
      return plain ? value.replace(/\.x$/, '') : undefined;
    case 'azure':
      // NodeTool@0's versionSpec is a semver spec: no aliases.
      return alias === undefined && (plain || validRange(value) !== null) ? value : undefined;
  }
}

const RUNNER: Record<PipelineProvider, string> = {
  github: "GitHub's actions/setup-node",
  gitlab: 'a GitLab node image tag',
  azure: "Azure Pipelines' NodeTool task",
};

/** A version file's value (nvm, nodenv, fnm): its first line, without a leading `v`; undefined when empty. */
function versionFileValue(text: string): string | undefined {
  const line = text
    .split(/\r?\n/)
    .map((entry) => entry.replace(/#.*$/, '').trim())
    .find((entry) => entry !== '');
  return line?.replace(/^v(?=\d)/, '').toLowerCase();
}

/**
 * The Node.js LTS line an `engines.node` range allows: FALLBACK_NODE_VERSION when it does, else
 * the newest one it does (as a major, e.g. "22"); undefined when the range is not one or allows none.
 */
function majorWithin(range: string): string | undefined {
  if (validRange(range) === null) return undefined;
  const lines = [Number(FALLBACK_NODE_VERSION), ...LTS_LINES.filter((line) => line !== Number(FALLBACK_NODE_VERSION))];
  const line = lines.find((major) => intersects(range, `^${major}.0.0`));
  return line === undefined ? undefined : String(line);
}

/** Node's LTS lines from the oldest nx-lockstep runs on, newest first. */
const LTS_LINES = [26, 24, 22, 20];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
