/**
 * Section 3: contracts. Which libraries' exports cross a deploy boundary, the contract changes
 * between base and head with the deployables that consume each (use sites from the symbol-use
 * index), and the non-TypeScript contract files (OpenAPI, AsyncAPI, JSON Schema, .proto,
 * GraphQL) of libraries that changed. The TypeScript classification itself is injected
 * (`ContractChange[]` from the contracts classifier): the pure core only attaches consumers.
 */
import type { FileChange } from '../affected/file-change';
import type { WorkspaceTree } from '../model/workspace-model';
import type { ContractChange, ContractConsumer } from './contract-change';
import type { CouplingInputs } from './coupling-inputs';
import type { AttachedContractChange, ContractLibrary } from './coupling-report';
import type { SymbolUseIndex } from './symbol-uses';

export const CONTRACT_TAG = 'type:contract';

/** Libraries used by two or more deployables (Nx dependency closure), or tagged `type:contract`. */
export function findContractLibraries(inputs: CouplingInputs): ContractLibrary[] {
  return inputs.libraries.flatMap((library) => {
    const deployables = inputs.dependentDeployables(library.name);
    const tagged = (library.tags ?? []).includes(CONTRACT_TAG);
    return deployables.length >= 2 || tagged
      ? [{ project: library.name, root: library.root, deployables, tagged }]
      : [];
  });
}

/** Each change with the deployables that use its export and where (one entry per use site). */
export function attachConsumers(
  changes: readonly ContractChange[],
  uses: SymbolUseIndex,
  inputs: CouplingInputs,
): AttachedContractChange[] {
  return changes
    .map((change) => ({ ...change, consumers: consumersOf(change, uses, inputs) }))
    .sort(
      (a, b) =>
        Number(b.breaking) - Number(a.breaking) ||
        a.project.localeCompare(b.project) ||
        a.exportName.localeCompare(b.exportName) ||
        a.file.localeCompare(b.file),
    );
}

function consumersOf(change: ContractChange, uses: SymbolUseIndex, inputs: CouplingInputs): ContractConsumer[] {
  const found = new Map<string, ContractConsumer>();
  const add = (consumer: ContractConsumer) =>
    found.set(`${consumer.deployable}\0${consumer.file}\0${consumer.line}`, consumer);
  if (change.kind === 'contract-file-changed') {
    // A schema file is read by tools and builds, not imported by name: every deployable that
    // depends on the owning library consumes it; it is shown at its first import of the library.
    const sites = uses.usesOfProject(change.project);
    for (const deployable of inputs.dependentDeployables(change.project)) {
      const site = sites.find((use) => use.deployable === deployable);
      const project = inputs.deployables.find((candidate) => candidate.name === deployable)!;
      add(
        site
          ? { deployable, file: site.file, line: site.line }
          : { deployable, file: inputs.configFileOf(project), line: 1 },
      );
    }
  } else {
    for (const use of uses.usesOf(change.project, change.exportName))
      add({ deployable: use.deployable, file: use.file, line: use.line });
  }
  return [...found.values()].sort(
    (a, b) => a.deployable.localeCompare(b.deployable) || a.file.localeCompare(b.file) || a.line - b.line,
  );
}

export type ContractFileKind = 'OpenAPI' | 'AsyncAPI' | 'JSON Schema' | 'Protocol Buffers' | 'GraphQL schema';

/**
 * The kind of contract a file is, or undefined. `.proto` and `.graphql`/`.gql` by extension;
 * YAML/JSON by content (an `openapi`/`swagger`/`asyncapi` key, or a `$schema` naming
 * json-schema.org), so config files that merely point at a schema are not contracts.
 */
export function contractFileKind(path: string, text: () => string | undefined): ContractFileKind | undefined {
  if (/\.proto$/i.test(path)) return 'Protocol Buffers';
  if (/\.(graphql|gql|graphqls)$/i.test(path)) return 'GraphQL schema';
  if (!/\.(ya?ml|json)$/i.test(path) || /(^|\/)(package|project|tsconfig[^/]*|nx)\.json$/.test(path)) return undefined;
  const content = text();
  if (content === undefined) return undefined;
  return /\.json$/i.test(path) ? jsonContractKind(content) : yamlContractKind(content);
}

/** A top-level key of a YAML document (no indentation), quoted or not. */
function yamlContractKind(content: string): ContractFileKind | undefined {
  if (/^["']?(openapi|swagger)["']?\s*:/m.test(content)) return 'OpenAPI';
  if (/^["']?asyncapi["']?\s*:/m.test(content)) return 'AsyncAPI';
  if (/^["']?\$schema["']?\s*:\s*["']?https?:\/\/json-schema\.org\//m.test(content)) return 'JSON Schema';
  return undefined;
}

function jsonContractKind(content: string): ContractFileKind | undefined {
  let document: unknown;
  try {
    document = JSON.parse(content);
  } catch {
    return undefined; // not JSON: not a contract lockstep can name
  }
  if (!document || typeof document !== 'object' || Array.isArray(document)) return undefined;
  const keys = document as Record<string, unknown>;
  if ('openapi' in keys || 'swagger' in keys) return 'OpenAPI';
  if ('asyncapi' in keys) return 'AsyncAPI';
  if (typeof keys.$schema === 'string' && /^https?:\/\/json-schema\.org\//.test(keys.$schema)) return 'JSON Schema';
  return undefined;
}

const STATUS_WORDS: Record<string, string> = { A: 'added', M: 'modified', D: 'deleted', R: 'renamed', T: 'modified' };

/** Contract files of libraries that changed between base and head, as ContractChange entries. */
export function changedContractFiles(
  inputs: CouplingInputs,
  changes: readonly FileChange[],
  baseTree: () => WorkspaceTree,
): ContractChange[] {
  const head = inputs.model.head;
  const libraries = new Set(inputs.libraries.map((library) => library.name));
  const found: ContractChange[] = [];
  for (const change of changes) {
    const project = inputs.ownerOf(change.path);
    if (project === undefined || !libraries.has(project)) continue;
    const deleted = change.status === 'D';
    const kind = contractFileKind(change.path, () =>
      deleted ? baseTree().readText(change.path) : head.readText(change.path),
    );
    if (!kind) continue;
    const how = STATUS_WORDS[change.status] ?? 'changed';
    found.push({
      project,
      file: change.path,
      line: 1,
      exportName: '',
      kind: 'contract-file-changed',
      breaking: false,
      detail: `${kind} ${how}${change.oldPath ? ` (from ${change.oldPath})` : ''}: not classified; review it for breaking changes before its consumers deploy`,
    });
  }
  return found;
}
