import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { readGraphAssets } from '../../adapters/graph-assets';
import { replayHistory } from '../../adapters/history/replay-history';
import type { WorkspaceProjectGraph } from '../../adapters/nx-project-graph';
import { readGraphData } from '../../adapters/read-graph-data';
import { analyzeHistory } from '../../core/coupling/history-analysis';
import type { LockstepGroup } from '../../core/graph-view/graph-data';
import { explainText } from '../../report/explain-text';
import { DEFAULT_GRAPH_HTML_OUT } from '../../config/graph-output';
import { GRAPH_FORMATS, renderGraph, type GraphFormat } from '../../report/graph-renderers';
import { envOption, precisionOption, rootOption } from '../analysis-options';
import type { CliIo } from '../cli-io';
import { checkBaseRef, openWorkspace } from '../cli-workspace';
import type { Precision } from '../../core/result';

interface GraphCliOptions {
  format: GraphFormat;
  out?: string;
  base?: string;
  head: string;
  env: string;
  precision?: Precision;
  root?: string;
  libraries?: boolean;
  history?: number;
}

/** Where the HTML goes when --out is not given (a whole page on a terminal helps nobody). */
const DEFAULT_HTML_OUT = DEFAULT_GRAPH_HTML_OUT;

/**
 * `lockstep graph`: deployables, libraries and what deploys together, as one offline HTML file,
 * Mermaid (for a pull-request comment) or DOT. With `--history <n>`, the lock-step groups
 * `lockstep history` finds in the last n commits are outlined.
 */
export function register(program: Command, io: CliIo): void {
  program
    .command('graph')
    .description('draw deployables, libraries and what deploys together (HTML, Mermaid or DOT)')
    .addOption(
      new Option('--format <format>', 'html: one offline file; mermaid; dot')
        .choices([...GRAPH_FORMATS])
        .default('html'),
    )
    .option(
      '--out <file>',
      `write to this file (html default: ${DEFAULT_HTML_OUT} in the workspace root; mermaid and dot default: stdout)`,
    )
    .option('--base <ref>', 'highlight the deployables a change from this commit reaches, e.g. origin/main~1')
    .option('--head <ref>', 'the commit to draw', 'HEAD')
    .addOption(envOption('the environment (for the affected decision)'))
    .addOption(precisionOption())
    .addOption(rootOption())
    .option(
      '--history <n>',
      'outline the lock-step groups of the last n commits (as `lockstep history` finds them)',
      parseCount,
    )
    .option(
      '--libraries',
      'mermaid: draw every library too (default: deployables only, libraries collapsed per folder)',
    )
    .action(async (options: GraphCliOptions) => {
      const started = performance.now();
      const workspaceRoot = openWorkspace(options.root, io.cwd, options.base !== undefined ? [options.base] : []);
      if (options.base !== undefined) checkBaseRef(workspaceRoot, options.base);
      // The replay reads Nx's project graph; the graph's own model reuses it instead of starting Nx twice.
      const history = options.history === undefined ? undefined : await lockstepGroups(workspaceRoot, options);
      const data = await readGraphData(
        {
          workspaceRoot,
          head: options.head,
          base: options.base,
          precision: options.precision,
          env: options.env,
          lockstepGroups: history?.groups,
          projectGraph: history?.projectGraph,
        },
        (result, project) => explainText(result, { project }),
      );
      const read = performance.now();
      const text = renderGraph(options.format, data, {
        assets: options.format === 'html' ? readGraphAssets() : undefined,
        libraries: options.libraries,
      });
      if (process.env.LOCKSTEP_DEBUG_TIMING)
        io.stderr(
          `lockstep timing: graph data ${Math.round(read - started)} ms, ${options.format} rendering ${Math.round(performance.now() - read)} ms\n`,
        );
      const out = options.out ?? (options.format === 'html' ? DEFAULT_HTML_OUT : undefined);
      if (out === undefined) {
        io.stdout(text);
        return;
      }
      const path = resolve(options.out === undefined ? workspaceRoot : io.cwd, out);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      const deployables = data.nodes.filter((node) => node.kind === 'deployable').length;
      io.stdout(
        `wrote ${relative(io.cwd, path) || path} (${options.format}, ${deployables} deployables, ${data.nodes.length - deployables} libraries, ${Math.ceil(text.length / 1024)} KiB)\n`,
      );
    });
}

function parseCount(text: string): number {
  const count = Number(text);
  if (!Number.isInteger(count) || count < 2)
    throw new InvalidArgumentError(`expected a whole number of commits of at least 2, e.g. --history 200`);
  return count;
}

/**
 * The groups of deployables that kept deploying together over the last `--history` commits, and
 * the Nx project graph the replay read.
 */
async function lockstepGroups(
  workspaceRoot: string,
  options: GraphCliOptions,
): Promise<{ groups: LockstepGroup[]; projectGraph?: WorkspaceProjectGraph }> {
  let projectGraph: WorkspaceProjectGraph | undefined;
  const replay = await replayHistory({
    workspaceRoot,
    commits: options.history,
    head: options.head,
    precision: options.precision,
    onProjectGraph: (graph) => (projectGraph = graph),
  });
  const groups = analyzeHistory(replay).groups.map((group) => ({
    label: `${group.deployables.join(' + ')} (${group.commits} commits together)`,
    members: group.deployables,
  }));
  return { groups, projectGraph };
}
