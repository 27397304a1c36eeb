import type { ProjectGraph, Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';

/** Builds a ProjectGraph by hand, the shape `createProjectGraphAsync` returns. */
export class GraphBuilder {
  readonly graph: ProjectGraph = { nodes: {}, dependencies: {} };
  add(name: string, root: string, deps: string[] = [], deployable = false): this {
    this.graph.nodes[name] = {
      name,
      type: deployable ? 'app' : 'lib',
      data: { root, targets: deployable ? { deploy: { executor: 'nx:run-commands' } } : {} },
    };
    this.graph.dependencies[name] = deps.map((target) => ({ source: name, target, type: 'static' }));
    return this;
  }
  npm(name: string, pkg: string): this {
    this.graph.dependencies[name].push({ source: name, target: `npm:${pkg}`, type: 'static' });
    return this;
  }
}

/** api → shared → util (and npm:express), web alone, worker → util. */
export function sampleGraph(): GraphBuilder {
  return new GraphBuilder()
    .add('api', 'apps/api', ['shared'], true)
    .npm('api', 'express')
    .add('web', 'apps/web', [], true)
    .add('worker', 'apps/worker', ['util'], true)
    .add('shared', 'libs/shared', ['util'])
    .add('util', 'libs/util');
}

/** An empty workspace with an npm lockfile, written as is (no formatter). */
export function newTree(): Tree {
  const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
  tree.write('package-lock.json', '{}');
  return tree;
}

/** A graph loader for the generators' injectable `loadGraph` parameter. */
export const at = (graph: ProjectGraph) => () => Promise.resolve(graph);
