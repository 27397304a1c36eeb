import type { StepGraphStore } from '../core/symbols';
import { contextFile, isStrings } from './framed-file';

/** Bumped when the record of a step (core/symbols/symbol-reach.ts `seed`) changes meaning. */
const FORMAT = 'nx-lockstep-step-graph-4';

/**
 * The declaration-level step graph of the last run that worked much of it out, kept in
 * `<workspace data>/nx-lockstep/step-graph.cache` for the next run over the same resolution
 * context (`key`: the engine build, the file list, tsconfigs, manifests; see
 * WorkspaceSnapshot.resolutionContext), framed as framed-file.ts says: the steps as 32-bit
 * integers (their records, where each starts, each one's file), a JSON header (key, notes, the
 * step count) and the lists: files, their blob ids, a digest of how each one's imports resolved,
 * names. The integers are read on demand (readFramedLazily): a new commit's walks meet a small part of a
 * large graph, and each record is checked when first read (SymbolGraph.seed). Anything
 * unreadable or foreign is not used; a file whose blob differs from head's (or, from another
 * context, whose imports no longer resolve as that digest says) has its steps worked out again.
 */
export function stepGraphFile(
  workspaceRoot: string,
  context: { key: string; configKey: string },
  blobs: ReadonlyMap<string, string>,
  /** A digest of how a file's imports resolve at head, kept with each file of the graph. */
  resolutionsOf: (path: string) => string,
): StepGraphStore {
  const file = contextFile(workspaceRoot, 'step-graph.cache', FORMAT, context, blobs);
  let forgotten = false;
  return {
    load() {
      if (forgotten) return undefined;
      const read = file.read<{ notes: string[]; steps: number }, 'names' | 'resolutions'>(
        ['names', 'resolutions'],
        (header) => isStrings(header.notes) && Number.isInteger(header.steps) && header.steps >= 0,
        true,
      );
      if (!read || read.lists.resolutions.length !== read.files.length) return undefined;
      const { files, blobs: storedBlobs, lists, header } = read;
      return {
        graph: {
          files,
          names: lists.names,
          notes: header.notes,
          steps: header.steps,
          data: read.data,
          ...(read.load ? { load: read.load } : {}),
        },
        // From another context, a step also needs its file's imports to resolve as when it was
        // stored (the graph's own digest: an import graph stored since may be of another context).
        changed: (path, at) => {
          if (files[at] !== path || !storedBlobs.equals(at, blobs.get(path) ?? '')) return true;
          return !read.sameKey && !lists.resolutions.equals(at, resolutionsOf(path));
        },
        rekey: !read.sameKey,
      };
    },
    save(write) {
      forgotten = false;
      file.write((emit) => {
        const { files, names, notes, steps } = write(emit);
        return { header: { notes, steps }, lists: { files, names, resolutions: files.map(resolutionsOf) } };
      });
    },
    forget() {
      forgotten = true;
      file.forget();
    },
  };
}
