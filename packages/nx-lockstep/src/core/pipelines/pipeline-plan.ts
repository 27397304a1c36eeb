/**
 * The plain-data model of split pipelines: what each deployable's own pipeline must watch and how
 * it runs. Planning (graph → plan) and emitting (plan → files) are pure; the generators do the I/O.
 */

export type PipelineProvider = 'github' | 'gitlab' | 'azure';
export const PIPELINE_PROVIDERS: readonly PipelineProvider[] = ['github', 'gitlab', 'azure'];

/** The `pipelines` plugin options after defaults, plus the target names the pipelines call. */
export interface PipelineSettings {
  provider: PipelineProvider;
  /** Ordered: each environment is deployed after the previous one succeeded (promotion). */
  environments: string[];
  defaultBranch: string;
  nodeVersion: string;
  installCommand: string;
  /** GitHub `runs-on` label, GitLab `image`, Azure `pool.vmImage`; provider default when unset. */
  runnerImage?: string;
  /** Extra steps before install: a string is a shell line; an object is a provider step verbatim. */
  setupSteps: unknown[];
  affectedDeployTargetName: string;
}

export type PackageManager = 'npm' | 'yarn' | 'pnpm' | 'bun';

/** The workspace as the planner needs it: every project with its root and direct workspace dependencies. */
export interface PipelineWorkspace {
  projects: Record<string, { root: string; dependencies: string[] }>;
  /** Names of the deployables to plan pipelines for. */
  deployables: string[];
  /** Root files that can change what any deployable ships (lockfile, package.json, nx.json, tsconfig…). */
  rootFiles: string[];
  packageManager: PackageManager;
  /**
   * Where the Nx workspace sits inside the git repository ('' at its root, e.g. 'mono'). CI
   * providers read pipelines at the repository root and match paths from there, so paths are
   * prefixed with it and the commands run in it.
   */
  workspaceDir?: string;
}

export interface DeployablePipeline {
  project: string;
  /** File-name-safe form of the project name, unique within the plan. */
  slug: string;
  /** The project's own root first, then the roots of every project it depends on transitively. */
  roots: string[];
}

export interface PipelinePlan {
  settings: PipelineSettings;
  rootFiles: string[];
  packageManager: PackageManager;
  deployables: DeployablePipeline[];
  /** '' when the workspace is the repository root; otherwise its folder, e.g. 'mono'. */
  workspaceDir: string;
}

/** A whole file owned by nx-lockstep (it carries the generated header). */
export interface GeneratedFile {
  path: string;
  content: string;
}

/** A block nx-lockstep manages inside a file the user owns (e.g. `.gitlab-ci.yml`). */
export interface ManagedBlock {
  path: string;
  /** Block body, or null when the block must be removed. */
  body: string | null;
}

export interface PipelineOutput {
  files: GeneratedFile[];
  blocks: ManagedBlock[];
}

export interface PipelineEmitter {
  provider: PipelineProvider;
  /** Where this provider's generated files live; stale generated files there are deleted. */
  directory: string;
  /** The one file a deployable's pipeline is written to. */
  pipelinePath(slug: string): string;
  emit(plan: PipelinePlan): PipelineOutput;
}
