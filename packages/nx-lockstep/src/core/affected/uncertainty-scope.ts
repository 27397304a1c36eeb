/**
 * Uncertainty scoped to the change (DESIGN.md, "What a deployable ships"): a spot the analysis
 * cannot follow makes a deployable affected only when something it could stand for changed.
 *
 * - An import into a path git does not hold, with a generator (an Nx target whose outputs cover
 *   it, or the `generated` option): counts when one of the generator's inputs changed, as an
 *   imported change through the generated path.
 * - Anything else (an unresolved import without generator, a file that does not parse, `eval`,
 *   a computed `require`): project precision for that spot — counts when a non-test file of the
 *   project owning it (the missing path's owner for an import), or of a project that one depends
 *   on, changed. Code that computes what it loads may load an installed package: a changed locked
 *   package those projects import (Nx's npm dependencies of them) counts too. A spot outside every
 *   project counts for any change.
 *
 * An empty range affects nothing.
 */
import type { Reason } from '../result';
import { isTestFile } from '../extract/file-kinds';
import type { UncertainFile } from '../graph/reachability';
import type { Generator } from './generated-code';
import type { ProjectScope } from './project-scope';

export interface ChangeRange {
  /** Paths changed between base and head (both sides of renames). */
  changedPaths: readonly string[];
  scope: Pick<ProjectScope, 'ownerOf' | 'closureOf'>;
  /**
   * The files that say what packages install and changed: root lockfiles, the manifest of a
   * workspace without one, patches (lockfile-comparison.ts `PackageVersionChanges.sources`).
   */
  changedPackageSources: readonly string[];
  /**
   * A changed locked package that files of these projects import or their package.json names
   * (what Nx counts as their npm dependencies), described, or undefined. Without it, any changed
   * lockfile is in the range of code that computes what it loads.
   */
  packageChangeIn?(projects: ReadonlySet<string>): string | undefined;
  generatorOf(missingPath: string): Generator | undefined;
}

/** The reasons the uncertain spots give for this change: scoped uncertainty and generated code. */
export function scopeUncertainty(uncertain: readonly UncertainFile[], range: ChangeRange): Reason[] {
  const reasons: Reason[] = [];
  const changed = range.changedPaths.filter((path) => !isTestFile(path));
  if (changed.length === 0) return reasons;
  const seen = new Set<string>();
  for (const spot of uncertain) {
    const key = `${spot.file}\0${spot.detail}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const missingPath = spot.spot?.missingPath;
    const generator = missingPath !== undefined ? range.generatorOf(missingPath) : undefined;
    if (missingPath !== undefined && generator) {
      for (const file of changed.filter((path) => generator.includes(path)))
        reasons.push({
          kind: 'imported-file-changed',
          file,
          via: [...spot.via, missingPath, file],
          input: `generated ${missingPath}: ${generator.describe}`,
        });
      continue;
    }
    const owner = range.scope.ownerOf(missingPath ?? spot.file) ?? range.scope.ownerOf(spot.file);
    const closure = owner === undefined ? undefined : range.scope.closureOf(owner);
    const hit = changed.find((path) => {
      if (!closure) return true;
      const changedOwner = range.scope.ownerOf(path);
      return changedOwner !== undefined && closure.has(changedOwner);
    });
    const lockfile =
      spot.spot?.dynamic && range.changedPackageSources.length > 0
        ? closure && range.packageChangeIn
          ? range.packageChangeIn(closure)
          : range.changedPackageSources[0]
        : undefined;
    const what = hit ?? lockfile;
    if (what === undefined) continue;
    const scopeText = owner === undefined ? 'a file outside every project' : `project ${owner} and what it depends on`;
    reasons.push({
      kind: 'analysis-uncertain',
      file: spot.file,
      detail: `${spot.detail} — ${what} changed, within what this spot could stand for (${scopeText}: project precision for this spot)`,
      via: spot.via,
    });
  }
  return reasons;
}
