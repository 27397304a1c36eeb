import { LockstepOptionsError, type LockstepOptions } from './options';

/**
 * `entryPoints` keys must name projects of the workspace: a typo ("ap" for "api") would leave
 * the deployable on its default entry points without a word. Checked where the projects are
 * known (options alone cannot tell). Throws LockstepOptionsError, a usage error.
 */
export function checkEntryPointProjects(
  options: Pick<LockstepOptions, 'entryPoints' | 'deployTargetName'>,
  projects: readonly { name: string; targets: Record<string, unknown> }[],
): void {
  const known = new Set(projects.map((project) => project.name));
  const unknown = Object.keys(options.entryPoints).filter((project) => !known.has(project));
  if (unknown.length === 0) return;
  const deployableNames = projects
    .filter((project) => options.deployTargetName in project.targets)
    .map((project) => project.name)
    .sort();
  const example = deployableNames[0] ?? 'api';
  throw new LockstepOptionsError(
    `nx-lockstep: invalid option "entryPoints" in nx.json: ${unknown.map((name) => `"${name}"`).join(', ')} ` +
      `${unknown.length === 1 ? 'is not a project' : 'are not projects'} of this workspace. ` +
      `Key entry points by deployable: ${deployableNames.join(', ') || '(none found)'}. ` +
      `Example: "entryPoints": { "${example}": ["<its root>/src/main.ts"] }`,
  );
}
