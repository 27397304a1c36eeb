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
});
