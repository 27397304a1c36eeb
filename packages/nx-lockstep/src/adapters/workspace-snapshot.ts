import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSourceFile, isTestFile } from '../core/extract/file-kinds';
import { summarizeModule } from '../core/extract/summarize-module';
import { createHash } from 'node:crypto';
import { createImportGraph, type ImportEdge, type ImportGraph, type RememberedFile } from '../core/graph/import-graph';
import type { ModuleSummary } from '../core/module-summary';
import type { ResolutionContext } from '../core/resolve/resolution-context';
import { readTsconfigPaths, type TsconfigResolution } from '../core/resolve/tsconfig-paths';
import { readWorkspacePackages } from '../core/resolve/workspace-packages';
import type { GitTree } from './git-tree';
import { workspaceDataDirectory, type ParseCache } from './parse-cache';

const ROOT_TSCONFIGS = ['tsconfig.base.json', 'tsconfig.json'];

/**
 * The workspace as it is in one commit, read from git (never from the working tree): its files
 * with blob ids, their contents on demand, and the import graph over them.
 */
export class WorkspaceSnapshot {
  readonly fileSet: ReadonlySet<string>;
  readonly errors: string[] = [];
  private readonly contents = new Map<string, Buffer>();
  private readonly summaries = new Map<string, ModuleSummary | undefined>();
  private resolution?: { tsconfig: TsconfigResolution; context: ResolutionContext; graph: ImportGraph };
  private prefetched = false;
  private sourcesPrefetched = false;
  /** Resolved imports and problems per file; remembered per resolution context when `edgesVersion` is given. */
  private readonly edges = new Map<string, RememberedFile>();
  private rememberedEdges = 0;
  /** Names the edges file: what resolution reads besides each file's own content. */
  private contextKey?: string;

  constructor(
    private readonly git: GitTree,
    readonly commit: string,
    /** path → blob id */
    readonly files: ReadonlyMap<string, string>,
    private readonly cache: ParseCache,
    /** The engine's version: remembered edges of another build are not used. */
    private readonly edgesVersion?: string,
  ) {
    this.fileSet = new Set(files.keys());
  }

  private edgesFile(): string {
    return join(workspaceDataDirectory(this.git.workspaceRoot), 'nx-lockstep', 'edges', `${this.contextKey}.cache`);
  }

