/**
 * The rules of "What a deployable ships" (DESIGN.md) gathered for one analysis: build inputs per
 * deployable, projects as scopes (owners, dependencies), generators of missing paths, and the
 * entry points (all own non-test sources). It reads what the snapshot and the project graph hold
 * and hands plain predicates to the pure decision (core/affected/decide-deployable).
 */
import { buildInputsOf, type BuildInputs, type NxJsonInputs } from './build-inputs';
import type { DeployableInput } from './decide-deployable';
import { containerCopyChanges, containerFilesOf, type ContainerFile } from './container-inputs';
import { dependencyInputChanges } from './dependency-inputs';
import { isToolConfig, ownEntryPoints } from './entry-points';
import type { PackageVersionChanges } from './lockfile-comparison';
import type { FileChange } from './file-change';
import { createGeneratorLookup, type GeneratedOption } from './generated-code';
import { createProjectScope, type ProjectScope } from './project-scope';
import { matcher as globMatcher } from 'micromatch';
import { isSourceFile, isStoryFile, isTestFile } from '../extract/file-kinds';
import type { Reason } from '../result';
import type { ImportGraph } from '../graph/import-graph';
import type { ModelProject } from '../model/workspace-model';

type WorkspaceProject = ModelProject;

/** The projects and, where Nx computed them, their dependencies. */
interface WorkspaceProjectGraph {
  projects: Readonly<Record<string, ModelProject>>;
  dependencies?: Readonly<Record<string, readonly string[]>>;
}

export interface RulesSource {
  graph: WorkspaceProjectGraph;
  /** Parsed nx.json of the head commit (namedInputs, targetDefaults). */
  nxJson: NxJsonInputs | undefined;
  files: ReadonlySet<string>;
  importGraph: ImportGraph;
  /** package.json text of a project root, at head. */
  readPackageJson(root: string): string | undefined;
  /** Any file's text at head (a deployable's Dockerfile). */
  readText?(path: string): string | undefined;
  deployTargetName: string;
  generated: readonly GeneratedOption[];
}

export interface DeployableRules {
  scope: ProjectScope;
  /** All own non-test sources (or the configured entry points) of a deployable in `files`. */
  entryPoints(project: WorkspaceProject, files: Iterable<string>, configured?: readonly string[]): string[];
  /** What decideDeployable needs besides reach: own inputs, scoped uncertainty, dependency inputs. */
  forDecision(
    project: WorkspaceProject,
    changes: readonly FileChange[],
    packageVersions: PackageVersionChanges,
  ): Pick<DeployableInput, 'ownInput' | 'range' | 'dependencyInputs'>;
}

