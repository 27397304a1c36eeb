import { createHash } from 'node:crypto';
import type { FileChange } from '../core/affected/file-change';
import { isSourceFile } from '../core/extract/file-kinds';
import { summarizeModule } from '../core/extract/summarize-module';
import * as symbols from '../core/symbols';
import type { ChangeSource, ModuleSource, SourceVersion } from '../core/symbols';
import type { GitTree } from './git-tree';
import type { ParseCache } from './parse-cache';
import { summaryKey, type WorkspaceSnapshot } from './workspace-snapshot';

/** One side of a changed file: its path and blob at base or at head (no blob: absent there). */
interface Side {
  path: string;
  blob: string | undefined;
}

/**
 * What changed at runtime in each changed file (symbol precision), comparing emitted JavaScript.
 * Each version's emit and summary are remembered in the parse cache by blob id: a file version
 * emitted once is never transpiled again, and a run whose emits are all remembered reads no
 * source text and never loads the TypeScript compiler. `engineVersion` is part of every emit's
 * key: an emit is never reused by a build whose emitter may cut or print differently, even if
 * EMIT_VERSION was not bumped.
 */
export function runtimeChanges(
  changes: readonly FileChange[],
  git: GitTree,
  head: WorkspaceSnapshot,
  baseCommit: string,
  cache: ParseCache,
  engineVersion: string,
): Map<string, ChangeSource> {
  const changed = new Map<string, ChangeSource>();
  const compilerOptions = head.tsconfig.compilerOptions;
  const emitContext = createHash('sha1')
    .update(`${symbols.EMIT_VERSION}\0${engineVersion}\0${symbols.emitOptionsKey(compilerOptions)}`)
    .digest('hex')
    .slice(0, 16);
  const emitKey = (path: string, blob: string) => `emit:${blob}:${emitContext}:${path}`;
  // Both sides by blob id, from the diff itself (`git diff --raw`): no file list of the base
  // commit is needed. A side without a blob is absent, which counts as a whole-file change.
  const sides = changes.map((change) => {
    const basePath =
      change.status === 'A' || change.status === 'C' || change.status === 'D'
        ? undefined
        : (change.oldPath ?? change.path);
    return {
      change,
      head: change.status === 'D' ? undefined : { path: change.path, blob: change.headBlob },
      base: basePath === undefined ? undefined : { path: basePath, blob: change.baseBlob },
    };
  });
  const toEmit = () =>
    sides
      .flatMap((entry) => [entry.head, entry.base])
      .filter((side): side is Side & { blob: string } => {
        const wantsText = !!side && (isSourceFile(side.path) || side.path.endsWith('package.json'));
        return wantsText && !!side.blob && !cache.has(emitKey(side.path, side.blob));
      });
  const version = versionReader(git, toEmit);
  const source = emitSource(cache, emitKey);
  for (const { change, head: headSide, base: baseSide } of sides) {
    if (change.status === 'D') continue;
    // Transpiled (and the base read) only when some deployable reaches the file.
    changed.set(
      change.path,
      symbols.lazyChange(() => {
        try {
          return symbols.changedDeclarations(
            change.status === 'R' ? null : version(baseSide, baseCommit),
            version(headSide, head.commit),
            compilerOptions,
            source,
          );
        } catch (error) {
          if (error instanceof UnreadableVersion) return { kind: 'whole', detail: error.message };
          throw error;
        }
      }),
    );
  }
  return changed;
}

/**
 * File versions whose text is read on first use: the first text asked for reads every changed
 * file still to emit (`toEmit`), at both sides, at once (from the working tree where it is the
 * same blob, else one `git cat-file`).
 */
function versionReader(
  git: GitTree,
  toEmit: () => ReadonlyArray<Side & { blob: string }>,
): (side: Side | undefined, commit: string) => SourceVersion | null {
  const texts = new Map<string, Buffer>();
  let prefetched = false;
  const prefetch = () => {
    if (prefetched) return;
    prefetched = true;
    for (const [blob, bytes] of git.readFiles(toEmit().map((side) => [side.path, side.blob]))) texts.set(blob, bytes);
  };
  return (side, commit) => {
    if (!side?.blob) return null;
    const { path, blob } = side;
    return {
      fileName: path,
      id: blob,
      get text() {
        prefetch();
        const bytes = texts.get(blob) ?? git.readFiles([[path, blob]]).get(blob);
        // Never compare a version that could not be read (a partial clone without the blob):
        // the change then counts as a whole-file change (see above).
        if (bytes === undefined)
          throw new UnreadableVersion(`${path} could not be read from git at ${commit.slice(0, 12)}`);
        return bytes.toString('utf8');
      },
    };
  };
}

/** Emits and summaries of file versions, remembered in the parse cache by blob id. */
function emitSource(cache: ParseCache, emitKey: (path: string, blob: string) => string): ModuleSource {
  return {
    emitted: (file, options) =>
      symbols.emittedFromJson(
        cache.value(
          emitKey(file.fileName, file.id!),
          () => symbols.emittedToJson(symbols.emitModule(file.fileName, file.text, symbols.emitOptions(options))),
          symbols.isEmittedModuleJson,
        ),
      ),
    summary: (file) =>
      cache.summary(summaryKey(file.fileName, file.id!), () => summarizeModule(file.fileName, file.text)),
    remembered: (file) => cache.has(emitKey(file.fileName, file.id!)),
  };
}

class UnreadableVersion extends Error {}
