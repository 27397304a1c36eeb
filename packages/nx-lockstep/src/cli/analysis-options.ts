import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_ENV, validateEnvName } from '../core/markers';
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
    .addOption(envOption('the environment whose deploy markers are bases'))
    .addOption(precisionOption())
    .addOption(rootOption());
}

/** `--env`, checked while parsing: it becomes part of a git tag name, so a bad one is a usage error. */
export function envOption(description: string): Option {
  return new Option('--env <name>', description).default(DEFAULT_ENV).argParser((value: string) => {
    try {
      return validateEnvName(value);
    } catch (error) {
      throw new InvalidArgumentError((error as Error).message);
    }
  });
}

export function precisionOption(): Option {
  return new Option(
    '--precision <level>',
    'how finely a change must reach a deployable (default: the plugin option, else symbol)',
  ).choices([...PRECISIONS]);
}

export function rootOption(): Option {
  return new Option('--root <dir>', 'the workspace root (default: the nearest folder with nx.json)');
}
