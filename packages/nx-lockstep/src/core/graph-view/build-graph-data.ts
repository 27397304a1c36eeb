/**
 * The graph `lockstep graph` draws, from the workspace model: projects grouped by domain or
 * folder, edges classified from the import graph at head, each library's blast radius, and —
 * when given — the affected decisions (with the `explain` text) and lock-step groups.
 */
import { isSourceFile, isTestFile } from '../extract/file-kinds';
import { summarizeReason } from '../format-reason';
import type { WorkspaceModel } from '../model/workspace-model';
import type { AffectedResult } from '../result';
import { computeBlastRadius } from '../coupling/blast-radius';
import { CouplingInputs } from '../coupling/coupling-inputs';
import type { BlastRadiusEntry } from '../coupling/coupling-report';
import {
  GRAPH_DATA_VERSION,
  type GraphData,
  type GraphEdge,
  type GraphEdgeKind,
  type GraphGroup,
  type GraphNode,
  type LockstepGroup,
} from './graph-data';

export interface GraphInputs {
  /** The decisions for `--base`, and each deployable's `lockstep explain` text. */
  affected?: { base: string; result: AffectedResult; explanations: Readonly<Record<string, string>> };
  lockstepGroups?: LockstepGroup[];
  /**
   * The coupling report's own inputs and per-library blast radius, when the report builds the
   * graph it carries: the graph reuses them instead of walking every deployable's reach again.
   */
  coupling?: { inputs: CouplingInputs; libraries: readonly BlastRadiusEntry[] };
}

export function buildGraphData(model: WorkspaceModel, inputs: GraphInputs = {}): GraphData {
  // The coupling report's inputs and blast radius: the graph colours and lists exactly what
  // `lockstep report` says would redeploy.
  const coupling = inputs.coupling?.inputs ?? new CouplingInputs(model);
  const { scope } = coupling.rules;
  const deployables = coupling.deployableNames;
  const radius = new Map(
    (inputs.coupling?.libraries ?? computeBlastRadius(coupling).libraries).map((entry) => [
      entry.project,
      { symbol: [...entry.symbolPrecision], project: [...entry.projectPrecision] },
    ]),
  );
  const decisions = new Map((inputs.affected?.result.deployables ?? []).map((d) => [d.project, d] as const));
  const nodes: GraphNode[] = [...model.projects]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((project) => {
      const decision = decisions.get(project.name);
      const node: GraphNode = {
        id: project.name,
        kind: deployables.has(project.name) ? 'deployable' : 'library',
        root: project.root,
        group: groupOf(project.root, project.tags).id,
      };
      if (node.kind === 'library') node.blastRadius = radius.get(project.name);
      if (decision) {
        node.affected = decision.affected;
        node.reason = decision.reasons[0] ? summarizeReason(decision.reasons[0]) : 'no change reaches it';
        const explanation = inputs.affected?.explanations[project.name];
        if (explanation !== undefined) node.explanation = explanation;
      }
      return node;
    });
  const contracts = new Set(
    model.projects.filter((project) => project.tags?.includes('type:contract')).map((project) => project.name),
  );
  const edges = classifyEdges(model, scope.ownerOf, deployables, contracts);
  const data: GraphData = {
    version: GRAPH_DATA_VERSION,
    head: model.head.commit,
    nodes,
    edges,
    groups: groupsOf(model),
    notes: [
      'blast radius: "symbol" = deployables whose runtime imports reach a file of the library; "project" = deployables that depend on it in the Nx project graph',
      ...model.warnings,
    ],
  };
  if (inputs.affected)
    data.affected = {
      base: inputs.affected.base,
      head: model.head.commit,
      precision: inputs.affected.result.precision,
    };
  if (inputs.lockstepGroups?.length) data.lockstepGroups = inputs.lockstepGroups;
  return data;
}

/** A `domain:`/`scope:` tag names the group; otherwise the folder that holds the project's root. */
export function groupOf(root: string, tags: readonly string[] = []): Omit<GraphGroup, 'members'> {
  const tag = tags.find((candidate) => /^(domain|scope):./.test(candidate));
  if (tag) {
    const name = tag.slice(tag.indexOf(':') + 1);
    return { id: `domain:${name}`, label: name, kind: 'domain' };
  }
  const slash = root.lastIndexOf('/');
  const folder = slash > 0 ? root.slice(0, slash) : '.';
  return { id: folder, label: folder === '.' ? '(workspace root)' : `${folder}/`, kind: 'folder' };
}

function groupsOf(model: WorkspaceModel): GraphGroup[] {
  const groups = new Map<string, GraphGroup>();
  for (const project of model.projects) {
    const group = groupOf(project.root, project.tags);
    let known = groups.get(group.id);
    if (!known) groups.set(group.id, (known = { ...group, members: [] }));
    known.members.push(project.name);
  }
  for (const group of groups.values()) group.members.sort();
  return [...groups.values()].sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * One edge per pair of projects that Nx links or a source import links. Its kind: a deployable
 * using another's code at runtime is `deployable-import`; a deployable using a contract library
 * is `contract`; otherwise `type-only` when every import between them is erased, else
 * `runtime-import` (an Nx dependency no source import explains counts as runtime: Nx ships it).
 */
function classifyEdges(
  model: WorkspaceModel,
  ownerOf: (file: string) => string | undefined,
  deployables: ReadonlySet<string>,
  contracts: Set<string>,
): GraphEdge[] {
  // pair "a\0b" → whether some import between them survives at runtime
  const imports = new Map<string, boolean>();
  const { graph, files } = model.head;
  for (const file of files) {
    if (!isSourceFile(file) || isTestFile(file)) continue;
    const source = ownerOf(file);
    if (source === undefined) continue;
    for (const edge of graph.edgesOf(file)) {
      if (edge.resolution.kind !== 'file') continue;
      const target = ownerOf(edge.resolution.file);
      if (target === undefined || target === source) continue;
      const key = `${source}\0${target}`;
      imports.set(key, (imports.get(key) ?? false) || !edge.typeOnly);
    }
  }
  const pairs = new Set(imports.keys());
  for (const [source, targets] of Object.entries(model.dependencies))
    for (const target of targets) if (target !== source) pairs.add(`${source}\0${target}`);
  // A library two or more deployables use directly crosses a deploy boundary: a contract.
  const directUsers = new Map<string, number>();
  for (const pair of pairs) {
    const [source, target] = pair.split('\0');
    if (deployables.has(source) && !deployables.has(target))
      directUsers.set(target, (directUsers.get(target) ?? 0) + 1);
  }
  for (const [library, count] of directUsers) if (count >= 2) contracts.add(library);
  const edges: GraphEdge[] = [];
  for (const pair of pairs) {
    const [source, target] = pair.split('\0');
    const runtime = imports.get(pair) ?? true;
    let kind: GraphEdgeKind = runtime ? 'runtime-import' : 'type-only';
    if (deployables.has(source) && deployables.has(target) && runtime) kind = 'deployable-import';
    else if (deployables.has(source) && contracts.has(target)) kind = 'contract';
    edges.push({ source, target, kind });
  }
  return edges.sort((a, b) => a.source.localeCompare(b.source) || a.target.localeCompare(b.target));
}
