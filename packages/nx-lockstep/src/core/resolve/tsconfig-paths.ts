import type { PathAlias } from './resolution-context';
import { dirname, joinPath, normalize } from './resolve-specifier';

export interface TsconfigResolution {
  paths: PathAlias[];
  baseUrl?: string;
  /** compilerOptions after `extends`, for the global-input comparison. */
  compilerOptions: Record<string, unknown>;
  /** Every tsconfig file read (the file and what it extends). */
  files: string[];
  errors: string[];
}

/**
 * Reads a tsconfig and what it `extends` (workspace files only; packages from node_modules are
 * not followed) and returns its `paths` made workspace-relative. `readFile` returns undefined
 * for a missing file.
 */
export function readTsconfigPaths(
  tsconfigFile: string,
  readFile: (file: string) => string | undefined,
): TsconfigResolution {
  const result: TsconfigResolution = { paths: [], compilerOptions: {}, files: [], errors: [] };
  let pathsBase: string | undefined;
  const chain: Array<{ file: string; options: Record<string, unknown> }> = [];
  let current: string | undefined = tsconfigFile;
  while (current && !result.files.includes(current)) {
    const text = readFile(current);
    if (text === undefined) {
      if (current !== tsconfigFile)
        result.errors.push(`${current} (extended by ${result.files.at(-1)}) does not exist`);
      break;
    }
    result.files.push(current);
    const parsed = parseJsonc(text);
    if (parsed.error) {
      result.errors.push(`${current}: ${parsed.error}`);
      break;
    }
    const config = (parsed.config ?? {}) as { extends?: unknown; compilerOptions?: Record<string, unknown> };
    chain.push({ file: current, options: config.compilerOptions ?? {} });
    const extended = Array.isArray(config.extends) ? config.extends[0] : config.extends;
    current =
      typeof extended === 'string' && extended.startsWith('.')
        ? normalize(joinPath(dirname(current), extended.endsWith('.json') ? extended : `${extended}.json`))
        : undefined;
  }
  // The most derived config wins, option by option; `paths` and `baseUrl` are relative to the file that sets them.
  for (const { file, options } of chain.reverse()) {
    Object.assign(result.compilerOptions, options);
    if (typeof options.baseUrl === 'string') result.baseUrl = normalize(joinPath(dirname(file), options.baseUrl));
    if (options.paths && typeof options.paths === 'object') {
      pathsBase = dirname(file);
      result.paths = Object.entries(options.paths as Record<string, unknown>).map(([pattern, targets]) => ({
        pattern,
        targets: (Array.isArray(targets) ? targets : []).filter(
          (target): target is string => typeof target === 'string',
        ),
      }));
    }
  }
  const targetBase = result.baseUrl ?? pathsBase ?? '';
  result.paths = result.paths.map(({ pattern, targets }) => ({
    pattern,
    targets: targets.map((target) => normalize(joinPath(targetBase, target)) ?? target),
  }));
  return result;
}

/**
 * JSON with comments and trailing commas, as tsconfig files are written. Strings are copied as
 * they are, so `"//"` inside a value survives.
 */
export function parseJsonc(text: string): { config?: unknown; error?: string } {
  let out = '';
  for (let index = 0; index < text.length; index++) {
    const char = text[index];
    if (char === '"') {
      let end = index + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      out += text.slice(index, end + 1);
      index = end;
    } else if (char === '/' && text[index + 1] === '/') {
      while (index < text.length && text[index] !== '\n') index++;
      out += '\n';
    } else if (char === '/' && text[index + 1] === '*') {
      const end = text.indexOf('*/', index + 2);
      index = end < 0 ? text.length : end + 1;
      out += ' ';
    } else {
      out += char;
    }
  }
  try {
    return { config: JSON.parse(out.replace(/,(\s*[}\]])/g, '$1')) };
  } catch (error) {
    return { error: (error as Error).message };
  }
}
