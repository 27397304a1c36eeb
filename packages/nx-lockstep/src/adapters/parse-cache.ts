import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { EXTRACTOR_VERSION } from '../core/extract/summarize-module';
import type { ModuleSummary } from '../core/module-summary';

const FORMAT = 'nx-lockstep-parse-cache';
/** The parser's version (ts-morph pins its TypeScript): read without loading the parser itself. */
export const PARSER_VERSION = `ts-morph@${(require('ts-morph/package.json') as { version: string }).version}`;

/**
 * ModuleSummaries keyed by content hash (a git blob id, or Nx's file hash), stored in the
 * workspace data directory. The file is a header line (format, extractor and TypeScript
 * versions, checksum of the body) and a JSON body: anything that does not match exactly —
 * another version, a truncated write, a foreign file — is discarded, never trusted.
 */
export class ParseCache {
  private readonly used = new Map<string, ModuleSummary>();
  private dirty = false;
  hits = 0;
  misses = 0;

  private constructor(
    private readonly file: string,
    private readonly stored: Record<string, unknown>,
  ) {}

  static load(workspaceRoot: string, name: string): ParseCache {
    const file = join(workspaceDataDirectory(workspaceRoot), 'nx-lockstep', `${name}.cache`);
    return new ParseCache(file, readStored(file));
  }

  /** The cached summary, or a new one from `read()` (which is called only on a miss). */
  summary(key: string, parse: () => ModuleSummary): ModuleSummary {
    const known = this.used.get(key);
    if (known) return known;
    const stored = this.stored[key];
    if (isModuleSummary(stored)) {
      this.hits++;
      this.used.set(key, stored);
      return stored;
    }
    this.misses++;
    const summary = parse();
    this.used.set(key, summary);
    this.dirty = true;
    return summary;
  }

  has(key: string): boolean {
    return this.used.has(key) || isModuleSummary(this.stored[key]);
  }

  /** Writes the summaries used in this run and some earlier ones (bounded, so it never grows without end). */
  save(): void {
    // Nothing new parsed: the file on disk already holds everything this run needed.
    if (!this.dirty) return;
    // Keep what this run used, plus earlier entries up to as many again (other branches, bases).
    const entries = new Map(this.used);
    const limit = this.used.size * 2 + 1000;
    for (const [key, value] of Object.entries(this.stored)) {
      if (entries.size >= limit) break;
      if (!entries.has(key)) entries.set(key, value as ModuleSummary);
    }
    const body = JSON.stringify(Object.fromEntries(entries));
    const header = JSON.stringify({ format: FORMAT, extractor: EXTRACTOR_VERSION, typescript: PARSER_VERSION, checksum: checksum(body) });
    try {
      mkdirSync(join(this.file, '..'), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temporary, `${header}\n${body}`);
      renameSync(temporary, this.file);
    } catch {
      // A read-only workspace still analyses, just without a warm cache next time.
    }
  }
}

export function workspaceDataDirectory(workspaceRoot: string): string {
  const configured = process.env.NX_WORKSPACE_DATA_DIRECTORY ?? process.env.NX_PROJECT_GRAPH_CACHE_DIRECTORY;
  if (configured) return isAbsolute(configured) ? configured : join(workspaceRoot, configured);
  return join(workspaceRoot, '.nx', 'workspace-data');
}

function readStored(file: string): Record<string, unknown> {
  try {
    const text = readFileSync(file, 'utf8');
    const newline = text.indexOf('\n');
    const header = JSON.parse(text.slice(0, newline)) as Record<string, unknown>;
    const body = text.slice(newline + 1);
    if (header.format !== FORMAT || header.extractor !== EXTRACTOR_VERSION || header.typescript !== PARSER_VERSION || header.checksum !== checksum(body)) return {};
    const parsed = JSON.parse(body) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function checksum(body: string): string {
  return createHash('sha1').update(body).digest('hex');
}

function isModuleSummary(value: unknown): value is ModuleSummary {
  if (!value || typeof value !== 'object') return false;
  const summary = value as Record<string, unknown>;
  return (
    Array.isArray(summary.imports) &&
    Array.isArray(summary.exports) &&
    Array.isArray(summary.declarations) &&
    Array.isArray(summary.parseErrors) &&
    Array.isArray(summary.dynamicUnknown) &&
    (summary.imports as unknown[]).every((record) => !!record && typeof (record as { specifier?: unknown }).specifier === 'string' && Array.isArray((record as { bindings?: unknown }).bindings))
  );
}
