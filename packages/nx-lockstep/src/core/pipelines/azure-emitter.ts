import type { DeployablePipeline, PipelineEmitter, PipelinePlan } from './pipeline-plan';
import { assertAzureSafe, displayName } from './pipeline-names';
import { AZURE_THREAD_SCRIPT } from './comment-scripts';
import { inRepository } from './plan-pipelines';
import { NX_CACHE_PATH, PLAN_FILE_NAME, planCommand, verifyCommand, deployCommand } from './verify-and-plan';
import { analysisCachePath, pipelineFiles, watchedPaths, yamlFile } from './yaml-file';

const DIRECTORY = 'azure-pipelines';

/** Azure Pipelines: `azure-pipelines/deploy-<project>.yml`, one stage with a deployment job per environment. */
export const azureEmitter: PipelineEmitter = {
  provider: 'azure',
  directory: DIRECTORY,
  pipelinePath: (slug) => `${DIRECTORY}/deploy-${slug}.yml`,
  emit(plan) {
    return {
      files: [
        ...pipelineFiles(plan, this.pipelinePath, pipeline),
        // One pull-request plan for the workspace, while it has a deployable.
        ...(plan.deployables.length > 0
          ? [{ path: `${DIRECTORY}/${PLAN_FILE_NAME}`, content: yamlFile(pullRequestPlan(plan)) }]
          : []),
      ],
      blocks: [],
    };
  },
};

function stageName(env: string): string {
  return `deploy_${env.replace(/-/g, '_')}`;
}

function pipeline(plan: PipelinePlan, deployable: DeployablePipeline, path: string): Record<string, unknown> {
  assertAzureSafe(deployable.project);
  const { settings } = plan;
  const name = displayName(deployable.project);
  return {
    trigger: {
      branches: { include: [settings.defaultBranch] },
      paths: { include: watchedPaths(plan, deployable, path) },
    },
    pr: 'none',
    // Runs of this pipeline wait for each other per environment instead of overlapping.
    lockBehavior: 'sequential',
    variables: { LOCKSTEP_PROJECT: deployable.project },
    stages: [
      // Lint, test, typecheck and build of what changed in its own closure, before any deploy.
      {
        stage: 'verify',
        displayName: 'verify',
        jobs: [
          {
            job: 'verify',
            displayName: `verify ${name}`,
            pool: { vmImage: settings.runnerImage ?? 'ubuntu-latest' },
            steps: inWorkspace(plan, [
              ...prepareSteps(plan),
              nxCacheStep(plan, deployable),
              { script: verifyCommand(plan), displayName: 'Verify what changed in its closure' },
            ]),
          },
        ],
      },
      ...deployStages(plan, deployable),
    ],
  };
}

function deployStages(plan: PipelinePlan, deployable: DeployablePipeline): unknown[] {
  const { settings } = plan;
  const name = displayName(deployable.project);
  return settings.environments.map((env, index) => ({
    stage: stageName(env),
    displayName: `deploy to ${env}`,
    dependsOn: [index === 0 ? 'verify' : stageName(settings.environments[index - 1])],
    jobs: [
      {
        deployment: 'deploy',
        displayName: `deploy ${name} to ${env}`,
        environment: env,
        pool: { vmImage: settings.runnerImage ?? 'ubuntu-latest' },
        strategy: {
          runOnce: {
            deploy: {
              steps: inWorkspace(plan, [
                // Credentials kept to push the marker tag.
                ...prepareSteps(plan, { persistCredentials: true }),
                // The verify stage's cache: the deploy's own build tasks restore what verify built.
                nxCacheStep(plan, deployable),
                {
                  script: 'git config user.name "azure-pipelines" && git config user.email "azure-pipelines@localhost"',
                  displayName: 'Identify the marker tagger',
                },
                {
                  script: deployCommand(settings.affectedDeployTargetName, env),
                  displayName: 'Deploy if affected',
                },
              ]),
            },
          },
        },
      },
    ],
  }));
}

