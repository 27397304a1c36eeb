import { stringify } from 'yaml';
import type { DeployablePipeline, PipelineEmitter, PipelinePlan } from './pipeline-plan';
import { gitlabLiteral } from './pipeline-names';
import { GITLAB_NOTE_SCRIPT } from './comment-scripts';
import { NX_CACHE_PATH, PLAN_FILE_NAME, planCommand, verifyCommand, deployCommand } from './verify-and-plan';
import { inRepository } from './plan-pipelines';
import { analysisCachePath, pipelineFiles, watchedPaths, yamlFile } from './yaml-file';

const DIRECTORY = '.gitlab/ci';
export const GITLAB_ROOT_FILE = '.gitlab-ci.yml';

/** GitLab CI: one file per deployable under `.gitlab/ci/`, included from a block in `.gitlab-ci.yml`. */
export const gitlabEmitter: PipelineEmitter = {
  provider: 'gitlab',
  directory: DIRECTORY,
  pipelinePath: (slug) => `${DIRECTORY}/deploy-${slug}.yml`,
  emit(plan) {
    const files = pipelineFiles(plan, this.pipelinePath, jobs);
    // One merge-request plan for the workspace, included with the deployables' pipelines.
    if (files.length > 0)
      files.push({ path: `${DIRECTORY}/${PLAN_FILE_NAME}`, content: yamlFile(mergeRequestPlan(plan)) });
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

export function gitlabVerifyJobName(slug: string): string {
  return `verify:${slug}`;
}

function jobs(plan: PipelinePlan, deployable: DeployablePipeline, path: string): Record<string, unknown> {
  const { settings } = plan;
  const paths = watchedPaths(plan, deployable, path);
  const rules = [
    { if: '$CI_PIPELINE_SOURCE == "web"' },
    { if: `$CI_COMMIT_BRANCH == "${settings.defaultBranch}"`, changes: { paths } },
  ];
  const result: Record<string, unknown> = {
    // Lint, test, typecheck and build of what changed in its own closure, before any deploy; the
    // same rules as the deploy jobs, which need it.
    [gitlabVerifyJobName(deployable.slug)]: {
      // The one stage the docs ask users to keep; `needs` orders the jobs within it.
      stage: 'deploy',
      image: settings.runnerImage ?? `node:${settings.nodeVersion}`,
      cache: caches(plan, deployable),
      variables: { GIT_DEPTH: '0', LOCKSTEP_PROJECT: gitlabLiteral(deployable.project) },
      rules,
      script: [...prepareScript(plan), verifyCommand(plan)],
    },
  };
  settings.environments.forEach((env, index) => {
    const previous = settings.environments[index - 1];
    result[gitlabJobName(deployable.slug, env)] = {
      stage: 'deploy',
      image: settings.runnerImage ?? `node:${settings.nodeVersion}`,
      needs: [previous ? gitlabJobName(deployable.slug, previous) : gitlabVerifyJobName(deployable.slug)],
      // One deploy per project and environment at a time, never interrupted.
      resource_group: `deploy-${deployable.slug}-${env}`,
      environment: { name: env },
      // The analysis caches, shared by every deployable's jobs, and the verify job's Nx cache
      // (the deploy's own build tasks restore what verify built).
      cache: caches(plan, deployable),
      variables: {
        // Full history and tags: the marker tag is the base of the affected check.
        GIT_DEPTH: '0',
        LOCKSTEP_PROJECT: gitlabLiteral(deployable.project),
      },
      rules,
      script: [
        ...prepareScript(plan),
        'git config user.name "gitlab-ci" && git config user.email "gitlab-ci@localhost"',
        deployCommand(settings.affectedDeployTargetName, env),
      ],
    };
  });
  return result;
}

function caches(plan: PipelinePlan, deployable: DeployablePipeline): unknown[] {
  return [
    { key: 'nx-lockstep-analysis', paths: [`${analysisCachePath(plan)}/`] },
    { key: `nx-cache-${deployable.slug}`, paths: [`${inRepository(plan, NX_CACHE_PATH)}/`] },
  ];
}

/** The workspace folder, the setup lines and the install: how every job's script starts. */
function prepareScript(plan: PipelinePlan): string[] {
  const { settings } = plan;
  return [
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
  ];
}

/**
 * One job for the workspace on merge-request pipelines: what the merge would deploy, posted as
 * one merge-request note that later runs update (a project access token in the masked CI/CD
 * variable LOCKSTEP_GITLAB_TOKEN; without it the plan is printed in the job log).
 */
function mergeRequestPlan(plan: PipelinePlan): Record<string, unknown> {
  const { settings } = plan;
  return {
    'lockstep:merge-request-plan': {
      stage: 'deploy',
      image: settings.runnerImage ?? `node:${settings.nodeVersion}`,
      cache: { key: 'nx-lockstep-analysis', paths: [`${analysisCachePath(plan)}/`], policy: 'pull' },
      variables: {
        GIT_DEPTH: '0',
        LOCKSTEP_PLAN_FILE: 'lockstep-plan.md',
        LOCKSTEP_COMMENT_SCRIPT: gitlabLiteral(GITLAB_NOTE_SCRIPT),
      },
      rules: [{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }],
      script: [
        ...prepareScript(plan),
        // GitLab gives the merge base and the head as commits: no branch name reaches the shell.
        planCommand('CI_MERGE_REQUEST_DIFF_BASE_SHA', 'CI_COMMIT_SHA'),
        'node -e "$LOCKSTEP_COMMENT_SCRIPT"',
      ],
    },
  };
}
