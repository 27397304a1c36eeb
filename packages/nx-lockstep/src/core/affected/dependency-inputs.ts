/**
 * Dependency projects' non-source files (DESIGN.md, "What a deployable ships"): a changed
 * package.json, stylesheet, asset or config of a project the deployable depends on counts when
 * the deployable's build inputs include it (`^production`), with a reason naming the input. TS/JS
 * sources of dependencies are not decided here: they count only when reached (and, at symbol
 * precision, when their emitted code changed).
 */
import type { Reason } from '../result';
import { isDeclarationFile, isSourceFile } from '../extract/file-kinds';
import type { BuildInputs, InputsProject } from './build-inputs';
import type { ProjectScope } from './project-scope';

export interface DependencyInputsSource {
  deployable: string;
  /** Paths changed between base and head (both sides of renames). */
  changedPaths: readonly string[];
  inputs: BuildInputs;
  scope: Pick<ProjectScope, 'ownerOf' | 'chainTo'>;
  /** The project's root and namedInputs, by name. */
  projectOf(name: string): Pick<InputsProject, 'root' | 'namedInputs'> | undefined;
}

export function dependencyInputChanges(source: DependencyInputsSource): Reason[] {
  const reasons: Reason[] = [];
  for (const file of new Set(source.changedPaths)) {
    if (isSourceFile(file) || isDeclarationFile(file)) continue;
    const owner = source.scope.ownerOf(file);
    if (owner === undefined || owner === source.deployable) continue;
    const project = source.projectOf(owner);
    if (!project) continue;
    // Cheap test first: only a file the inputs name needs the dependency chain.
    const input = source.inputs.dependencyInput(file, project);
    if (input === undefined) continue;
    const via = source.scope.chainTo(source.deployable, owner);
    if (!via) continue;
    reasons.push({ kind: 'dependency-project-changed', project: owner, file, via, input });
  }
  return reasons;
}
