import type { PipelineEmitter, PipelinePlan, DeployablePipeline } from './pipeline-plan';
import { displayName, githubLiteral } from './pipeline-names';
import { inRepository } from './plan-pipelines';
import { analysisCachePath, pipelineFiles, watchedPaths } from './yaml-file';

const DIRECTORY = '.github/workflows';
const CACHE: Record<string, string | undefined> = { npm: 'npm', yarn: 'yarn', pnpm: 'pnpm' };

/** GitHub Actions: `.github/workflows/deploy-<project>.yml`, one job per environment. */
export const githubEmitter: PipelineEmitter = {
  provider: 'github',
  directory: DIRECTORY,
  pipelinePath: (slug) => `${DIRECTORY}/deploy-${slug}.yml`,
  emit(plan) {
    return { files: pipelineFiles(plan, this.pipelinePath, workflow), blocks: [] };
  },
};

function workflow(plan: PipelinePlan, deployable: DeployablePipeline, path: string): Record<string, unknown> {
  const { settings } = plan;
  const name = displayName(deployable.project);
  const jobs: Record<string, unknown> = {};
  settings.environments.forEach((env, index) => {
    const previous = settings.environments[index - 1];
    jobs[`deploy-${env}`] = {
      name: `deploy ${name} to ${env}`,
      ...(previous ? { needs: [`deploy-${previous}`] } : {}),
      'runs-on': settings.runnerImage ?? 'ubuntu-latest',
      environment: env,
      // One deploy per project and environment at a time; a running deploy is never cancelled.
      concurrency: { group: `deploy-${deployable.slug}-${env}`, 'cancel-in-progress': false },
      // The marker tag is pushed by this job, so only it may write.
      permissions: { contents: 'write' },
      steps: [
        // Full history and tags: the marker tag is the base of the affected check.
        { uses: 'actions/checkout@v4', with: { 'fetch-depth': 0, 'fetch-tags': true } },
        {
          name: 'Restore the nx-lockstep analysis cache',
          uses: 'actions/cache@v4',
          // One entry per commit, shared by every deployable's workflow; the newest one restores.
          with: {
            path: analysisCachePath(plan),
            key: 'nx-lockstep-${{ runner.os }}-${{ github.sha }}',
            'restore-keys': 'nx-lockstep-${{ runner.os }}-',
          },
        },
        {
          uses: 'actions/setup-node@v4',
          with: {
            'node-version': settings.nodeVersion,
            ...(CACHE[plan.packageManager] ? { cache: CACHE[plan.packageManager] } : {}),
            // setup-node looks for the lockfile at the repository root unless told.
            ...(CACHE[plan.packageManager] && plan.workspaceDir
              ? { 'cache-dependency-path': inRepository(plan, lockfileOf(plan)) }
              : {}),
          },
        },
        ...settings.setupSteps.map((step) => (typeof step === 'string' ? { run: step } : step)),
        { name: 'Install', run: settings.installCommand },
        {
          name: 'Identify the marker tagger',
          run: 'git config user.name "github-actions[bot]"\ngit config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
        },
        {
          name: `Deploy if affected`,
          // The project name reaches the shell only through an environment variable, never inline.
          run: `npx nx run "$LOCKSTEP_PROJECT:${settings.affectedDeployTargetName}" --env=${env}`,
        },
      ],
    };
  });

  return {
    name: `deploy ${name}`,
    on: {
      push: {
        branches: [settings.defaultBranch],
        paths: watchedPaths(plan, deployable, path),
      },
      workflow_dispatch: {},
    },
    permissions: { contents: 'read' },
    env: { LOCKSTEP_PROJECT: githubLiteral(deployable.project) },
    // Workflows live at the repository root; the workspace may be a folder of it.
    ...(plan.workspaceDir ? { defaults: { run: { 'working-directory': plan.workspaceDir } } } : {}),
    jobs,
  };
}

const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json', 'pnpm-lock.yaml', 'yarn.lock'];

function lockfileOf(plan: PipelinePlan): string {
  return plan.rootFiles.find((file) => LOCKFILES.includes(file)) ?? 'package-lock.json';
}
