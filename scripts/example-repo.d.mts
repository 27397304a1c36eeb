// Types for scripts/example-repo.mjs, used by the TypeScript e2e helpers.
export interface ExampleCommit {
  sha: string;
  message: string;
}

export interface ExampleRepo {
  dir: string;
  origin: string;
  /** Oldest first; the first is the initial import. */
  commits: ExampleCommit[];
}

export interface ExampleEdit {
  file: string;
  create?: string;
  replace?: [string, string][];
}

export const EXAMPLE_DIR: string;
export const INITIAL_COMMIT_MESSAGE: string;
export const EXAMPLE_HISTORY: { message: string; edits: ExampleEdit[] }[];

export function createExampleRepo(options: { dir: string; withHistory?: boolean; origin?: string }): ExampleRepo;
