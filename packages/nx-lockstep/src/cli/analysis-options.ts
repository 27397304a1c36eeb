import { Option, type Command } from 'commander';
import { PRECISIONS, type Precision } from '../core/result';

/** The options `affected` and `explain` share. */
export interface AnalysisCliOptions {
  base?: string;
  head: string;
  env: string;
  precision?: Precision;
  root?: string;
}

export function addAnalysisOptions(command: Command): Command {
  return command
    .option('--base <ref>', 'the commit each deployable is compared from (its last deploy), e.g. origin/main~1')
    .option('--head <ref>', 'the commit to analyse', 'HEAD')
    .option('--env <name>', 'the environment whose deploy markers are bases', 'production')
    .addOption(new Option('--precision <level>', 'how finely a change must reach a deployable').choices([...PRECISIONS]))
    .option('--root <dir>', 'the workspace root (default: the nearest folder with nx.json)');
}
