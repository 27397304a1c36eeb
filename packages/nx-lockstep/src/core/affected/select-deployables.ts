/** A name asked for that is not a deployable: a usage error (the CLI exits 2). */
export class NotADeployableError extends Error {
  override name = 'NotADeployableError';
}

/**
 * The deployables among the projects: every project with the deploy target, sorted by name; with
 * `only`, just those (each must be a deployable). The one definition `lockstep affected`,
 * `lockstep status` and the marker reads share.
 */
export function selectDeployables<P extends { name: string; targets: Record<string, unknown> }>(
  projects: Iterable<P>,
  deployTargetName: string,
  only?: readonly string[],
): P[] {
  const deployables = [...projects]
    .filter((project) => deployTargetName in project.targets)
    .sort((a, b) => a.name.localeCompare(b.name));
  if (!only || only.length === 0) return deployables;
  const names = new Set(deployables.map((project) => project.name));
  for (const name of only) {
    if (!names.has(name)) {
      const known = [...names].join(', ') || '(none)';
      throw new NotADeployableError(
        `${name} is not a deployable (a project with a "${deployTargetName}" target); deployables: ${known}`,
      );
    }
  }
  return deployables.filter((project) => only.includes(project.name));
}
