/**
 * The inferred `lockstep-report` target: the coupling report (`lockstep report`) as an Nx target
 * on the workspace's root project. Nx has no workspace-level targets, and inventing a root
 * project would make every file outside the projects belong to it (changing what Nx and lockstep
 * call affected), so the target is added only where a root project already exists: a root
 * project.json, or a root package.json with an `nx` field.
 */
import type { TargetConfiguration } from '@nx/devkit';

export const REPORT_TARGET_NAME = 'lockstep-report';

export function inferReportTarget(): TargetConfiguration {
  return {
    executor: 'nx:run-commands',
    cache: false,
    options: { command: 'lockstep report', cwd: '{workspaceRoot}' },
    metadata: {
      technologies: ['nx-lockstep'],
      description:
        'Report what makes deployables deploy together: imports between them, blast radius, contract changes, ' +
        'project cycles (add --base=<ref> for a range, --format=markdown|json|sarif, --fail-on=<rules>)',
      help: {
        command: 'npx lockstep report --help',
        example: { args: ['--format=markdown', '--base=origin/main'] },
      },
    },
  };
}

/** Whether the root config files make the workspace root an Nx project. */
export function isRootProject(projectJsonText: string | undefined, packageJsonText: string | undefined): boolean {
  if (projectJsonText !== undefined) return true;
  if (packageJsonText === undefined) return false;
  try {
    const manifest = JSON.parse(packageJsonText) as { nx?: unknown };
    return manifest.nx !== undefined && manifest.nx !== null;
  } catch {
    return false;
  }
}
