/**
 * A WorkspaceModel held in memory, for testing the pure decision without git, caches or Nx (the
 * way changesets tests assembleReleasePlan with a fake state). Files are analysed by the real
 * extractor and resolver; runtime changes by the real emitter.
 *
 *   const model = inMemoryModel()
 *     .project('api', 'apps/api', { deployable: true })
 *     .files({ 'apps/api/src/main.ts': "import '../../../libs/util/src/index';\n", ... })
 *     .change({ 'libs/util/src/index.ts': 'export const x = 2;\n' })
 *     .build();
 */
import type { FileChange } from '../../affected/file-change';
import { isSourceFile } from '../../extract/file-kinds';
import { summarizeModule } from '../../extract/summarize-module';
import { createImportGraph } from '../../graph/import-graph';
import type { ModuleSummary } from '../../module-summary';
import { changedDeclarations, lazyChange, type ChangeSource } from '../../symbols';
import { inMemoryResolver, type Files } from '../../symbols/__fixtures__/in-memory-workspace';
import type { BaseComparison, ModelProject, ModelTarget, WorkspaceModel, WorkspaceTree } from '../workspace-model';

export const BASE_COMMIT = 'b'.repeat(40);
export const HEAD_COMMIT = 'h'.repeat(40);

export class InMemoryModel {
  private readonly projectList: ModelProject[] = [];
  private readonly deployableNames: string[] = [];
  private readonly bases = new Map<string, string | null>();
  private readonly dependencies: Record<string, string[]> = {};
  private readonly unavailable = new Map<string, string>();
  private readonly configuredEntryPoints: Record<string, string[]> = {};
  private baseFiles: Files = {};
  private headFiles: Files = {};
  private globals: string[] = [];
  private nxAffected?: Set<string>;

  /** A project; a deployable gets a `deploy` target and is compared from the base commit by default. */
  project(
    name: string,
    root: string,
    options: { deployable?: boolean; targets?: Record<string, ModelTarget>; tags?: string[] } = {},
  ) {
    const targets = { ...(options.deployable ? { deploy: {} } : {}), ...options.targets };
    this.projectList.push({ name, root, targets, ...(options.tags ? { tags: options.tags } : {}) });
    if (options.deployable) {
      this.deployableNames.push(name);
      this.bases.set(name, BASE_COMMIT);
    }
    return this;
  }

  dependsOn(project: string, ...dependencies: string[]) {
    this.dependencies[project] = [...(this.dependencies[project] ?? []), ...dependencies];
    return this;
  }

  /** The files at base; head starts as the same files. */
  files(files: Files) {
    this.baseFiles = { ...this.baseFiles, ...files };
    this.headFiles = { ...this.headFiles, ...files };
    return this;
  }

  /** Edits from base to head: a text writes the file, null deletes it. */
  change(edits: Record<string, string | null>) {
    for (const [path, text] of Object.entries(edits)) {
      if (text === null) delete this.headFiles[path];
      else this.headFiles[path] = text;
    }
    return this;
  }

  /** The deployable's base: null = never deployed, or a ref this workspace does not have. */
  deployedAt(project: string, base: null | { unavailable: string; hint: string }) {
    if (base === null) this.bases.set(project, null);
    else {
      this.bases.set(project, base.unavailable);
      this.unavailable.set(base.unavailable, base.hint);
    }
    return this;
  }

  entryPoints(project: string, ...files: string[]) {
    this.configuredEntryPoints[project] = files;
    return this;
  }

  globalInputs(...files: string[]) {
    this.globals = files;
    return this;
  }

  /** What Nx reports affected (project precision). */
  affectedByNx(...projects: string[]) {
    this.nxAffected = new Set(projects);
    return this;
  }

  build(): WorkspaceModel {
    const head = treeOf(HEAD_COMMIT, this.headFiles);
    const changes = diff(this.baseFiles, this.headFiles);
    let baseTree: WorkspaceTree | undefined;
    const comparison: BaseComparison = {
      base: BASE_COMMIT,
      changes,
      tree: () => (baseTree ??= treeOf(BASE_COMMIT, this.baseFiles)),
      runtimeChanges: () => runtimeChanges(changes, this.baseFiles, this.headFiles),
      nxAffected: this.nxAffected,
    };
    return {
      head,
      projects: this.projectList,
      dependencies: this.dependencies,
      deployables: this.projectList
        .filter((project) => this.deployableNames.includes(project.name))
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((project) => ({ project, base: this.bases.get(project.name) ?? null })),
      globalInputs: this.globals,
      entryPoints: this.configuredEntryPoints,
      deployTargetName: 'deploy',
      generated: [],
      compare: (ref) => {
        const hint = this.unavailable.get(ref);
        if (hint !== undefined) return { kind: 'unavailable', hint };
        if (ref !== BASE_COMMIT) throw new Error(`in-memory model: unknown base ${ref}`);
        return { kind: 'available', comparison };
      },
      warnings: [],
      problems: () => [],
    };
  }
}

export function inMemoryModel(): InMemoryModel {
  return new InMemoryModel();
}

function treeOf(commit: string, files: Files): WorkspaceTree {
  const resolve = inMemoryResolver(files);
  const summaries = new Map<string, ModuleSummary | undefined>();
  const summaryOf = (file: string) => {
    if (!summaries.has(file))
      summaries.set(
        file,
        files[file] !== undefined && isSourceFile(file) ? summarizeModule(file, files[file]) : undefined,
      );
    return summaries.get(file);
  };
  return {
    commit,
    files: new Set(Object.keys(files)),
    graph: createImportGraph(summaryOf, resolve),
    resolve,
    compilerOptions: {},
    summaryOf,
    readText: (path) => files[path],
    readTsconfig: () => ({ compilerOptions: {} }),
  };
}

/** Added, modified and deleted files (no renames), in path order. */
function diff(base: Files, head: Files): FileChange[] {
  const changes: FileChange[] = [];
  for (const path of [...new Set([...Object.keys(base), ...Object.keys(head)])].sort()) {
    if (base[path] === head[path]) continue;
    const status = base[path] === undefined ? 'A' : head[path] === undefined ? 'D' : 'M';
    changes.push({ status, path });
  }
  return changes;
}

function runtimeChanges(changes: readonly FileChange[], base: Files, head: Files): Map<string, ChangeSource> {
  const changed = new Map<string, ChangeSource>();
  for (const change of changes) {
    if (change.status === 'D') continue;
    const version = (files: Files) =>
      files[change.path] === undefined ? null : { fileName: change.path, text: files[change.path] };
    changed.set(
      change.path,
      lazyChange(() => changedDeclarations(version(base), version(head))),
    );
  }
  return changed;
}
