// The layers of docs/architecture.md, checked on every import of src/: the pure core and the
// configuration never touch the file system, processes or Nx; adapters never reach up into the
// surfaces (plugin, generators, executors, CLI); surfaces use adapters only through the
// engine's public entry or the few adapter modules listed below.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(__dirname, '../src');
const SURFACES = ['plugin', 'generators', 'executors', 'cli'];
const IMPURE = /^(node:)?(fs|fs\/promises|child_process|worker_threads|net|http|https|os)$|^(nx|@nx\/[^/]+)(\/|$)/;

interface Import {
  file: string;
  specifier: string;
  /** The src-relative module it resolves to, for relative specifiers. */
  target?: string;
}

function* sourceFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== '__fixtures__') yield* sourceFiles(path);
    } else if (name.endsWith('.ts') && !name.endsWith('.spec.ts') && !name.endsWith('.d.ts')) {
      yield path;
    }
  }
}

function importsOf(path: string): Import[] {
  const info = ts.preProcessFile(readFileSync(path, 'utf8'), true, true);
  const file = relative(SRC, path);
  return info.importedFiles.map(({ fileName: specifier }) => ({
    file,
    specifier,
    target: specifier.startsWith('.') ? relative(SRC, resolve(dirname(path), specifier)) : undefined,
  }));
}

const layerOf = (srcPath: string) => srcPath.split('/')[0];
const ALL = [...sourceFiles(SRC)].flatMap(importsOf);

function violations(from: (file: string) => boolean, forbidden: (entry: Import) => boolean): string[] {
  return ALL.filter((entry) => from(entry.file) && forbidden(entry)).map(
    (entry) => `${entry.file} → ${entry.specifier}`,
  );
}

describe('architecture', () => {
  it('finds the sources it checks', () => {
    expect(ALL.some((entry) => entry.file.startsWith('core/'))).toBe(true);
    expect(ALL.some((entry) => entry.file.startsWith('adapters/'))).toBe(true);
  });

  it('keeps core/ and config/ pure: no fs, processes, Nx, adapters or surfaces', () => {
    const pure = (file: string) => ['core', 'config'].includes(layerOf(file));
    expect(
      violations(
        pure,
        (entry) =>
          IMPURE.test(entry.specifier) ||
          (entry.target !== undefined && ['adapters', ...SURFACES].includes(layerOf(entry.target))),
      ),
    ).toEqual([]);
  });

  it('keeps adapters/ below the surfaces', () => {
    expect(
      violations(
        (file) => layerOf(file) === 'adapters',
        (entry) => entry.target !== undefined && SURFACES.includes(layerOf(entry.target)),
      ),
    ).toEqual([]);
  });

  it('lets the Nx plugin reach adapters only through the engine entry', () => {
    expect(
      violations(
        (file) => layerOf(file) === 'plugin',
        (entry) => entry.target !== undefined && layerOf(entry.target) === 'adapters',
      ),
    ).toEqual([]);
  });

  it('fails on a violation (the check itself can fail)', () => {
    const fake: Import = { file: 'core/x.ts', specifier: 'node:fs' };
    expect(IMPURE.test(fake.specifier)).toBe(true);
    expect(IMPURE.test('nx/src/devkit-exports')).toBe(true);
    expect(IMPURE.test('typescript')).toBe(false);
  });
});
