import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { AZURE_THREAD_SCRIPT, GITLAB_NOTE_SCRIPT } from './comment-scripts';
import { PIPELINE_EMITTERS } from './pipeline-emitters';
import { planPipelines } from './plan-pipelines';
import { PLAN_COMMENT_MARKER } from './verify-and-plan';

const AsyncFunction = Object.getPrototypeOf(async () => undefined).constructor as new (...args: string[]) => unknown;

const plan = planPipelines(
  {
    projects: { api: { root: 'apps/api', dependencies: [] } },
    deployables: ['api'],
    rootFiles: ['package-lock.json'],
    packageManager: 'npm',
  },
  {
    provider: 'github',
    environments: ['production'],
    defaultBranch: 'main',
    nodeVersion: '20',
    installCommand: 'npm ci',
    setupSteps: [],
    affectedDeployTargetName: 'affected-deploy',
  },
);

describe('pull-request plan comment scripts', () => {
  it('are valid JavaScript: the GitLab and Azure scripts for node -e, the GitHub one for github-script', () => {
    for (const script of [GITLAB_NOTE_SCRIPT, AZURE_THREAD_SCRIPT]) expect(() => new Function(script)).not.toThrow();
    const workflow = parse(PIPELINE_EMITTERS.github.emit(plan).files.at(-1)!.content);
    const script = workflow.jobs.plan.steps.at(-1).with.script as string;
    // github-script runs its script as the body of an async function with these names.
    expect(() => new AsyncFunction('require', 'github', 'context', 'core', script)).not.toThrow();
    for (const text of [GITLAB_NOTE_SCRIPT, AZURE_THREAD_SCRIPT, script]) expect(text).toContain(PLAN_COMMENT_MARKER);
  });

  it('hold nothing a provider would expand: no $ at all, no single quote for the shell', () => {
    for (const script of [GITLAB_NOTE_SCRIPT, AZURE_THREAD_SCRIPT]) {
      expect(script).not.toContain('$');
      expect(script).not.toContain("'");
    }
  });

  it('GitHub: one comment per pull request, found by its marker and updated on the next run', async () => {
    const workflow = parse(PIPELINE_EMITTERS.github.emit(plan).files.at(-1)!.content);
    const script = workflow.jobs.plan.steps.at(-1).with.script as string;
    const run = new AsyncFunction('require', 'github', 'context', 'core', 'process', script) as (
      ...args: unknown[]
    ) => Promise<void>;
    // github-script's objects, in memory: this checks the script's own logic, not GitHub.
    const comments = [{ id: 1, body: 'looks good' }];
    const listComments = Symbol('listComments');
    const github = {
      paginate: async (method: symbol) => (method === listComments ? comments.map((c) => ({ ...c })) : []),
      rest: {
        issues: {
          listComments,
          createComment: async ({ body }: { body: string }) => comments.push({ id: comments.length + 1, body }),
          updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
            comments.find((comment) => comment.id === comment_id)!.body = body;
          },
        },
      },
    };
    const context = { repo: { owner: 'acme', repo: 'shop' }, payload: { pull_request: { number: 12 } } };
    const core = { warning: () => undefined, info: () => undefined };
    for (const text of ['plan one', 'plan two']) {
      const fakeRequire = () => ({ readFileSync: () => text });
      await run(fakeRequire, github, context, core, { env: { LOCKSTEP_PLAN_FILE: '/tmp/plan.md' } });
    }
    expect(comments).toEqual([
      { id: 1, body: 'looks good' },
      { id: 2, body: `${PLAN_COMMENT_MARKER}\nplan two` },
    ]);
  });
});
