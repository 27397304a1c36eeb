import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AffectedResult } from '../core/result';
import { workspaceDataDirectory } from './parse-cache';

const FORMAT = 'nx-lockstep-results-1';
const KEEP = 16;

/**
 * Whole results, remembered for identical inputs: the same head commit (with a clean working
 * tree), the same resolved bases, precision, environment, nx and nx-lockstep versions. A CI job
 * that runs `lockstep affected`, then `explain` and the affected-deploy executor for each
 * deployable on one range analyses it once. Anything unreadable is ignored, never trusted.
 */
export class ResultCache {
  private constructor(private readonly file: string) {}

  static open(workspaceRoot: string): ResultCache {
    return new ResultCache(join(workspaceDataDirectory(workspaceRoot), 'nx-lockstep', 'results.cache'));
  }

  static key(parts: unknown): string {
    return createHash('sha1').update(JSON.stringify(parts)).digest('hex');
  }

  get(key: string): AffectedResult | undefined {
    return this.read().find((entry) => entry.key === key)?.result;
  }

  set(key: string, result: AffectedResult): void {
    const entries = [{ key, result }, ...this.read().filter((entry) => entry.key !== key)].slice(0, KEEP);
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      writeFileSync(temporary, JSON.stringify({ format: FORMAT, entries }));
      renameSync(temporary, this.file);
    } catch {
      // Not writable: every run analyses.
    }
  }

  private read(): Array<{ key: string; result: AffectedResult }> {
    try {
      const stored = JSON.parse(readFileSync(this.file, 'utf8')) as { format?: unknown; entries?: unknown };
      if (stored.format !== FORMAT || !Array.isArray(stored.entries)) return [];
      return stored.entries.filter(
        (entry): entry is { key: string; result: AffectedResult } =>
          !!entry &&
          typeof entry.key === 'string' &&
          !!entry.result &&
          entry.result.version === 1 &&
          Array.isArray(entry.result.deployables),
      );
    } catch {
      return [];
    }
  }
}
