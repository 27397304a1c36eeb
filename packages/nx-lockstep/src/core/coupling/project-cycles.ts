/**
 * Section 4: projects that depend on each other in a circle in Nx's project graph. A cycle
 * makes every project in it a dependency of every other: at project precision a change to any
 * of them redeploys every deployable that depends on one. Found as strongly connected
 * components (Tarjan), each with one concrete cycle and the import that starts it.
 */
import { isSourceFile, isTestFile } from '../extract/file-kinds';
import type { CouplingInputs } from './coupling-inputs';
import type { ProjectCycle } from './coupling-report';

export function findProjectCycles(inputs: CouplingInputs): ProjectCycle[] {
  const dependencies = inputs.model.dependencies;
  const names = inputs.model.projects.map((project) => project.name).sort();
  const cycles: ProjectCycle[] = [];
  for (const component of stronglyConnected(names, dependencies)) {
    const selfLoop = component.length === 1 && (dependencies[component[0]] ?? []).includes(component[0]);
    if (component.length < 2 && !selfLoop) continue;
    const projects = [...component].sort();
    const path = cycleThrough(projects[0], new Set(projects), dependencies);
    const at = importBetween(inputs, path[0], path[1]);
    cycles.push({ projects, path, ...at });
  }
  return cycles.sort((a, b) => a.projects.join().localeCompare(b.projects.join()));
}

/** Tarjan's algorithm, iterative (a deep graph must not overflow the stack). */
function stronglyConnected(names: readonly string[], dependencies: Readonly<Record<string, readonly string[]>>) {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const start of names) {
    if (index.has(start)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const edges = dependencies[frame.node] ?? [];
      if (frame.next < edges.length) {
        const target = edges[frame.next++];
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].node;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.node)!));
      }
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}

/** The shortest way from `start` back to itself inside the component (breadth-first). */
function cycleThrough(
  start: string,
  members: ReadonlySet<string>,
  dependencies: Readonly<Record<string, readonly string[]>>,
): string[] {
  const parents = new Map<string, string>();
  const queue = [start];
  for (let index = 0; index < queue.length; index++) {
    for (const target of [...(dependencies[queue[index]] ?? [])].sort()) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [start];
        for (let node = queue[index]; node !== start; node = parents.get(node)!) path.splice(1, 0, node);
        return [...path, start];
      }
      if (!parents.has(target)) {
        parents.set(target, queue[index]);
        queue.push(target);
      }
    }
  }
  return [start, start];
}

/** The first import (by file path) of a `from` file into a `to` file, else `from`'s config file. */
function importBetween(inputs: CouplingInputs, from: string, to: string): { file: string; line: number } {
  const head = inputs.model.head;
  for (const file of [...inputs.filesOf(from)].sort()) {
    if (!isSourceFile(file) || isTestFile(file)) continue;
    for (const edge of head.graph.edgesOf(file))
      if (edge.resolution.kind === 'file' && inputs.ownerOf(edge.resolution.file) === to)
        return { file, line: edge.line };
  }
  const project = inputs.model.projects.find((candidate) => candidate.name === from)!;
  return { file: inputs.configFileOf(project), line: 1 };
}
