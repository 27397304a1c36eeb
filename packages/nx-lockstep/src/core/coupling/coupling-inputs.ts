/**
 * What every section of the coupling report reads from the model at head, computed once and on
 * first use: who owns a file, which projects are deployables, each deployable's entry points, its
 * runtime reach by files (file precision) and by declarations (symbol precision), and Nx's
 * project-dependency closure. The same machinery the deploy decision uses (deployable-rules,
 * reachability, symbol reach), so the report and the decision never disagree on what ships.
 */
import { rulesOfModel } from '../affected/model-rules';
import type { DeployableRules } from '../affected/deployable-rules';
import { reachFromEntryPoints, type Reach } from '../graph/reachability';
import type { ModelProject, WorkspaceModel } from '../model/workspace-model';
import { reachSymbols, resolverFromGraph, type SymbolReach } from '../symbols';
import type { Resolution } from '../resolve/resolution-context';

export class CouplingInputs {
  readonly deployables: readonly ModelProject[];
  readonly deployableNames: ReadonlySet<string>;
  /** Projects that are not deployables, by name. */
  readonly libraries: readonly ModelProject[];
  private rulesMemo?: DeployableRules;
  private resolver?: (fromFile: string, specifier: string) => Resolution;
  private readonly entries = new Map<string, string[]>();
  private readonly fileReaches = new Map<string, Reach>();
  private readonly symbolReaches = new Map<string, SymbolReach>();
  private closures?: Map<string, Set<string>>;

  constructor(readonly model: WorkspaceModel) {
    this.deployables = model.deployables.map((deployable) => deployable.project);
    this.deployableNames = new Set(this.deployables.map((project) => project.name));
    this.libraries = model.projects
      .filter((project) => !this.deployableNames.has(project.name))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  get rules(): DeployableRules {
    return (this.rulesMemo ??= rulesOfModel(this.model));
  }

  ownerOf(file: string): string | undefined {
    return this.rules.scope.ownerOf(file);
  }

  filesOf(project: string): readonly string[] {
    return this.rules.scope.filesOf(project);
  }

  get resolve(): (fromFile: string, specifier: string) => Resolution {
    return (this.resolver ??= resolverFromGraph(this.model.head.graph, this.model.head.resolve));
  }

  entryPoints(project: ModelProject): string[] {
    let entries = this.entries.get(project.name);
    if (!entries) {
      entries = this.rules.entryPoints(project, this.model.head.files, this.model.entryPoints[project.name]);
      this.entries.set(project.name, entries);
    }
    return entries;
  }

  /** Runtime imports followed from the deployable's entry points (file precision). */
  fileReach(project: ModelProject): Reach {
    let reach = this.fileReaches.get(project.name);
    if (!reach) {
      const head = this.model.head;
      reach = reachFromEntryPoints(this.entryPoints(project), head.graph, head.files);
      this.fileReaches.set(project.name, reach);
    }
    return reach;
  }

  /** The declarations the deployable's runtime code reaches (symbol precision). */
  symbolReach(project: ModelProject): SymbolReach {
    let reach = this.symbolReaches.get(project.name);
    if (!reach) {
      const head = this.model.head;
      reach = reachSymbols({
        entries: this.entryPoints(project).filter((entry) => head.files.has(entry)),
        summaries: (file) => head.summaryOf(file),
        resolve: this.resolve,
        verbatimModuleSyntax: head.compilerOptions.verbatimModuleSyntax === true,
      });
      this.symbolReaches.set(project.name, reach);
    }
    return reach;
  }

  /** Whether the deployable ships something of the file at runtime (what a change to it would redeploy). */
  ships(project: ModelProject, file: string): boolean {
    const reached = this.symbolReach(project).files.get(file);
    return !!reached && (reached.whole || reached.declarations.size > 0 || reached.exports.size > 0);
  }

  /** The project and every project it depends on in Nx's project graph, transitively. */
  closureOf(project: string): ReadonlySet<string> {
    this.closures ??= new Map();
    let closure = this.closures.get(project);
    if (!closure) {
      closure = new Set([project]);
      const queue = [project];
      for (let index = 0; index < queue.length; index++)
        for (const dependency of this.model.dependencies[queue[index]] ?? [])
          if (!closure.has(dependency)) {
            closure.add(dependency);
            queue.push(dependency);
          }
      this.closures.set(project, closure);
    }
    return closure;
  }

  /** Deployables whose Nx dependency closure holds the project (what Nx redeploys when it changes). */
  dependentDeployables(project: string): string[] {
    return this.deployables
      .filter((deployable) => deployable.name !== project && this.closureOf(deployable.name).has(project))
      .map((deployable) => deployable.name);
  }

  /** The project's config file at head, to point at when no line of code shows a finding. */
  configFileOf(project: ModelProject): string {
    const prefix = project.root ? `${project.root}/` : '';
    for (const name of ['project.json', 'package.json'])
      if (this.model.head.files.has(`${prefix}${name}`)) return `${prefix}${name}`;
    return `${prefix}project.json`;
  }
}
