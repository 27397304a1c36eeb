import { readTsconfig, type Tsconfig } from './tsconfig';
import type { VirtualWorkspace } from './virtual-workspace';
import { dirname } from './workspace-paths';

const CONFIG_FILE = /(^|\/)[tj]sconfig[^/]*\.json$/;
const ROOT_CONFIGS = ['tsconfig.base.json', 'tsconfig.json'];

/**
 * The tsconfig that governs each file, as editors and builds find it: the nearest folder's
 * `tsconfig*.json` that includes the file (its project's tsconfig.app.json/tsconfig.lib.json,
 * else tsconfig.json, …), walking up; a file no project config includes falls back to the root
 * tsconfig.base.json or tsconfig.json. Configs are read on first use.
 */
export class TsconfigIndex {
  private readonly byFolder = new Map<string, string[]>();
  private readonly loaded = new Map<string, Tsconfig>();
  private readonly governing = new Map<string, Tsconfig | undefined>();
  readonly roots: readonly string[];

  constructor(private readonly workspace: VirtualWorkspace) {
    for (const file of workspace.host.files) {
      if (!CONFIG_FILE.test(file) || file.includes('node_modules/')) continue;
      const folder = dirname(file);
      this.byFolder.set(folder, [...(this.byFolder.get(folder) ?? []), file]);
    }
    for (const files of this.byFolder.values()) files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
    this.roots = ROOT_CONFIGS.filter((file) => workspace.host.files.has(file));
  }

  load(file: string): Tsconfig {
    let config = this.loaded.get(file);
    if (!config) this.loaded.set(file, (config = readTsconfig(file, this.workspace)));
    return config;
  }

  /** The config governing `file`, or undefined when the workspace has none. */
  governingOf(file: string): Tsconfig | undefined {
    if (this.governing.has(file)) return this.governing.get(file);
    const found = this.find(file);
    this.governing.set(file, found);
    return found;
  }

  /** The tsconfig files of one folder, the one a build uses first. */
  inFolder(folder: string): readonly string[] {
    return this.byFolder.get(folder) ?? [];
  }

  /** Every tsconfig of the workspace, read: what resolution may read, for cache keys. */
  all(): Tsconfig[] {
    return [...this.byFolder.values()].flat().map((file) => this.load(file));
  }

  private find(file: string): Tsconfig | undefined {
    for (let folder = dirname(file); ; folder = dirname(folder)) {
      for (const candidate of this.byFolder.get(folder) ?? []) {
        const config = this.load(candidate);
        if (config.includes(file)) return config;
      }
      if (folder === '') break;
    }
    return this.roots.length > 0 ? this.load(this.roots[0]) : undefined;
  }
}

/** Within one folder, the config a build uses for sources comes first, test and lint configs last. */
function rank(file: string): number {
  const name = file.slice(file.lastIndexOf('/') + 1);
  if (/^tsconfig\.(app|lib)\.json$/.test(name)) return 0;
  if (/(spec|test|e2e|cypress|storybook|jest|vitest|lint)/.test(name)) return 5;
  if (/(build|prod)/.test(name)) return 1;
  if (name === 'tsconfig.json') return 2;
  if (name === 'tsconfig.base.json') return 4;
  return 3;
}
