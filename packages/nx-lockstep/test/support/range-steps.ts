/**
 * Named ranges on a fixture workspace, for the end-to-end engine specs written in the shape of a
 * real repository's failure (root-manifest, storybook-deployable, container-copy, …): `step`
 * commits an empty "before" commit and the change, so each named change is its own range; the
 * engine answers it (its JSON checked against the result schema) and so does the real nx binary.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from 'vitest';
import { analyzeAffected } from '../../src/adapters/analyze';
import type { AffectedResult, DeployableDecision, Precision } from '../../src/core/result';
import type { FixtureWorkspace } from './fixture-workspace';
import { schemaErrors } from './result-schema';

export interface RangeSteps {
  /** `sha[name]` is the change's commit, `sha['<name>:base']` the commit before it. */
  readonly sha: Record<string, string>;
  step(name: string, files: Record<string, string | null>): void;
  /** `lockstep affected` on the named range, in process, its JSON valid against the schema. */
  analyze(name: string, precision: Precision): Promise<AffectedResult>;
  /** `nx show projects --affected` on the named range, kept to the given projects, sorted. */
  nxAffected(name: string, projects: readonly string[]): string[];
}

/** `workspace` is read when a step runs: the workspace is usually created in `beforeAll`. */
export function rangeSteps(workspace: () => FixtureWorkspace): RangeSteps {
  const sha: Record<string, string> = {};
  return {
    sha,
    step(name, files) {
      sha[`${name}:base`] = workspace().commit(`before ${name}`, {});
      sha[name] = workspace().commit(name, files);
    },
    async analyze(name, precision) {
      const result = await analyzeAffected({
        workspaceRoot: workspace().root,
        base: sha[`${name}:base`],
        head: sha[name],
        precision,
      });
      expect(schemaErrors(JSON.parse(JSON.stringify(result)))).toEqual([]);
      return result;
    },
    nxAffected(name, projects) {
      const root = workspace().root;
      const output = execFileSync(
        join(root, 'node_modules/.bin/nx'),
        ['show', 'projects', '--affected', '--base', sha[`${name}:base`], '--head', sha[name], '--json'],
        { cwd: root, encoding: 'utf8' },
      );
      return (JSON.parse(output.slice(output.indexOf('['))) as string[])
        .filter((project) => projects.includes(project))
        .sort();
    },
  };
}

/** The deployables a result marks affected, in the result's order. */
export const affectedNames = (result: AffectedResult): string[] =>
  result.deployables.filter((decision) => decision.affected).map((decision) => decision.project);

/** The result's decisions by project name. */
export const byProject = (result: AffectedResult): Record<string, DeployableDecision> =>
  Object.fromEntries(result.deployables.map((decision) => [decision.project, decision]));