  /**
   * Remembers each file's resolved imports for the next run, by resolution context and blob:
   * resolution reads the file list, tsconfig and package.json files besides the file itself, so
   * a later commit with the same of those (a commit that only edits files) resolves only the
   * files it changed — and needs no other file's summary for file-level reachability.
   */
  saveEdges(): void {
    if (!this.edgesVersion || !this.contextKey || this.edges.size <= this.rememberedEdges) return;
    const file = this.edgesFile();
    try {
      mkdirSync(join(file, '..'), { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      const entries: Record<string, [blob: string, edges: ImportEdge[], problems: string[]]> = {};
      for (const [path, known] of this.edges) {
        const blob = this.files.get(path);
        if (blob) entries[path] = [blob, known.edges, known.problems];
      }
      writeFileSync(temporary, JSON.stringify({ format: EDGES_FORMAT, version: this.edgesVersion, context: this.contextKey, files: entries }));
      renameSync(temporary, file);
      pruneEdgeFiles(join(file, '..'));
    } catch {
      // Not writable: the next run resolves again.
    }
  }

  /** The root tsconfig (after `extends`), read on first use: project precision never needs it. */
  get tsconfig(): TsconfigResolution {
    return this.resolved().tsconfig;
  }

  get context(): ResolutionContext {
    return this.resolved().context;
  }

  get graph(): ImportGraph {
    return this.resolved().graph;
  }

  private resolved() {
    if (this.resolution) return this.resolution;
    this.prefetchAll();
    const rootTsconfig = ROOT_TSCONFIGS.find((file) => this.fileSet.has(file));
    const tsconfig = rootTsconfig ? readTsconfigPaths(rootTsconfig, (file) => this.readText(file)) : { paths: [], compilerOptions: {}, files: [], errors: [] };
    this.errors.push(...tsconfig.errors);
    const manifests = new Map<string, string>();
    for (const path of this.files.keys()) {
      if ((path === 'package.json' || path.endsWith('/package.json')) && !path.includes('node_modules/') && !isTestFile(path)) {
        const text = this.readText(path);
        if (text !== undefined) manifests.set(path, text);
      }
    }
    const { packages, errors } = readWorkspacePackages(manifests);
    this.errors.push(...errors);
    const context: ResolutionContext = { files: this.fileSet, paths: tsconfig.paths, baseUrl: tsconfig.baseUrl, packages };
    const verbatimModuleSyntax = tsconfig.compilerOptions.verbatimModuleSyntax === true;
    if (this.edgesVersion) {
      const hash = createHash('sha1').update(`${this.edgesVersion}\0${verbatimModuleSyntax}\0${JSON.stringify(tsconfig.paths)}\0${tsconfig.baseUrl ?? ''}\0${JSON.stringify([...packages])}\0`);
      for (const path of this.files.keys()) hash.update(`${path}\n`);
      this.contextKey = hash.digest('hex');
      for (const [path, known] of readEdges(this.edgesFile(), this.edgesVersion, this.contextKey, this.files)) this.edges.set(path, known);
      this.rememberedEdges = this.edges.size;
    }
    const graph = createImportGraph((file) => this.summaryOf(file), context, { verbatimModuleSyntax, files: this.edges });
    this.resolution = { tsconfig, context, graph };
    return this.resolution;
  }

  /** One cat-file for the manifests and configs, which the analysis certainly reads. */
  private prefetchAll(): void {
    if (this.prefetched) return;
    this.prefetched = true;
    const wanted: string[] = [];
    for (const path of this.files.keys()) {
      if (path.includes('node_modules/')) continue;
      if (!isSourceFile(path) && (path.endsWith('package.json') || ROOT_TSCONFIGS.includes(path) || path === 'nx.json')) wanted.push(path);
    }
    this.prefetch(wanted);
  }

  /**
   * One cat-file for every source not in the parse cache, on the first one that must be parsed:
   * a run whose reached files are all cached reads none (unreached files are never cached).
   */
  private prefetchSources(): void {
    if (this.sourcesPrefetched) return;
    this.sourcesPrefetched = true;
    const wanted: string[] = [];
    for (const [path, blob] of this.files) {
      if (!path.includes('node_modules/') && isSourceFile(path) && !isTestFile(path) && !this.summaries.has(path) && !this.cache.has(summaryKey(path, blob))) wanted.push(path);
    }
    this.prefetch(wanted);
  }

  static load(git: GitTree, commit: string, cache: ParseCache, edgesVersion?: string): WorkspaceSnapshot {
    return new WorkspaceSnapshot(git, commit, git.listFiles(commit), cache, edgesVersion);
  }

  /**
   * Parses not-yet-cached source files until `pending` settles, yielding between small batches:
   * the time Nx spends computing projects in its own process is spent parsing here, on the other
   * CPU, and what is parsed is what the deployables will most likely reach.
   */
  async parseWhile(pending: Promise<unknown>): Promise<void> {
    let settled = false;
    pending.then(
      () => (settled = true),
      () => (settled = true),
    );
    this.prefetchAll();
    const waiting = [...this.files.keys()].filter((path) => isSourceFile(path) && !isTestFile(path) && !path.includes('node_modules/') && !this.summaries.has(path) && !this.cache.has(summaryKey(path, this.files.get(path)!)));
    for (let index = 0; index < waiting.length; index++) {
      // Yield first: an answer that is already there (a cached one) must not cost a parse.
      if (index % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
      if (settled) break;
      this.summaryOf(waiting[index]);
    }
  }

  /** Reads these files' contents in one `git cat-file` (ahead of `readText` calls that would each start one). */
  prefetchTexts(paths: Iterable<string>): void {
    this.prefetch([...paths]);
  }

  readText(path: string): string | undefined {
    if (!this.files.has(path)) return undefined;
    if (!this.contents.has(path)) this.prefetch([path]);
    return this.contents.get(path)?.toString('utf8');
  }

  summaryOf(file: string): ModuleSummary | undefined {
    // Reachability asks for the same file once per deployable: answer from a plain map.
    if (this.summaries.has(file)) return this.summaries.get(file);
    this.prefetchAll();
    const summary = this.computeSummary(file);
    this.summaries.set(file, summary);
    return summary;
  }

  private computeSummary(file: string): ModuleSummary | undefined {
    const blob = this.files.get(file);
    if (!blob || !isSourceFile(file)) return undefined;
    return this.cache.summary(summaryKey(file, blob), () => {
      this.prefetchSources();
      const text = this.readText(file);
      if (text === undefined) return { imports: [], exports: [], declarations: [], parseErrors: [`${file} could not be read from git`], dynamicUnknown: [] };
      // Sources are parsed once; dropping the text keeps a 50,000-file workspace in memory budget.
      this.contents.delete(file);
      return summarizeModule(file, text);
    });
  }

  private prefetch(paths: string[]): void {
    let shared = sharedManifests.get(this.git);
    if (!shared) sharedManifests.set(this.git, (shared = new Map()));
    const byBlob = new Map<string, string[]>();
    for (const path of paths) {
      const blob = this.files.get(path);
      if (!blob || this.contents.has(path)) continue;
      const known = shared.get(blob);
      if (known) this.contents.set(path, known);
      else byBlob.set(blob, [...(byBlob.get(blob) ?? []), path]);
    }
    for (const [blob, content] of this.git.readFiles([...byBlob].map(([blob, paths]) => [paths[0], blob] as const))) {
      for (const path of byBlob.get(blob) ?? []) {
        this.contents.set(path, content);
        if (!isSourceFile(path)) shared.set(blob, content);
      }
    }
  }
}

/**
 * A summary is decided by the content and by how the extension makes TypeScript parse it (`.tsx`
 * reads `<T>x` as JSX, `.ts` as a cast): the blob id plus the extension.
 */
export function summaryKey(path: string, blob: string): string {
  const dot = path.lastIndexOf('.');
  return `git:${blob}${dot > path.lastIndexOf('/') ? path.slice(dot) : ''}`;
}

// Manifests and configs read for one commit, by blob id: a base snapshot reads only those that differ.
const sharedManifests = new WeakMap<GitTree, Map<string, Buffer>>();

const EDGES_FORMAT = 'nx-lockstep-edges-2';
/** Resolution contexts whose edges are kept: those of the heads and bases of the last few runs. */
const EDGE_FILES_KEPT = 8;

/** The remembered files of one resolution context whose blob is the one at this commit. */
function readEdges(file: string, version: string, context: string, blobs: ReadonlyMap<string, string>): Map<string, RememberedFile> {
  const found = new Map<string, RememberedFile>();
  try {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { format?: unknown; version?: unknown; context?: unknown; files?: unknown };
    if (stored.format !== EDGES_FORMAT || stored.version !== version || stored.context !== context || !stored.files || typeof stored.files !== 'object') return found;
    for (const [path, entry] of Object.entries(stored.files as Record<string, unknown>)) {
      if (!Array.isArray(entry) || entry.length !== 3 || entry[0] !== blobs.get(path)) continue;
      const [, edges, problems] = entry as [string, unknown, unknown];
      // Anything malformed is dropped: that file's imports are resolved again.
      if (Array.isArray(edges) && edges.every(isImportEdge) && Array.isArray(problems) && problems.every((problem) => typeof problem === 'string')) found.set(path, { edges, problems });
    }
  } catch {
    // No file yet, or not readable: everything is resolved again.
  }
  return found;
}

function isImportEdge(value: unknown): value is ImportEdge {
  const edge = value as Partial<ImportEdge> | null;
  return !!edge && typeof edge.specifier === 'string' && typeof edge.kind === 'string' && typeof edge.typeOnly === 'boolean' && typeof edge.line === 'number' && !!edge.resolution && typeof edge.resolution.kind === 'string';
}

function pruneEdgeFiles(folder: string): void {
  const files = readdirSync(folder)
    .filter((name) => name.endsWith('.cache'))
    .map((name) => ({ path: join(folder, name), modified: statSync(join(folder, name)).mtimeMs }))
    .sort((a, b) => b.modified - a.modified);
  for (const { path } of files.slice(EDGE_FILES_KEPT)) rmSync(path, { force: true });
}
