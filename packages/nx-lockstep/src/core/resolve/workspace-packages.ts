import type { WorkspacePackage } from './resolution-context';
import { dirname } from './workspace-paths';

/**
 * Workspace packages by name, from the package.json files of the workspace (npm, yarn and pnpm
 * workspaces alike: any package.json below the root with a name). A package.json that does
 * not parse is reported, not guessed.
 */
export function readWorkspacePackages(manifests: ReadonlyMap<string, string>): {
  packages: Map<string, WorkspacePackage>;
  errors: string[];
} {
  const packages = new Map<string, WorkspacePackage>();
  const errors: string[] = [];
  for (const [file, text] of [...manifests].sort(([a], [b]) => a.localeCompare(b))) {
    if (file === 'package.json') continue;
    try {
      // A UTF-8 byte order mark is valid for npm and TypeScript, not for JSON.parse.
      const json = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
      if (typeof json.name !== 'string' || packages.has(json.name)) continue;
      packages.set(json.name, {
        name: json.name,
        root: dirname(file),
        main: typeof json.main === 'string' ? json.main : undefined,
        module: typeof json.module === 'string' ? json.module : undefined,
        types:
          typeof json.types === 'string' ? json.types : typeof json.typings === 'string' ? json.typings : undefined,
        exports: json.exports,
      });
    } catch (error) {
      errors.push(`${file}: ${(error as Error).message}`);
    }
  }
  return { packages, errors };
}

/** The package.json files that can declare workspace packages: any below the root, outside node_modules. */
export function isWorkspaceManifest(path: string): boolean {
  return (path === 'package.json' || path.endsWith('/package.json')) && !path.includes('node_modules/');
}
