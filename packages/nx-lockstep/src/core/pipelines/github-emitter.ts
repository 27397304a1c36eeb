import type { PipelineEmitter, PipelinePlan, DeployablePipeline } from './pipeline-plan';
import { isRootLockfile } from '../lockfile/lockfiles';
import { displayName, githubLiteral } from './pipeline-names';
import { inRepository } from './plan-pipelines';
import {
  NX_CACHE_PATH,
  PLAN_COMMENT_MARKER,
  PLAN_FILE_NAME,
  planCommand,
  verifyCommand,
  deployCommand,
} from './verify-and-plan';
import { analysisCachePath, pipelineFiles, watchedPaths, yamlFile } from './yaml-file';

const DIRECTORY = '.github/workflows';
const CACHE: Record<string, string | undefined> = { npm: 'npm', yarn: 'yarn', pnpm: 'pnpm' };

/** GitHub Actions: `.github/workflows/deploy-<project>.yml`, one job per environment. */
export const githubEmitter: PipelineEmitter = {
  provider: 'github',
  directory: DIRECTORY,
  pipelinePath: (slug) => `${DIRECTORY}/deploy-${slug}.yml`,
  emit(plan) {
    const planPath = `${DIRECTORY}/${PLAN_FILE_NAME}`;
    return {
      files: [
        ...pipelineFiles(plan, this.pipelinePath, workflow),
        // One pull-request plan for the workspace, while it has a deployable.
        ...(plan.deployables.length > 0 ? [{ path: planPath, content: yamlFile(pullRequestPlan(plan)) }] : []),
      ],
      blocks: [],
    };
  },
};

function workflow(plan: PipelinePlan, deployable: DeployablePipeline, path: string): Record<string, unknown> {
  const { settings } = plan;
  const name = displayName(deployable.project);
  const jobs: Record<string, unknown> = {
    // Lint, test, typecheck and build of what changed in its own closure, before any deploy.
    verify: {
      name: `verify ${name}`,
      'runs-on': settings.runnerImage ?? 'ubuntu-latest',
      steps: [
        ...prepareSteps(plan),
        nxCacheStep(plan, deployable),
        { name: 'Verify what changed in its closure', run: verifyCommand(plan) },
      ],
    },
  };
  settings.environments.forEach((env, index) => {
    const previous = settings.environments[index - 1];
    jobs[`deploy-${env}`] = {
      name: `deploy ${name} to ${env}`,
      needs: [previous ? `deploy-${previous}` : 'verify'],
      'runs-on': settings.runnerImage ?? 'ubuntu-latest',
      environment: env,
      // One deploy per project and environment at a time; a running deploy is never cancelled.
      concurrency: { group: `deploy-${deployable.slug}-${env}`, 'cancel-in-progress': false },
      // The marker tag is pushed by this job, so only it may write.
      permissions: { contents: 'write' },
      steps: [
        ...prepareSteps(plan),
        // The verify job's cache: the deploy's own build tasks restore what verify built.
        nxCacheStep(plan, deployable),
        {
          name: 'Identify the marker tagger',
          run: 'git config user.name "github-actions[bot]"\ngit config user.email "41898282+github-actions[bot]@users.noreply.github.com"',
        },
        {
          name: `Deploy if affected`,
          run: deployCommand(settings.affectedDeployTargetName, env),
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

/** Nx's task cache of this deployable, one entry per commit: what verify builds, deploy restores. */
function nxCacheStep(plan: PipelinePlan, deployable: DeployablePipeline): Record<string, unknown> {
  return {
    name: "Restore Nx's task cache",
    uses: 'actions/cache@v4',
    with: {
      path: inRepository(plan, NX_CACHE_PATH),
      key: `nx-cache-\${{ runner.os }}-${deployable.slug}-\${{ github.sha }}`,
      'restore-keys': `nx-cache-\${{ runner.os }}-${deployable.slug}-\nnx-cache-\${{ runner.os }}-`,
    },
  };
}

/** Checkout with history and tags, the analysis cache, Node and the install: what every job starts with. */
function prepareSteps(plan: PipelinePlan, checkout: Record<string, unknown> = {}): unknown[] {
  const { settings } = plan;
  return [
    // Full history and tags: the marker tag is the base of the affected check.
    { uses: 'actions/checkout@v4', with: { 'fetch-depth': 0, 'fetch-tags': true, ...checkout } },
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
  ];
}

/**
 * One workflow for the workspace: on a pull request, what its merge would deploy, as one comment
 * that each run updates. Commits reach the shell through `env` only; the branch name and the
 * title never appear in a script (DESIGN safety rule 4).
 */
function pullRequestPlan(plan: PipelinePlan): Record<string, unknown> {
  const { settings } = plan;
  return {
    name: 'nx-lockstep pull-request plan',
    on: { pull_request: { branches: [settings.defaultBranch] } },
    // Read the code, write one comment: nothing else.
    permissions: { contents: 'read', 'pull-requests': 'write' },
    concurrency: { group: 'lockstep-plan-${{ github.event.pull_request.number }}', 'cancel-in-progress': true },
    ...(plan.workspaceDir ? { defaults: { run: { 'working-directory': plan.workspaceDir } } } : {}),
    jobs: {
      plan: {
        name: 'what this pull request deploys',
        'runs-on': settings.runnerImage ?? 'ubuntu-latest',
        env: {
          LOCKSTEP_BASE_SHA: '${{ github.event.pull_request.base.sha }}',
          LOCKSTEP_HEAD_SHA: '${{ github.event.pull_request.head.sha }}',
        },
        steps: [
          ...prepareSteps(plan, { ref: '${{ github.event.pull_request.head.sha }}' }),
          {
            name: 'Plan the deploys of this pull request',
            env: { LOCKSTEP_PLAN_FILE: PLAN_FILE },
            run: planCommand('LOCKSTEP_BASE_SHA', 'LOCKSTEP_HEAD_SHA'),
          },
          {
            name: 'Comment the plan',
            uses: 'actions/github-script@v7',
            env: { LOCKSTEP_PLAN_FILE: PLAN_FILE },
            with: { script: COMMENT_SCRIPT },
          },
        ],
      },
    },
  };
}

/** Outside the checkout, the same absolute path for a run step in the workspace folder and for github-script. */
const PLAN_FILE = '${{ runner.temp }}/lockstep-plan.md';

/** Finds the plan's earlier comment by its hidden marker and updates it, or adds one. */
const COMMENT_SCRIPT = `const fs = require('fs');
const marker = ${JSON.stringify(PLAN_COMMENT_MARKER)};
const body = marker + '\\n' + fs.readFileSync(process.env.LOCKSTEP_PLAN_FILE, 'utf8');
const { owner, repo } = context.repo;
const issue_number = context.payload.pull_request.number;
try {
  const comments = await github.paginate(github.rest.issues.listComments, { owner, repo, issue_number, per_page: 100 });
  const previous = comments.find((comment) => (comment.body || '').startsWith(marker));
  if (previous) await github.rest.issues.updateComment({ owner, repo, comment_id: previous.id, body });
  else await github.rest.issues.createComment({ owner, repo, issue_number, body });
} catch (error) {
  // A pull request from a fork gets a read-only token: show the plan in the log instead.
  core.warning('could not comment the plan (' + error.message + '); it follows in the log.');
  core.info(body);
}`;

function lockfileOf(plan: PipelinePlan): string {
  return plan.rootFiles.find(isRootLockfile) ?? 'package-lock.json';
}