// Long on purpose: a factory of memoised lookups (manifests, packages used, build inputs) that
// every deployable's decision shares.
export function deployableRules(source: RulesSource): DeployableRules {
  const projects = Object.values(source.graph.projects);
  const nxJson = source.nxJson ?? {};
  const roots = new Map(projects.map((project) => [project.name, project.root] as const));
  const byPackageName = new Map<string, string>();
  const packageJsonOf = new Map<string, Record<string, unknown> | undefined>();
  const manifest = (project: WorkspaceProject) => {
    if (!packageJsonOf.has(project.name)) packageJsonOf.set(project.name, parse(source.readPackageJson(project.root)));
    return packageJsonOf.get(project.name);
  };
  const inputsOf = new Map<string, BuildInputs>();
  const buildInputs = (project: WorkspaceProject) => {
    let inputs = inputsOf.get(project.name);
    if (!inputs)
      inputsOf.set(project.name, (inputs = buildInputsOf(project, nxJson, ['build', source.deployTargetName])));
    return inputs;
  };
  // Which of its own files a project's build reads (own root minus what its inputs exclude); a
  // Storybook ships its own stories, whatever `production` says of stories elsewhere.
  let storybookRootsOf: Set<string> | undefined;
  const isStorybook = (root: string) =>
    (storybookRootsOf ??= storybookRootsIn(source.files)).has(root === '.' ? '' : root);
  const ownInputOf = new Map<string, (file: string) => boolean>();
  const ownInput = (project: WorkspaceProject) => {
    let includes = ownInputOf.get(project.name);
    if (!includes) {
      const inputs = buildInputs(project);
      includes = isStorybook(project.root)
        ? (file) => inputs.includesOwn(file) || isStoryFile(file)
        : inputs.includesOwn;
      ownInputOf.set(project.name, includes);
    }
    return includes;
  };
  const nxDependencies =
    Object.keys(source.graph.dependencies ?? {}).length > 0 ? source.graph.dependencies : undefined;
  const scope = createProjectScope({
    roots,
    files: source.files,
    nxDependencies,
    importsOf: (file) =>
      isSourceFile(file)
        ? source.importGraph
            .edgesOf(file)
            .flatMap((edge) =>
              edge.resolution.kind === 'file' ? [...(edge.resolution.via ?? []), edge.resolution.file] : [],
            )
        : [],
    // Dependency edges come from files that can ship: not from a lint config importing the root one.
    ships: (name, file) => {
      const project = source.graph.projects[name];
      return !isToolConfig(file) && (project ? ownInput(project)(file) : !isTestFile(file));
    },
    declaredDependencies: (name) => {
      if (byPackageName.size === 0)
        for (const project of projects) {
          const packageName = manifest(project)?.name;
          if (typeof packageName === 'string') byPackageName.set(packageName, project.name);
        }
      const own = manifest(source.graph.projects[name]);
      const names = ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'].flatMap((field) =>
        Object.keys((own?.[field] as Record<string, unknown> | undefined) ?? {}),
      );
      return names.map((packageName) => byPackageName.get(packageName)).filter((dep): dep is string => !!dep);
    },
  });
  // The npm packages a project uses, as Nx sees them: what its non-test files import (type-only
  // imports included) and what its package.json names.
  const packagesOf = new Map<string, Set<string>>();
  const packagesUsedBy = (name: string): Set<string> => {
    let used = packagesOf.get(name);
    if (used) return used;
    used = new Set<string>();
    for (const file of scope.filesOf(name)) {
      if (!isSourceFile(file) || isTestFile(file)) continue;
      for (const edge of source.importGraph.edgesOf(file))
        if (edge.resolution.kind === 'external') used.add(edge.resolution.packageName);
    }
    const own = source.graph.projects[name] ? manifest(source.graph.projects[name]) : undefined;
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies'])
      for (const dependency of Object.keys((own?.[field] as Record<string, unknown> | undefined) ?? {}))
        used.add(dependency);
    packagesOf.set(name, used);
    return used;
  };
  const containerFilesByProject = new Map<string, ContainerFile[]>();
  const containerFiles = (project: WorkspaceProject) => {
    let found = containerFilesByProject.get(project.name);
    if (!found) {
      const command = project.targets[source.deployTargetName]?.options?.command;
      found = source.readText ? containerFilesOf(project.root, command, source.files, source.readText) : [];
      containerFilesByProject.set(project.name, found);
    }
    return found;
  };
  const generatorOf = createGeneratorLookup(projects, nxJson, source.generated, scope.ownerOf);
  return {
    scope,
    // At head (`files` is the snapshot's file list) the project's own files are already grouped
    // by the scope, and where Storybooks are is known: no walk over every file per deployable.
    entryPoints: (project, files, configured) =>
      files === source.files
        ? ownEntryPoints(project.root, scope.filesOf(project.name), () => true, configured, ownInput(project), {
            storybook: isStorybook(project.root),
          })
        : ownEntryPoints(
            project.root,
            files,
            (file) => scope.ownerOf(file) === project.name,
            configured,
            ownInput(project),
          ),
    forDecision(project, changes, packageVersions) {
      const changedPaths = [
        ...new Set(changes.flatMap((change) => [change.path, ...(change.oldPath ? [change.oldPath] : [])])),
      ];
      const inputs = buildInputs(project);
      return {
        ownInput: ownInput(project),
        range: {
          changedPaths,
          scope,
          changedPackageSources: packageVersions.sources,
          generatorOf,
          packageChangeIn: (projectsInRange) => {
            for (const name of projectsInRange)
              for (const packageName of packagesUsedBy(name)) {
                const change = packageVersions.change(packageName);
                if (change?.unreadable !== undefined) return `${change.unreadable} (used by ${name})`;
                if (change)
                  return `${change.lockfile} (${change.package} ${change.from === null && change.to === null ? 'changed' : `${change.from ?? 'absent'} → ${change.to ?? 'removed'}`}, used by ${name})`;
              }
            return undefined;
          },
        },
        dependencyInputs: [
          ...workspaceInputChanges(project, [source.deployTargetName, 'build'], changedPaths),
          // Files its Dockerfile copies into the image from outside its root (journium-docs).
          ...containerCopyChanges(project.root, containerFiles(project), changedPaths),
          ...dependencyInputChanges({
            deployable: project.name,
            changedPaths,
            inputs,
            scope,
            projectOf: (name) => source.graph.projects[name],
          }),
        ],
      };
    },
  };
}

/**
 * Files outside every project root that its deploy or build target names as `{workspaceRoot}/…`
 * inputs: a Dockerfile kept outside the app (`.deploy/<app>/Dockerfile`, inferred as its deploy
 * target's input) ships with it though no root holds it.
 */
function workspaceInputChanges(
  project: WorkspaceProject,
  targetNames: readonly string[],
  changedPaths: readonly string[],
): Reason[] {
  const reasons: Reason[] = [];
  for (const targetName of targetNames) {
    for (const input of project.targets[targetName]?.inputs ?? []) {
      if (typeof input !== 'string' || !input.startsWith('{workspaceRoot}/')) continue;
      const pattern = input.slice('{workspaceRoot}/'.length);
      const matches = globMatcher(pattern, { dot: true });
      for (const file of changedPaths)
        if (matches(file) && !reasons.some((reason) => 'file' in reason && reason.file === file))
          reasons.push({
            kind: 'global-input-changed',
            file,
            detail: `an input of ${project.name}:${targetName} (${input})`,
          });
    }
  }
  return reasons;
}

/** The folders that hold a `.storybook/` config (isStorybookRoot for every root at once). */
function storybookRootsIn(files: Iterable<string>): Set<string> {
  const roots = new Set<string>();
  for (const file of files)
    for (let at = file.indexOf('.storybook/'); at >= 0; at = file.indexOf('.storybook/', at + 1)) {
      if (at === 0) roots.add('');
      else if (file[at - 1] === '/') roots.add(file.slice(0, at - 1));
    }
  return roots;
}

function parse(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
