export interface PipelinesGeneratorSchema {
  provider?: 'github' | 'gitlab' | 'azure';
  /** Comma-separated (or a list from a programmatic call), ordered: each promotes to the next. */
  environments?: string | string[];
  /** Comma-separated (or a list): the deployables to (re)generate now. */
  projects?: string | string[];
}
