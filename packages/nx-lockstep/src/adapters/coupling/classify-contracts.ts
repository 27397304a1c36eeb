/**
 * The TypeScript contracts classifier wired to a repository: for each contract library with a
 * changed file between the two commits, reads both versions from git (one `git cat-file --batch`
 * per commit, working-tree files reused where they are the committed blob) and asks
 * `findContractChanges` which exports changed and whether old consumers still compile.
 * Loaded only when `lockstep report --base` meets a contract library (it loads ts-morph).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ContractChange } from '../../core/coupling/contract-change';
import { typescriptApi } from '../../core/extract/typescript-api';
import { entryFilesOf } from '../contracts/entry-files';
import { findContractChanges, type FileReader } from '../contracts/find-contract-changes';
import { GitTree } from '../git-tree';
import type { ContractQuestion } from './analyze-coupling';

/** What the classifier may load: TypeScript sources and declarations, and JSON (package.json, tsconfig). */
const READABLE = /\.(d\.)?[mc]?tsx?$|\.json$/;

export function classifyContracts(question: ContractQuestion): ContractChange[] {
  const git = GitTree.open(question.workspaceRoot);
  const changed = git
    .diff(question.base, question.head)
    .flatMap((change) => [change.path, ...(change.oldPath ? [change.oldPath] : [])]);
  const libraries = question.libraries.filter((library) => changed.some((path) => path.startsWith(`${library.root}/`)));
  if (libraries.length === 0) return [];
  const readBase = commitReader(git, question.base);
  const readHead = commitReader(git, question.head);
  const paths = tsconfigPaths(readHead);
  const readExternal: FileReader = (path) => {
    try {
      return readFileSync(join(question.workspaceRoot, path), 'utf8');
    } catch {
      return undefined;
    }
  };
  return findContractChanges({
    libraries: libraries.flatMap((library) => {
      const entryFiles = entryFilesOf(library.root, readHead, paths);
      // A library without an entry file consumers import by name has no exported contract to compare.
      if (entryFiles.length === 0) return [];
      return [{ project: library.project, root: library.root, entryFiles, readBase, readHead, paths, readExternal }];
    }),
  });
}

/** Every readable file of a commit, read at once on first use. */
function commitReader(git: GitTree, commit: string): FileReader {
  let files: Map<string, string> | undefined;
  return (path) => {
    if (!files) {
      const blobs = [...git.listFiles(commit)].filter(([file]) => READABLE.test(file));
      const contents = git.readFiles(blobs);
      files = new Map(blobs.map(([file, blob]) => [file, contents.get(blob)?.toString('utf8') ?? '']));
    }
    return files.get(path);
  };
}

/** The workspace's tsconfig `paths` (tsconfig.base.json, else tsconfig.json), targets workspace-relative. */
function tsconfigPaths(read: FileReader): Record<string, string[]> {
  const ts = typescriptApi();
  for (const name of ['tsconfig.base.json', 'tsconfig.json']) {
    const text = read(name);
    if (text === undefined) continue;
    const { config } = ts.parseConfigFileTextToJson(name, text) as {
      config?: { compilerOptions?: { baseUrl?: string; paths?: Record<string, string[]> } };
    };
    const options = config?.compilerOptions;
    if (!options?.paths) continue;
    const baseUrl = (options.baseUrl ?? '.').replace(/^\.\/?/, '').replace(/\/$/, '');
    return Object.fromEntries(
      Object.entries(options.paths).map(([key, targets]) => [
        key,
        targets.map((target) => {
          const relative = target.replace(/^\.\//, '');
          return baseUrl ? `${baseUrl}/${relative}` : relative;
        }),
      ]),
    );
  }
  return {};
}
