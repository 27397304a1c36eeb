import { Project, ts } from 'ts-morph';
import type { LibraryVersion } from './library-files';

/** The probe file's virtual path: it imports both versions and states each compatibility check. */
export const PROBE_FILE = '/__lockstep_probe__.ts';

/**
 * One in-memory ts-morph project holding the base and the head of a library under `/base/…` and
 * `/head/…`, so one checker compares them. Imports resolve only through the resolutions found while
 * loading: nothing is read from disk, so the caller can read both versions from git.
 */
export interface ContractProject {
  project: Project;
  /** `containing file \0 specifier` → virtual path; the probe adds its own imports here. */
  resolutions: Map<string, string>;
  /** Where a head file lives in the project: its base twin when nothing it sees changed. */
  headPath(virtualPath: string): string;
}

export function createContractProject(base: LibraryVersion, head: LibraryVersion): ContractProject {
  const shared = unchangedHeadFiles(base, head);
  const headPath = (path: string) => (shared.has(path) ? toBase(path) : path);
  const resolutions = new Map([
    ...base.resolutions,
    ...[...head.resolutions]
      .filter(([key]) => !shared.has(key.slice(0, key.indexOf('\0'))))
      .map(([key, target]) => [key, headPath(target)] as const),
  ]);
  const project = new Project({
    useInMemoryFileSystem: true,
    skipAddingFilesFromTsConfig: true,
    compilerOptions: {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: usesDom(base, head) ? ['lib.es2023.d.ts', 'lib.dom.d.ts'] : ['lib.es2023.d.ts'],
      experimentalDecorators: true,
      jsx: ts.JsxEmit.Preserve,
      skipLibCheck: true,
      noEmit: true,
      types: [],
    },
    resolutionHost: () => ({
      resolveModuleNames(moduleNames, containingFile) {
        return moduleNames.map((name) => {
          const target = resolutions.get(`${containingFile}\0${name}`);
          if (target === undefined) return undefined;
          return {
            resolvedFileName: target,
            extension: extensionOf(target),
            isExternalLibraryImport: false,
          };
        });
      },
    }),
  });
  for (const version of [base, head]) {
    for (const [path, text] of version.files) {
      if (!shared.has(path)) project.createSourceFile(path, text, { overwrite: true });
    }
  }
  return { project, resolutions, headPath };
}

function extensionOf(path: string): ts.Extension {
  if (path.endsWith('.d.ts')) return ts.Extension.Dts;
  if (path.endsWith('.d.mts')) return ts.Extension.Dmts;
  if (path.endsWith('.d.cts')) return ts.Extension.Dcts;
  return path.endsWith('.tsx') ? ts.Extension.Tsx : ts.Extension.Ts;
}

/** Names only the DOM library declares (or that code usually takes from it). */
const DOM_NAMES =
  /\b(HTML\w*Element|SVG\w*Element|Element|Document|Window|Event|EventTarget|\w+Event|Response|Request|Headers|URL|URLSearchParams|Blob|File|FormData|AbortSignal|AbortController|ReadableStream|WritableStream|WebSocket|Storage|fetch|window|document|navigator|localStorage|sessionStorage|Worker|Image|Canvas\w*|Node|NodeList|MutationObserver|IntersectionObserver|ResizeObserver|TextEncoder|TextDecoder)\b/;

/**
 * The DOM library costs about two thirds of a second of parsing per comparison: include it only when
 * a file mentions a name it declares. Without it such a name would read as `any` and hide a change.
 */
function usesDom(base: LibraryVersion, head: LibraryVersion): boolean {
  for (const version of [base, head]) {
    for (const text of version.files.values()) if (DOM_NAMES.test(text)) return true;
  }
  return false;
}

const toBase = (path: string) => path.replace(/^\/head\//, '/base/');

/**
 * Head files whose text, and that of every file they import, equals base: the head imports the base
 * file instead. An unchanged class is then one declaration, not two — classes with private members
 * compare nominally, so two copies of the same class would not be assignable — and is parsed once.
 */
function unchangedHeadFiles(base: LibraryVersion, head: LibraryVersion): Set<string> {
  const importsOf = (version: LibraryVersion) => {
    const byFile = new Map<string, string[]>();
    for (const [key, target] of version.resolutions) {
      const file = key.slice(0, key.indexOf('\0'));
      byFile.set(file, [...(byFile.get(file) ?? []), `${key.slice(file.length)}→${toBase(target)}`]);
    }
    return byFile;
  };
  const baseImports = importsOf(base);
  const headImports = importsOf(head);
  const importers = new Map<string, string[]>();
  for (const [file, targets] of head.imports) {
    for (const target of targets) importers.set(target, [...(importers.get(target) ?? []), file]);
  }
  // Changed: a different text or different import targets; then everything that imports it, transitively.
  const changed = new Set<string>();
  const queue = [...head.files.keys()].filter(
    (path) =>
      path.startsWith('/head/') &&
      (base.files.get(toBase(path)) !== head.files.get(path) ||
        (headImports.get(path) ?? []).join('\n') !== (baseImports.get(toBase(path)) ?? []).join('\n')),
  );
  for (const path of queue) changed.add(path);
  for (let next = 0; next < queue.length; next++) {
    for (const importer of importers.get(queue[next]) ?? []) {
      if (changed.has(importer)) continue;
      changed.add(importer);
      queue.push(importer);
    }
  }
  return new Set([...head.files.keys()].filter((path) => path.startsWith('/head/') && !changed.has(path)));
}
