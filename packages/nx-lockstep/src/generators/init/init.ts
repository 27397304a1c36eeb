/**
 * `nx add nx-lockstep` / `nx g nx-lockstep:init`: registers the plugin in nx.json (once — running
 * it again changes nothing) and prints which projects it will treat as deployable, and why, so a
 * user sees the effect before the first deploy.
 */
import { formatFiles, getProjects, logger, readNxJson, updateNxJson, type Tree } from '@nx/devkit';
import { isMatch } from 'micromatch';
import { describeDeployable, inferDeployable, type DeployableInference } from '../../plugin/infer-deployable';
import { effectiveMarkerGlobs } from '../../plugin/deploy-marker-files';
import { PLUGIN_NAME, readLockstepOptions, type LockstepOptions } from '../../config/options';
import {
  assignOutsideMarkers,
  describeUnassigned,
  OUTSIDE_MARKER_EXAMPLES,
  OUTSIDE_MARKER_GLOBS,
  type UnassignedOutsideMarker,
} from '../../plugin/outside-marker-files';
import type { InitGeneratorSchema } from './schema';

export interface InitResult {
  /** True when this run added the plugin entry to nx.json. */
  registered: boolean;
  deployables: DeployableInference[];
  /** Container files outside every project that name no project, or several. */
  unassigned: UnassignedOutsideMarker[];
}

/** The generator Nx runs. It returns nothing: Nx would call a returned value as a follow-up task. */
export async function initGenerator(tree: Tree, schema: InitGeneratorSchema = {}): Promise<void> {
  await runInit(tree, schema);
}

export default initGenerator;

/** What init does, with what it found returned for callers and tests. */
export async function runInit(tree: Tree, schema: InitGeneratorSchema = {}): Promise<InitResult> {
  const registered = registerPlugin(tree);
  // Validate whatever options are (now) in nx.json, so a bad hand-written entry fails here, early.
  const options = readLockstepOptions(readNxJson(tree) ?? {});
  const { deployables, unassigned } = findDeployables(tree, options);

  logger.info(
    registered ? `nx-lockstep: registered the plugin in nx.json.` : `nx-lockstep: already registered in nx.json.`,
  );
  if (deployables.length === 0) {
    logger.info(
      `nx-lockstep: no deployable projects found. A project is deployable when its root holds a deploy marker ` +
        `(Dockerfile, fly.toml, vercel.json, vercel.ts, serverless.yml, …), a Dockerfile outside it names it ` +
        `(${OUTSIDE_MARKER_EXAMPLES}), it is tagged "deployable", or it has its own "${options.deployTargetName}" target.`,
    );
  } else {
    logger.info(`nx-lockstep: found ${deployables.length} deployable project(s):`);
    for (const deployable of deployables) logger.info(`  - ${describeDeployable(deployable, options)}`);
  }
  if (unassigned.length > 0) {
    logger.info(`nx-lockstep: container files outside the projects that name no single project (not inferred):`);
    for (const marker of unassigned) logger.info(`  - ${describeUnassigned(marker, options.deployTargetName)}`);
  }

  if (!schema.skipFormat) await formatFiles(tree);
  return { registered, deployables, unassigned };
}

/** Adds `{ plugin: 'nx-lockstep', options: {} }` unless nx.json already lists the plugin in any form. */
function registerPlugin(tree: Tree): boolean {
  const nxJson = readNxJson(tree) ?? {};
  const plugins = nxJson.plugins ?? [];
  const present = plugins.some((p) => (typeof p === 'string' ? p : p.plugin) === PLUGIN_NAME);
  if (present) return false;
  nxJson.plugins = [...plugins, { plugin: PLUGIN_NAME, options: {} }];
  updateNxJson(tree, nxJson);
  return true;
}

/** The same inference createNodesV2 runs, over the Tree instead of the disk. */
export function findDeployables(
  tree: Tree,
  options: LockstepOptions,
): { deployables: DeployableInference[]; unassigned: UnassignedOutsideMarker[] } {
  const markerGlobs = effectiveMarkerGlobs(options);
  const nestedGlobs = markerGlobs.filter((glob) => glob.includes('/'));
  const result: DeployableInference[] = [];
  const projects = getProjects(tree);
  // Not visitNotIgnoredFiles: @nx/devkit 24's needs ignore checkers that nx 22 does not export.
  const containerFiles = filesBelow(tree, '.', '', SKIPPED_FOLDERS).filter((file) =>
    isMatch(file, OUTSIDE_MARKER_GLOBS, { dot: true }),
  );
  const outside = assignOutsideMarkers(
    containerFiles,
    [...projects].map(([name, project]) => ({ name, root: project.root || '.' })),
    options,
  );
  for (const [name, project] of projects) {
    const root = project.root || '.';
    const direct = tree.children(root).filter((child) => tree.isFile(root === '.' ? child : `${root}/${child}`));
    const nested =
      nestedGlobs.length > 0 ? filesBelow(tree, root).filter((file) => isMatch(file, nestedGlobs, { dot: true })) : [];
    const inference = inferDeployable(
      {
        name,
        root,
        tags: project.tags ?? [],
        ownTargets: Object.keys(project.targets ?? {}),
        files: [...new Set([...direct, ...nested])].sort(),
        outsideMarkers: outside.byProject.get(name) ?? [],
      },
      options,
    );
    if (inference) result.push(inference);
  }
  return { deployables: result.sort((a, b) => a.project.localeCompare(b.project)), unassigned: outside.unassigned };
}

/** Folders no deploy file is looked for in (build output, caches, dependencies). */
const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git', '.nx', 'dist', 'tmp', 'coverage']);

function filesBelow(
  tree: Tree,
  root: string,
  prefix = '',
  skipped: ReadonlySet<string> = new Set(['node_modules']),
): string[] {
  const files: string[] = [];
  for (const child of tree.children(prefix ? `${root}/${prefix}` : root)) {
    if (skipped.has(child)) continue;
    const relative = prefix ? `${prefix}/${child}` : child;
    const path = root === '.' ? relative : `${root}/${relative}`;
    if (tree.isFile(path)) files.push(relative);
    else files.push(...filesBelow(tree, root, relative, skipped));
  }
  return files;
}