/** Nx's task cache of this deployable, one entry per commit: what verify builds, deploy restores. */
function nxCacheStep(plan: PipelinePlan, deployable: DeployablePipeline): Record<string, unknown> {
  return {
    task: 'Cache@2',
    inputs: {
      key: `nx-cache | "$(Agent.OS)" | ${deployable.slug} | "$(Build.SourceVersion)"`,
      restoreKeys: `nx-cache | "$(Agent.OS)" | ${deployable.slug}\nnx-cache | "$(Agent.OS)"`,
      path: inRepository(plan, NX_CACHE_PATH),
    },
    displayName: "Restore Nx's task cache",
  };
}

/** Checkout with history and tags, the analysis cache, Node and the install: what every job starts with. */
function prepareSteps(plan: PipelinePlan, checkout: Record<string, unknown> = {}): unknown[] {
  const { settings } = plan;
  return [
    // Full history and tags: the marker is a tag, the base of the affected check.
    { checkout: 'self', fetchDepth: 0, fetchTags: true, ...checkout },
    {
      task: 'Cache@2',
      // One entry per commit, shared by every deployable's pipeline; the newest one restores.
      inputs: {
        key: 'nx-lockstep | "$(Agent.OS)" | "$(Build.SourceVersion)"',
        restoreKeys: 'nx-lockstep | "$(Agent.OS)"',
        path: analysisCachePath(plan),
      },
      displayName: 'Restore the nx-lockstep analysis cache',
    },
    { task: 'NodeTool@0', inputs: { versionSpec: settings.nodeVersion }, displayName: 'Use Node.js' },
    ...settings.setupSteps.map((step) => (typeof step === 'string' ? { script: step } : step)),
    { script: settings.installCommand, displayName: 'Install' },
  ];
}

/**
 * One pipeline for the workspace on pull requests: what the merge would deploy, posted as one
 * pull-request thread that later runs update (Azure Repos, with the job's System.AccessToken;
 * the build service needs "Contribute to pull requests"). Azure builds the merge commit, so the
 * target branch is its first parent.
 */
function pullRequestPlan(plan: PipelinePlan): Record<string, unknown> {
  const { settings } = plan;
  return {
    trigger: 'none',
    pr: { branches: { include: [settings.defaultBranch] } },
    pool: { vmImage: settings.runnerImage ?? 'ubuntu-latest' },
    variables: { LOCKSTEP_PLAN_FILE: '$(Agent.TempDirectory)/lockstep-plan.md' },
    steps: inWorkspace(plan, [
      ...prepareSteps(plan),
      {
        // The merge commit's parents are commits: no branch name reaches the shell.
        script: `LOCKSTEP_BASE_SHA="$(git rev-parse HEAD^1)"\nLOCKSTEP_HEAD_SHA="$(git rev-parse HEAD)"\n${planCommand('LOCKSTEP_BASE_SHA', 'LOCKSTEP_HEAD_SHA')}`,
        displayName: 'Plan the deploys of this pull request',
      },
      {
        script: 'node -e "$LOCKSTEP_COMMENT_SCRIPT"',
        displayName: 'Comment the plan',
        env: { SYSTEM_ACCESSTOKEN: '$(System.AccessToken)', LOCKSTEP_COMMENT_SCRIPT: AZURE_THREAD_SCRIPT },
      },
    ]),
  };
}

/** Script steps run in the workspace folder when the workspace is not the repository root. */
function inWorkspace(plan: PipelinePlan, steps: unknown[]): unknown[] {
  if (!plan.workspaceDir) return steps;
  const workingDirectory = `$(Build.SourcesDirectory)/${plan.workspaceDir}`;
  return steps.map((step) =>
    step && typeof step === 'object' && 'script' in step ? { ...step, workingDirectory } : step,
  );
}
