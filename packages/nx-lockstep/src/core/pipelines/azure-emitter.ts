import type { DeployablePipeline, PipelineEmitter, PipelinePlan } from './pipeline-plan';
import { assertAzureSafe, displayName } from './pipeline-names';
import { analysisCachePath, pipelineFiles, watchedPaths } from './yaml-file';

const DIRECTORY = 'azure-pipelines';

/** Azure Pipelines: `azure-pipelines/deploy-<project>.yml`, one stage with a deployment job per environment. */
export const azureEmitter: PipelineEmitter = {
  provider: 'azure',
  directory: DIRECTORY,
  pipelinePath: (slug) => `${DIRECTORY}/deploy-${slug}.yml`,
  emit(plan) {
    return { files: pipelineFiles(plan, this.pipelinePath, pipeline), blocks: [] };
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
    stages: settings.environments.map((env, index) => ({
      stage: stageName(env),
      displayName: `deploy to ${env}`,
      dependsOn: index === 0 ? [] : [stageName(settings.environments[index - 1])],
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
                  // Full history and tags (the marker is a tag); credentials kept to push it.
                  { checkout: 'self', fetchDepth: 0, fetchTags: true, persistCredentials: true },
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
                  {
                    script:
                      'git config user.name "azure-pipelines" && git config user.email "azure-pipelines@localhost"',
                    displayName: 'Identify the marker tagger',
                  },
                  {
                    // The project name reaches the shell only through a variable, never inline.
                    script: `npx nx run "$LOCKSTEP_PROJECT:${settings.affectedDeployTargetName}" --env=${env}`,
                    displayName: 'Deploy if affected',
                  },
                ]),
              },
            },
          },
        },
      ],
    })),
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
