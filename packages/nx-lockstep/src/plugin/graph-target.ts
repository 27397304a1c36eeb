/**
 * The inferred `lockstep-graph` target: `lockstep graph` (one offline HTML file) as an Nx target on
 * the workspace's root project, under the same rule as `lockstep-report` (report-target.ts): only
 * where a root project already exists, since inventing one would change what is affected.
 */
import type { TargetConfiguration } from '@nx/devkit';
import { DEFAULT_GRAPH_HTML_OUT } from '../config/graph-output';

export const GRAPH_TARGET_NAME = 'lockstep-graph';

export function inferGraphTarget(): TargetConfiguration {
  return {
    executor: 'nx:run-commands',
    // The graph reads git (markers, --base) and the whole workspace: no Nx input set describes that.
    cache: false,
    // `out` is not a run-commands option, so Nx forwards it as `--out=…`; `--out=<file>` on the
    // command line replaces it, and `outputs` follows through `{options.out}` (workspace-relative,
    // as Nx reads `{options.outputPath}`; Nx refuses `{workspaceRoot}/{options.out}` as a glob).
    options: { command: 'lockstep graph', cwd: '{workspaceRoot}', out: DEFAULT_GRAPH_HTML_OUT },
    outputs: ['{options.out}'],
    metadata: {
      technologies: ['nx-lockstep'],
      description:
        `Draw deployables, libraries and what deploys together as one offline HTML file (${DEFAULT_GRAPH_HTML_OUT}; ` +
        'add --base=<ref> to highlight what a change deploys, --history=<n> to outline lock-step groups, --out=<file>)',
      help: {
        command: 'npx lockstep graph --help',
        example: { args: ['--base=origin/main', '--out=dist/graph.html'] },
      },
    },
  };
}
