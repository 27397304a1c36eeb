/**
 * What one affected-deploy run works with, validated up front: bad input fails here, naming the
 * option and a valid example, before git or Nx is touched.
 */
import type { ExecutorContext } from '@nx/devkit';
import { DEFAULT_LEASE_EXPIRY, DEFAULT_LEASE_TIMEOUT, validateSeconds } from '../../core/lease';
import { DEFAULT_ENV, markerTagName, validateEnvName } from '../../core/markers';
import { validateProjectRefName } from '../../config/names';
import { PRECISIONS, type Precision } from '../../core/result';
import { readLockstepOptions } from '../../config/options';
import type { AffectedDeployExecutorSchema } from './schema';

export interface DeploySettings {
  root: string;
  project: string;
  env: string;
  precision: Precision;
  deployTarget: string;
  prefix: string;
  remote: string;
  /** The marker tag of (project, env). */
  tag: string;
  pushMarker: boolean;
  /** The project's name inside marker and lease refs. */
  projectRef: string;
  leaseTimeout: number;
  leaseExpiry: number;
}

export function readDeploySettings(options: AffectedDeployExecutorSchema, context: ExecutorContext): DeploySettings {
  const project = context.projectName;
  if (!project) throw new Error('No project: run it as a target, e.g. `nx run api:affected-deploy`.');
  const configuration = context.projectsConfigurations?.projects?.[project];
  if (!configuration) {
    const known = Object.keys(context.projectsConfigurations?.projects ?? {})
      .sort()
      .slice(0, 10)
      .join(', ');
    throw new Error(`Unknown project "${project}". Known projects: ${known || '(none)'}.`);
  }
  const plugin = readLockstepOptions(context.nxJsonConfiguration ?? {});
  const env = validateEnvName(options.env ?? DEFAULT_ENV);
  const precision = options.precision ?? plugin.precision;
  if (!PRECISIONS.includes(precision)) {
    throw new Error(
      `Invalid precision "${String(precision)}": expected one of ${PRECISIONS.join(', ')}, for example "precision": "file".`,
    );
  }
  // Checked before anything runs: a name git refuses must fail here, not after the deploy.
  const projectRef = validateProjectRefName(project);
  const leaseTimeout = validateSeconds('leaseTimeout', options.leaseTimeout, DEFAULT_LEASE_TIMEOUT);
  const leaseExpiry = validateSeconds('leaseExpiry', options.leaseExpiry, DEFAULT_LEASE_EXPIRY);
  const deployTarget = plugin.deployTargetName;
  if (!configuration.targets?.[deployTarget]) {
    throw new Error(
      `Project "${project}" has no "${deployTarget}" target to run. Add one to its project.json, e.g. ` +
        `"targets": { "${deployTarget}": { "command": "fly deploy" } }, or set the plugin option "deployTargetName".`,
    );
  }
  return {
    root: context.root,
    project,
    env,
    precision,
    deployTarget,
    prefix: plugin.markerPrefix,
    remote: plugin.remote,
    tag: markerTagName(plugin.markerPrefix, env, project),
    pushMarker: options.pushMarker !== false,
    projectRef,
    leaseTimeout,
    leaseExpiry,
  };
}
