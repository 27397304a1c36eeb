import type { ts } from 'ts-morph';
import type { ResolutionHost, WorkspacePackage } from './resolution-context';
import { packageNameOf } from './workspace-paths';

/**
 * The commit being analysed as the file system TypeScript sees: the workspace at `/`, its files
 * and folders from the commit's file list, and `node_modules/<workspace package>` linked to the
 * package's folder the way npm, yarn and pnpm workspaces link it (git holds no node_modules).
 * Any other installed package does not exist for module resolution: a bare specifier that is no
 * workspace package is an external package whether or not it is installed. Only a tsconfig's
 * `extends` reads installed packages (through `readInstalled`).
 */
export class VirtualWorkspace {
  private readonly directories = new Set<string>(['']);
  private readonly scopes = new Set<string>();
  private readonly installed = new Map<string, string | undefined>();
  /** Every path a tsconfig read asked for (workspace or installed), found or not. */
  private readonly configPaths = new Map<string, 'workspace' | 'installed'>();

  constructor(
    readonly host: ResolutionHost,
    readonly packages: ReadonlyMap<string, WorkspacePackage>,
  ) {
    for (const file of host.files) {
      for (let slash = file.lastIndexOf('/'); slash > 0; slash = file.lastIndexOf('/', slash - 1)) {
        const directory = file.slice(0, slash);
        if (this.directories.has(directory)) break;
        this.directories.add(directory);
      }
    }
    for (const name of packages.keys()) if (name.startsWith('@')) this.scopes.add(name.slice(0, name.indexOf('/')));
  }

  hasFile(path: string): boolean {
    return this.host.files.has(path);
  }

  hasDirectory(path: string): boolean {
    return this.directories.has(path);
  }

  /**
   * The workspace path a `node_modules/<workspace package>/…` path links to; the path itself when
   * it is not below node_modules; undefined for an installed (non-workspace) package.
   */
  linked(path: string): string | undefined {
    const at = path.lastIndexOf('node_modules/');
    if (at < 0 || (at > 0 && path[at - 1] !== '/')) return path;
    const inside = path.slice(at + 'node_modules/'.length);
    const name = packageNameOf(inside);
    const pkg = this.packages.get(name);
    if (!pkg) return undefined;
    const rest = inside.slice(name.length + 1);
    return rest ? (pkg.root ? `${pkg.root}/${rest}` : rest) : pkg.root;
  }

  /** TypeScript's view for module resolution: the commit's files, workspace packages linked at the root. */
  moduleResolutionHost(): ts.ModuleResolutionHost {
    return {
      fileExists: (file) => {
        const path = this.linked(relative(file));
        return path !== undefined && this.host.files.has(path);
      },
      readFile: (file) => {
        const path = this.linked(relative(file));
        return path === undefined ? undefined : stripBom(this.host.readFile(path));
      },
      directoryExists: (directory) => {
        // TypeScript asks for `.`, `..` and `./util/` with a trailing slash (their folder's index).
        const path = relative(directory).replace(/\/+$/, '');
        // One node_modules, at the root, holding the workspace packages: lookups from any folder end there.
        if (path === 'node_modules') return this.packages.size > 0;
        if (path.endsWith('/node_modules') || path.includes('/node_modules/')) return false;
        if (path.startsWith('node_modules/')) {
          const inside = path.slice('node_modules/'.length);
          if (inside.startsWith('@') && !inside.includes('/')) return this.scopes.has(inside);
          const linked = this.linked(path);
          return linked !== undefined && this.directories.has(linked);
        }
        return this.directories.has(path);
      },
      realpath: (file) => {
        const path = this.linked(relative(file));
        return path === undefined ? file : absolute(path);
      },
      getCurrentDirectory: () => '/',
      useCaseSensitiveFileNames: true,
    };
  }

  /**
   * TypeScript's view for reading tsconfig files: the commit's files, and installed packages for
   * an `extends` that names one. `readDirectory` answers nothing: which files a config includes
   * is decided per file (see tsconfig.ts), not by listing them.
   */
  parseConfigHost(onReadDirectory: (args: ReadDirectoryCall) => void): ts.ParseConfigHost {
    const read = (file: string): string | undefined => {
      const path = relative(file);
      const linked = this.linked(path);
      if (linked !== undefined) {
        this.configPaths.set(linked, 'workspace');
        return this.host.files.has(linked) ? stripBom(this.host.readFile(linked)) : undefined;
      }
      this.configPaths.set(path, 'installed');
      if (!this.installed.has(path)) this.installed.set(path, stripBom(this.host.readInstalled?.(path)));
      return this.installed.get(path);
    };
    return {
      useCaseSensitiveFileNames: true,
      fileExists: (file) => read(file) !== undefined,
      readFile: read,
      readDirectory: (rootDir, extensions, excludes, includes, depth) => {
        onReadDirectory({ rootDir, excludes, includes, depth });
        return [];
      },
    };
  }

  /**
   * Every path reading tsconfigs asked for so far, found or not: what decides their meaning
   * (the same paths with the same contents read the same configs).
   */
  configReads(): ReadonlyMap<string, 'workspace' | 'installed'> {
    return this.configPaths;
  }
}

export interface ReadDirectoryCall {
  rootDir: string;
  excludes: readonly string[] | undefined;
  includes: readonly string[];
  depth: number | undefined;
}

/** `apps/a/main.ts` → `/apps/a/main.ts`: TypeScript works with absolute paths. */
export function absolute(path: string): string {
  return `/${path}`;
}

/** `/apps/a/main.ts` → `apps/a/main.ts`. */
export function relative(file: string): string {
  return file.startsWith('/') ? file.slice(1) : file;
}

function stripBom(text: string | undefined): string | undefined {
  return text !== undefined && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
