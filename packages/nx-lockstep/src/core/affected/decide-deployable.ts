import { isRootLockfile } from '../lockfile/lockfiles';
import type { DeployableDecision, Reason } from '../result';
import { publicDeclarationId } from '../format-reason';
import { isTestFile } from '../extract/file-kinds';
import { chain, type Reach, type UncertainFile } from '../graph/reachability';
import type { ExternalPackageChange } from './external-package-change';
import { scopeUncertainty, type ChangeRange } from './uncertainty-scope';
import { pathsChangedAtBase, pathsChangedAtHead, type FileChange } from './file-change';

export interface DeployableTarget {
  project: string;
  /** Workspace-relative project root ('' for a root project). */
  root: string;
  base: string | null;
}

/** A changed file that the deployable ships, with the import chain to it. */
export interface ShippedChange {
  file: string;
  via: string[];
  /** Symbol precision: the reached declarations that changed. */
  declarations?: string[];
}

export interface DeployableInput {
  deployable: DeployableTarget;
  changes: readonly FileChange[];
  /** Roots of every project, so files of a nested project are not counted as the parent's. */
  projectRoots: readonly string[];
  /** Changed files reached from the entry points (file or symbol precision). */
  shipped: readonly ShippedChange[];
  /** External package → the first reached file importing it. */
  externals: ReadonlyMap<string, string>;
  uncertain: readonly UncertainFile[];
  /** Locked-version change for an imported external package, or undefined. */
  externalChange: (packageName: string) => ExternalPackageChange | undefined;
  globalChanges: ReadonlyArray<{ file: string; detail?: string }>;
  /**
   * Which of its own files its build reads (own root, whole, minus what its build inputs
   * exclude: see build-inputs.ts). Default: every non-test file.
   */
  ownInput?: (file: string) => boolean;
  /**
   * What changed, to scope each uncertain spot to what it could stand for (uncertainty-scope.ts).
   * Without it every uncertain spot counts.
   */
  range?: ChangeRange;
  /** Changed non-source files of dependency projects that its build inputs include. */
  dependencyInputs?: readonly Reason[];
}

/**
 * The decision for one deployable at file or symbol precision: affected when a global input
 * changed, a file of its own root that its build reads changed, a changed file of a dependency is
 * shipped (reached from its entry points) or is a build input, an imported package's locked
 * version changed, or a spot the analysis cannot follow could stand for what changed.
 */
export function decideDeployable(input: DeployableInput): DeployableDecision {
  const { deployable } = input;
  const reasons: Reason[] = [];
  for (const change of input.globalChanges)
    reasons.push({
      kind: 'global-input-changed',
      file: change.file,
      ...(change.detail ? { detail: change.detail } : {}),
    });

  // Most changed files lie outside the deployable's folder: rule those out before looking for a nested project.
  const inside = deployable.root === '' || deployable.root === '.' ? '' : `${deployable.root}/`;
  const ownsFile = (file: string) => file.startsWith(inside) && ownerRoot(file, input.projectRoots) === deployable.root;
  // Own root, whole: every changed file of its own that its build reads, reached or not (no
  // symbol pruning there: frameworks reach its files by convention). Reached ones keep their chain.
  const ownInput = input.ownInput ?? ((file: string) => !isTestFile(file));
  const ownChanged = new Set(
    [...pathsChangedAtHead(input.changes), ...pathsChangedAtBase(input.changes)].filter(
      (file) => ownsFile(file) && ownInput(file),
    ),
  );
  const seen = new Set<string>();
  for (const { file, via, declarations } of input.shipped) {
    if (seen.has(file)) continue;
    seen.add(file);
    const extra =
      declarations && declarations.length > 0 ? { declarations: declarations.map(publicDeclarationId) } : {};
    // A reached file ships even where the build inputs leave it out.
    reasons.push(
      ownsFile(file)
        ? { kind: 'own-file-changed', file, via, ...extra }
        : { kind: 'imported-file-changed', file, via, ...extra },
    );
  }
  for (const file of ownChanged) {
    if (seen.has(file)) continue;
    seen.add(file);
    reasons.push({ kind: 'own-file-changed', file });
  }
  for (const reason of input.dependencyInputs ?? []) reasons.push(reason);
  const unreadable = new Map<string, { detail: string; packages: string[] }>();
  for (const [name, importedBy] of [...input.externals].sort(([a], [b]) => a.localeCompare(b))) {
    const change = input.externalChange(name);
    if (!change) continue;
    if (change.unreadable === undefined) {
      reasons.push({ kind: 'external-package-changed', ...change, importedBy });
      continue;
    }
    const entry = unreadable.get(change.lockfile) ?? { detail: change.unreadable, packages: [] };
    entry.packages.push(name);
    unreadable.set(change.lockfile, entry);
  }
  // One reason per unreadable lockfile, naming what the deployable imports from it.
  for (const [lockfile, { detail, packages }] of unreadable) {
    const named =
      packages.length > 3 ? `${packages.slice(0, 3).join(', ')} and ${packages.length - 3} more` : packages.join(', ');
    reasons.push({
      kind: 'analysis-uncertain',
      file: lockfile,
      detail: isRootLockfile(lockfile)
        ? `${detail}: the locked versions of the packages this deployable imports (${named}) are unknown, so they count as changed`
        : `${detail}: the packages this deployable imports (${named}) count as changed`,
    });
  }

  if (input.range) reasons.push(...scopeUncertainty(input.uncertain, input.range));
  else {
    const uncertainSeen = new Set<string>();
    for (const uncertain of input.uncertain) {
      const key = `${uncertain.file}\0${uncertain.detail}`;
      if (uncertainSeen.has(key)) continue;
      uncertainSeen.add(key);
      reasons.push({ kind: 'analysis-uncertain', file: uncertain.file, detail: uncertain.detail, via: uncertain.via });
    }
  }
  return { project: deployable.project, base: deployable.base, affected: reasons.length > 0, reasons };
}

/**
 * File precision: changed files reached at head, and files that were reached at base but changed
 * or disappeared (a deleted or renamed-away file shipped at base, so its removal ships too).
 */
export function shippedAtFilePrecision(
  changes: readonly FileChange[],
  headReach: Reach,
  baseReach?: Reach,
): ShippedChange[] {
  const shipped: ShippedChange[] = [];
  for (const file of pathsChangedAtHead(changes)) {
    if (headReach.parents.has(file)) shipped.push({ file, via: chain(headReach.parents, file) });
  }
  for (const file of pathsChangedAtBase(changes)) {
    if (baseReach?.parents.has(file)) shipped.push({ file, via: chain(baseReach.parents, file) });
  }
  return shipped;
}

/** The root of the most nested project containing `file`, or undefined. */
export function ownerRoot(file: string, projectRoots: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const root of projectRoots) {
    const normalized = root === '.' ? '' : root;
    const inside = normalized === '' || file.startsWith(`${normalized}/`);
    if (inside && (best === undefined || normalized.length > best.length)) best = normalized;
  }
  return best;
}
