import { stringify } from 'yaml';
import type { DeployablePipeline, PipelineEmitter, PipelinePlan } from './pipeline-plan';
import { gitlabLiteral } from './pipeline-names';
import { analysisCachePath, pipelineFiles, watchedPaths } from './yaml-file';

const DIRECTORY = '.gitlab/ci';
export const GITLAB_ROOT_FILE = '.gitlab-ci.yml';

/** GitLab CI: one file per deployable under `.gitlab/ci/`, included from a block in `.gitlab-ci.yml`. */
export const gitlabEmitter: PipelineEmitter = {
  provider: 'gitlab',
  directory: DIRECTORY,
  pipelinePath: (slug) => `${DIRECTORY}/deploy-${slug}.yml`,
  emit(plan) {
    const files = pipelineFiles(plan, this.pipelinePath, jobs);
    const paths = files.map((file) => file.path);
    return {
      files,
      blocks: [
        {
          path: GITLAB_ROOT_FILE,
          body: paths.length > 0 ? stringify({ include: paths.map((local) => ({ local })) }) : null,
        },
      ],
    };
  },
};

export function gitlabJobName(slug: string, env: string): string {
  return `deploy:${slug}:${env}`;
}

function jobs(plan: PipelinePlan, deployable: DeployablePipeline, path: string): Record<string, unknown> {
  const { settings } = plan;
  const paths = watchedPaths(plan, deployable, path);
  const result: Record<string, unknown> = {};
  settings.environments.forEach((env, index) => {
    const previous = settings.environments[index - 1];
    result[gitlabJobName(deployable.slug, env)] = {
      stage: 'deploy',
      image: settings.runnerImage ?? `node:${settings.nodeVersion}`,
      ...(previous ? { needs: [gitlabJobName(deployable.slug, previous)] } : {}),
      // One deploy per project and environment at a time, never interrupted.
      resource_group: `deploy-${deployable.slug}-${env}`,
      environment: { name: env },
      // The analysis caches, shared by every deployable's jobs.
      cache: { key: 'nx-lockstep-analysis', paths: [`${analysisCachePath(plan)}/`] },
      variables: {
        // Full history and tags: the marker tag is the base of the affected check.
        GIT_DEPTH: '0',
        LOCKSTEP_PROJECT: gitlabLiteral(deployable.project),
      },
      rules: [
        { if: '$CI_PIPELINE_SOURCE == "web"' },
        { if: `$CI_COMMIT_BRANCH == "${settings.defaultBranch}"`, changes: { paths } },
      ],
      script: [
        // Jobs start at the repository root; the workspace may be a folder of it (a checked,
        // glob-free path, quoted for the shell).
        ...(plan.workspaceDir ? [`cd '${plan.workspaceDir}'`] : []),
        ...settings.setupSteps.map((step) => {
          if (typeof step !== 'string') {
            throw new Error(
              `nx-lockstep pipelines: GitLab setupSteps must be shell lines (strings), got ${JSON.stringify(step)}; ` +
                `e.g. "pipelines": { "setupSteps": ["corepack enable"] }.`,
            );
          }
          return step;
        }),
        settings.installCommand,
        'git config user.name "gitlab-ci" && git config user.email "gitlab-ci@localhost"',
        // The project name reaches the shell only through a variable, never inline.
        `npx nx run "$LOCKSTEP_PROJECT:${settings.affectedDeployTargetName}" --env=${env}`,
      ],
    };
  });
  return result;
}
