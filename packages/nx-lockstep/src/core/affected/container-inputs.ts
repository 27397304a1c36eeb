/**
 * Files a deployable's Dockerfile copies into its image from outside the project (DESIGN.md, "What
 * a deployable ships"): journium-docs' MCP server image does `COPY apps/docs-app/content/docs
 * ./source-docs` and serves those pages at run time, though no import and no Nx edge leads there.
 * A changed non-source file under such a COPY/ADD source counts for the deployable. TS/JS sources
 * are left to the import analysis (what the build compiles is what its entry points reach); the
 * root manifest and lockfiles to their own rules; a copy of the whole build context (`COPY . .`)
 * says nothing about what ships. Sources are workspace-relative: the inferred deploy target builds
 * with the workspace root as context, as Nx's own Docker setups do.
 */
import { matcher as globMatcher } from 'micromatch';
import { isDeclarationFile, isSourceFile } from '../extract/file-kinds';
import { isRootLockfile } from '../lockfile/lockfiles';
import type { Reason } from '../result';

export interface ContainerFile {
  path: string;
  text: string;
}

/** The Dockerfiles a deployable builds: its own root's, and any `-f`/`--file` its deploy target names. */
export function containerFilesOf(
  root: string,
  deployCommand: unknown,
  files: ReadonlySet<string>,
  readText: (path: string) => string | undefined,
): ContainerFile[] {
  const prefix = root === '' || root === '.' ? '' : `${root}/`;
  const paths = new Set<string>();
  for (const name of ['Dockerfile', 'Containerfile']) if (files.has(`${prefix}${name}`)) paths.add(`${prefix}${name}`);
  const commands = Array.isArray(deployCommand) ? deployCommand : [deployCommand];
  for (const command of commands) {
    if (typeof command !== 'string') continue;
    for (const match of command.matchAll(/(?:^|\s)(?:-f|--file)[=\s]+["']?([^\s"']+)/g))
      if (files.has(match[1].replace(/^\.\//, ''))) paths.add(match[1].replace(/^\.\//, ''));
  }
  return [...paths].flatMap((path) => {
    const text = readText(path);
    return text === undefined ? [] : [{ path, text }];
  });
}

/** COPY/ADD sources of a Dockerfile (not `--from` stage copies), workspace-relative. */
export function copySources(text: string): string[] {
  const sources: string[] = [];
  // Continuation lines join into one instruction.
  for (const line of text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const match = /^\s*(COPY|ADD)\s+(.*)$/i.exec(line);
    if (!match) continue;
    let args: string[];
    const rest = match[2].trim();
    if (rest.startsWith('[')) {
      try {
        args = (JSON.parse(rest) as unknown[]).map(String);
      } catch {
        continue;
      }
    } else args = rest.split(/\s+/);
    const flags = args.filter((arg) => arg.startsWith('--'));
    if (flags.some((flag) => /^--from=/i.test(flag))) continue;
    const paths = args.filter((arg) => !arg.startsWith('--'));
    for (const source of paths.slice(0, -1)) {
      const path = source.replace(/^\.\//, '').replace(/\/+$/, '');
      if (path === '' || path === '.' || path.startsWith('..') || /^[a-z]+:\/\//i.test(path) || path.includes('$'))
        continue;
      sources.push(path);
    }
  }
  return sources;
}

/** Changed non-source files outside the deployable's root that one of its Dockerfiles copies in. */
export function containerCopyChanges(
  root: string,
  containerFiles: readonly ContainerFile[],
  changedPaths: readonly string[],
): Reason[] {
  const prefix = root === '' || root === '.' ? '' : `${root}/`;
  // Files outside the root that a COPY can bring in beyond the deployable's own reach: not the
  // sources and declarations (the import graph follows those) nor the root manifest and lockfiles
  // (compared on their own). Picked before any pattern is compiled: most changes are sources.
  const candidates = changedPaths.filter(
    (file) =>
      !(prefix !== '' && file.startsWith(prefix)) &&
      !isSourceFile(file) &&
      !isDeclarationFile(file) &&
      file !== 'package.json' &&
      !isRootLockfile(file),
  );
  const reasons: Reason[] = [];
  if (candidates.length === 0) return reasons;
  const seen = new Set<string>();
  for (const { path, text } of containerFiles) {
    for (const source of copySources(text)) {
      if (prefix !== '' && (source === root || source.startsWith(prefix))) continue; // own root, whole
      const exact = globMatcher(source, { dot: true });
      const inside = globMatcher(`${source}/**`, { dot: true });
      const matches = (file: string) => exact(file) || inside(file);
      for (const file of candidates) {
        if (seen.has(file) || !matches(file)) continue;
        seen.add(file);
        reasons.push({ kind: 'global-input-changed', file, detail: `copied into the image by ${path} (${source})` });
      }
    }
  }
  return reasons;
}
