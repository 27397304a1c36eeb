import type { StepGraphStore } from '../core/symbols';
import { contextFile, isStrings } from './framed-file';

/** Bumped when the record of a step (core/symbols/symbol-reach.ts `seed`) changes meaning. */
const FORMAT = 'nx-lockstep-step-graph-1';

/**
 * The declaration-level step graph of the last run that worked much of it out, kept in
 * `<workspace data>/nx-lockstep/step-graph.cache` for the next run over the same resolution
 * context (`key`: the engine build, the file list, tsconfigs, manifests; see
 * WorkspaceSnapshot.resolutionContext), framed as framed-file.ts says: the steps as 32-bit
 * integers, then a JSON header (key, files with their blob ids, names, notes). Anything
 * unreadable or foreign is not used; a file whose blob differs from head's (or, from another
 * context, whose imports no longer resolve as stored) has its steps worked out again.
 */
export function stepGraphFile(
  workspaceRoot: string,
  context: { key: string; configKey: string },
  blobs: ReadonlyMap<string, string>,
  /** Whether a file's imports resolve as when the graph was stored: asked only under another context. */
  importsAsStored: (path: string) => boolean,
): StepGraphStore {
  const file = contextFile(workspaceRoot, 'step-graph.cache', FORMAT, context, blobs);
  return {
    load() {
      const read = file.read<{ names: string[]; notes: string[] }>(
        (header) => isStrings(header.names) && isStrings(header.notes),
      );
      if (!read) return undefined;
      const { files, names, notes, blobs: storedBlobs } = read.header;
      const storedBlob = new Map(files.map((path, index) => [path, storedBlobs[index]] as const));
      return {
        graph: { files, names, notes, data: read.data },
        // From another context, a step also needs its file's imports to resolve as they did.
        changed: (path) =>
          (blobs.get(path) ?? '') !== storedBlob.get(path) || (!read.sameKey && !importsAsStored(path)),
        rekey: !read.sameKey,
      };
    },
    save(write) {
      file.write(write);
    },
  };
}
