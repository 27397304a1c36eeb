import type { ProjectGraph, Tree } from '@nx/devkit';
import { isMatch } from 'micromatch';
import type { PipelineWorkspace } from '../../core/pipelines/pipeline-plan';
import { LOCKFILES } from '../../core/lockfile/lockfiles';
import { parseYaml } from '../../core/lockfile/locked-packages';
import { patchLocations } from '../../core/lockfile/patched-packages';
import type { PipelineConfig } from './pipeline-settings';

/** Turns the Nx project graph into the planner's plain input. */
export function pipelineWorkspace(tree: Tree, graph: ProjectGraph, config: PipelineConfig): PipelineWorkspace {
  const projects: PipelineWorkspace['projects'] = {};
  for (const [name, node] of Object.entries(graph.nodes)) {
    projects[name] = {
      root: node.data.root,
      // npm packages are covered by the lockfile; only workspace projects have roots to watch.
      dependencies: (graph.dependencies[name] ?? [])
        .map((edge) => edge.target)
        .filter((target) => target in graph.nodes),
    };
  }
  const deployables = Object.values(graph.nodes)
    .filter((node) => node.data.targets?.[config.deployTargetName])
    .map((node) => node.name)
    .filter((name) => config.include.length === 0 || isMatch(name, config.include))
    .filter((name) => config.exclude.length === 0 || !isMatch(name, config.exclude));

  const lockfiles = LOCKFILES.filter(({ file }) => tree.exists(file));
  // Patches of installed packages change what the importers ship (engine.md, "Installed package
  // versions"): the pipeline runs when one changes, as for a lockfile.
  const patches = patchLocations({ readText: (path) => tree.read(path, 'utf-8') ?? undefined }, parseYaml);
  const rootFiles = [
    ...(lockfiles.length > 0 ? lockfiles.map(({ file }) => file) : ['package-lock.json']),
    'package.json',
    'nx.json',
    ...config.globalInputs,
    ...patches.files.filter((file) => tree.exists(file)),
    ...patches.folders.filter((folder) => tree.exists(folder) && !tree.isFile(folder)).map((folder) => `${folder}/**`),
  ];
  return { projects, deployables, rootFiles, packageManager: lockfiles[0]?.packageManager ?? 'npm' };
}
