/**
 * Section 1: one deployable's code imported at runtime by another — a lock-step cause by
 * construction (a change to the imported file redeploys both). Found on each deployable's
 * runtime reach (the same breadth-first walk as the decision), where the chain crosses into
 * another deployable's root; type-only imports are erased and do not count.
 */
import { chain } from '../graph/reachability';
import type { CouplingInputs } from './coupling-inputs';
import type { DeployableImport } from './coupling-report';

export function findDeployableImports(inputs: CouplingInputs): DeployableImport[] {
  const found: DeployableImport[] = [];
  for (const deployable of inputs.deployables) {
    const reach = inputs.fileReach(deployable);
    for (const [file, parent] of reach.parents) {
      if (parent === null) continue;
      const to = inputs.ownerOf(file);
      // Only the file where the chain enters the other deployable: what it imports from there on is its own.
      if (to === undefined || to === deployable.name || !inputs.deployableNames.has(to)) continue;
      if (inputs.ownerOf(parent) === to) continue;
      found.push(describeImport(inputs, deployable.name, to, file, parent, chain(reach.parents, file)));
    }
  }
  return found.sort(
    (a, b) => a.from.localeCompare(b.from) || a.file.localeCompare(b.file) || a.importer.localeCompare(b.importer),
  );
}

function describeImport(
  inputs: CouplingInputs,
  from: string,
  to: string,
  file: string,
  importer: string,
  via: string[],
): DeployableImport {
  const head = inputs.model.head;
  const edge = head.graph
    .edgesOf(importer)
    .find(
      (candidate) =>
        !candidate.typeOnly &&
        candidate.resolution.kind === 'file' &&
        (candidate.resolution.file === file || (candidate.resolution.via ?? []).includes(file)),
    );
  const specifier = edge?.specifier ?? file;
  const records = (head.summaryOf(importer)?.imports ?? []).filter((record) => record.specifier === specifier);
  const symbols = [
    ...new Set(
      records.flatMap((record) =>
        record.bindings.length === 0 ? ['*'] : record.bindings.filter((b) => !b.typeOnly).map((b) => b.imported),
      ),
    ),
  ].sort();
  return {
    from,
    to,
    file,
    importer,
    line: edge?.line ?? records[0]?.line ?? 1,
    specifier,
    via,
    symbols,
    suggestion: suggestMove(inputs, from, to, file, symbols),
  };
}

/**
 * A file that needs nothing else of its deployable (no import of its other files) moves to a
 * library as it is; one that uses the deployable's internals is behaviour of that service: call
 * it through its API and share only the contract (types) in a contract library.
 */
function suggestMove(
  inputs: CouplingInputs,
  from: string,
  to: string,
  file: string,
  symbols: string[],
): DeployableImport['suggestion'] {
  const what = symbols.length > 0 && !symbols.includes('*') ? symbols.join(', ') : file;
  const usesInternals = inputs.model.head.graph
    .edgesOf(file)
    .some((edge) => !edge.typeOnly && edge.resolution.kind === 'file' && inputs.ownerOf(edge.resolution.file) === to);
  if (!usesInternals)
    return {
      move: 'library',
      text: `move ${what} from ${file} into a library that ${from} and ${to} both import, so a change to ${to} no longer redeploys ${from}`,
    };
  return {
    move: 'contract',
    text: `${what} uses ${to}'s internals: let ${from} call ${to} through its API and share only the types in a contract library (change them additively)`,
  };
}
