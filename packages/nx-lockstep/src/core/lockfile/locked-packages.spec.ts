import { describe, expect, it } from 'vitest';
import { externalPackageChange } from '../affected/external-package-change';
import { lockedClosure, parseLockfile } from './locked-packages';

const npmLock = (msVersion: string) =>
  JSON.stringify({
    lockfileVersion: 3,
    packages: {
      '': { name: 'root' },
      'node_modules/debug': { version: '4.0.0', dependencies: { ms: '^2' } },
      'node_modules/ms': { version: msVersion },
      'node_modules/express': { version: '4.18.0', dependencies: { debug: '2.6.9' } },
      'node_modules/express/node_modules/debug': { version: '2.6.9' },
      'node_modules/@acme/lib': { resolved: 'libs/lib', link: true },
    },
  });

describe('parseLockfile', () => {
  it('npm: versions per name (nested copies included) and the transitive closure', () => {
    const locked = parseLockfile('package-lock.json', npmLock('2.0.0'));
    expect([...lockedClosure(locked, 'express')]).toEqual([
      ['express', '4.18.0'],
      ['debug', '2.6.9 | 4.0.0'],
      ['ms', '2.0.0'],
    ]);
    expect(locked.versions.has('@acme/lib')).toBe(false);
  });

  it('pnpm 9: packages and snapshots', () => {
    const text = [
      "lockfileVersion: '9.0'",
      'importers:',
      '  .:',
      '    dependencies:',
      '      debug: { specifier: ^4, version: 4.3.4 }',
      'packages:',
      '  debug@4.3.4:',
      '    resolution: { integrity: sha512-x }',
      '  ms@2.1.2:',
      '    resolution: { integrity: sha512-y }',
      'snapshots:',
      '  debug@4.3.4:',
      '    dependencies:',
      '      ms: 2.1.2',
      '  ms@2.1.2: {}',
    ].join('\n');
    expect([...lockedClosure(parseLockfile('pnpm-lock.yaml', text), 'debug')]).toEqual([
      ['debug', '4.3.4'],
      ['ms', '2.1.2'],
    ]);
  });

  it('pnpm 11+: two YAML documents (pnpm itself, then the project), both read', () => {
    // As typescript-eslint's pnpm 12 lockfile starts: pnpm's own lockfile, `---`, the project's.
    const text = (debug: string) =>
      [
        '---',
        "lockfileVersion: '9.0'",
        'importers:',
        '  .:',
        '    configDependencies: {}',
        '    packageManagerDependencies:',
        '      pnpm: { specifier: 12.0.0-rc.7, version: 12.0.0-rc.7 }',
        'packages:',
        "  '@pnpm/exe.linux-x64@12.0.0-rc.7':",
        '    resolution: { integrity: sha512-p }',
        'snapshots:',
        "  '@pnpm/exe.linux-x64@12.0.0-rc.7': {}",
        '',
        '---',
        "lockfileVersion: '9.0'",
        'importers:',
        '  .:',
        '    dependencies:',
        `      debug: { specifier: ^4, version: ${debug} }`,
        'packages:',
        `  debug@${debug}:`,
        '    resolution: { integrity: sha512-x }',
        '  ms@2.1.2:',
        '    resolution: { integrity: sha512-y }',
        'snapshots:',
        `  debug@${debug}:`,
        '    dependencies:',
        '      ms: 2.1.2',
        '  ms@2.1.2: {}',
      ].join('\n');
    const head = parseLockfile('pnpm-lock.yaml', text('4.3.5'));
    expect([...lockedClosure(head, 'debug')]).toEqual([
      ['debug', '4.3.5'],
      ['ms', '2.1.2'],
    ]);
    expect(head.versions.has('@pnpm/exe.linux-x64')).toBe(true);
    expect(
      externalPackageChange(parseLockfile('pnpm-lock.yaml', text('4.3.4')), head, 'debug', 'pnpm-lock.yaml'),
    ).toEqual({
      package: 'debug',
      from: '4.3.4',
      to: '4.3.5',
      lockfile: 'pnpm-lock.yaml',
    });
    // A document that does not parse still fails the read, as one did before.
    expect(() => parseLockfile('pnpm-lock.yaml', `${text('4.3.5')}\n---\n[unclosed`)).toThrow();
  });

  it('yarn classic', () => {
    const text = [
      '# yarn lockfile v1',
      '',
      'debug@^4.0.0, debug@^4.1.0:',
      '  version "4.3.4"',
      '  dependencies:',
      '    ms "2.1.2"',
      '',
      '"@scope/x@^1.0.0":',
      '  version "1.2.0"',
      '',
      'ms@2.1.2:',
      '  version "2.1.2"',
    ].join('\n');
    const locked = parseLockfile('yarn.lock', text);
    expect([...lockedClosure(locked, 'debug')]).toEqual([
      ['debug', '4.3.4'],
      ['ms', '2.1.2'],
    ]);
    expect([...lockedClosure(locked, '@scope/x')]).toEqual([['@scope/x', '1.2.0']]);
  });

  it('a merge conflict committed as it was is not a lockfile, in any format (yarn classic would read it silently)', () => {
    const conflicted = [
      '# yarn lockfile v1',
      '',
      'debug@^4.0.0:',
      '<<<<<<< HEAD',
      '  version "4.3.4"',
      '=======',
      '  version "4.3.5"',
      '>>>>>>> upgrade debug',
    ].join('\n');
    expect(() => parseLockfile('yarn.lock', conflicted)).toThrow('a merge conflict marker (<<<<<<<) at line 4');
    expect(() => parseLockfile('pnpm-lock.yaml', `lockfileVersion: '9.0'\n=======\n`)).toThrow(
      'a merge conflict marker (=======) at line 2',
    );
    // Seven signs inside a line are no marker.
    expect(() => parseLockfile('yarn.lock', 'a@^1:\n  version "1.0.0-<<<<<<<"\n')).not.toThrow();
  });

  it('a package-lock.json of a shape it does not know is not read as "no packages"', () => {
    expect(() => parseLockfile('package-lock.json', JSON.stringify({ lockfileVersion: 9, entries: {} }))).toThrow(
      'not a lockfile format this version of nx-lockstep reads',
    );
    expect(() => parseLockfile('package-lock.json', 'null')).toThrow();
    // A project without dependencies: its root entry (versions 2 and 3), nothing at all (version 1).
    expect(
      parseLockfile('package-lock.json', JSON.stringify({ lockfileVersion: 1, requires: true })).versions.size,
    ).toBe(0);
    expect(
      parseLockfile('package-lock.json', JSON.stringify({ lockfileVersion: 3, packages: { '': {} } })).versions.size,
    ).toBe(0);
  });

  it('yarn berry', () => {
    const text = [
      '__metadata:',
      '  version: 6',
      '',
      '"debug@npm:^4":',
      '  version: 4.3.4',
      '  dependencies:',
      '    ms: "npm:2.1.2"',
      '',
      '"ms@npm:2.1.2":',
      '  version: 2.1.2',
    ].join('\n');
    expect([...lockedClosure(parseLockfile('yarn.lock', text), 'debug')]).toEqual([
      ['debug', '4.3.4'],
      ['ms', '2.1.2'],
    ]);
  });

  it('an alias is its target at that version, in every format (retargeting it at the same version is a change)', () => {
    const npm = (target: string) =>
      JSON.stringify({
        lockfileVersion: 3,
        packages: { 'node_modules/string-width-cjs': { name: target, version: '4.2.3' } },
      });
    expect([...lockedClosure(parseLockfile('package-lock.json', npm('string-width')), 'string-width-cjs')]).toEqual([
      ['string-width-cjs', 'npm:string-width@4.2.3'],
    ]);
    expect(
      externalPackageChange(
        parseLockfile('package-lock.json', npm('string-width')),
        parseLockfile('package-lock.json', npm('other-width')),
        'string-width-cjs',
        'package-lock.json',
      ),
    ).toMatchObject({ from: 'npm:string-width@4.2.3', to: 'npm:other-width@4.2.3' });
    const classic = [
      '# yarn lockfile v1',
      '',
      '"string-width-cjs@npm:string-width@^4.2.0", string-width@^4.1.0:',
      '  version "4.2.3"',
    ].join('\n');
    const fromClassic = parseLockfile('yarn.lock', classic);
    expect([...lockedClosure(fromClassic, 'string-width-cjs')]).toEqual([
      ['string-width-cjs', 'npm:string-width@4.2.3'],
    ]);
    expect([...lockedClosure(fromClassic, 'string-width')]).toEqual([['string-width', '4.2.3']]);
    const berry = [
      '__metadata:',
      '  version: 6',
      '',
      '"string-width-cjs@npm:string-width@^4.2.0, string-width@npm:^4.1.0":',
      '  version: 4.2.3',
    ].join('\n');
    const fromBerry = parseLockfile('yarn.lock', berry);
    expect([...lockedClosure(fromBerry, 'string-width-cjs')]).toEqual([['string-width-cjs', 'npm:string-width@4.2.3']]);
    expect([...lockedClosure(fromBerry, 'string-width')]).toEqual([['string-width', '4.2.3']]);
  });

  it('a git dependency (or any source but the registry) changes with its commit, the version kept; a registry tarball only with its version', () => {
    const npm = (sha: string) =>
      JSON.stringify({
        lockfileVersion: 3,
        packages: {
          'node_modules/parse-css': {
            version: '0.1.0',
            resolved: `git+ssh://git@github.com/tabatkins/parse-css.git#${sha}`,
          },
          'node_modules/debug': { version: '4.3.4', resolved: 'https://registry.npmjs.org/debug/-/debug-4.3.4.tgz' },
        },
      });
    const before = parseLockfile('package-lock.json', npm('4b8b861a'));
    const after = parseLockfile('package-lock.json', npm('3dfe12a9'));
    expect(externalPackageChange(before, after, 'parse-css', 'package-lock.json')).toEqual({
      package: 'parse-css',
      from: '0.1.0 git+ssh://git@github.com/tabatkins/parse-css.git#4b8b861a',
      to: '0.1.0 git+ssh://git@github.com/tabatkins/parse-css.git#3dfe12a9',
      lockfile: 'package-lock.json',
    });
    expect([...lockedClosure(after, 'debug')]).toEqual([['debug', '4.3.4']]);

    const classic = (sha: string) =>
      [
        '# yarn lockfile v1',
        '',
        '"parse-css@git+ssh://git@github.com/tabatkins/parse-css.git":',
        '  version "0.1.0"',
        `  resolved "git+ssh://git@github.com/tabatkins/parse-css.git#${sha}"`,
        '',
        'debug@^4:',
        '  version "4.3.4"',
        `  resolved "https://registry.yarnpkg.com/debug/-/debug-4.3.4.tgz#${'a'.repeat(40)}"`,
      ].join('\n');
    expect(
      externalPackageChange(
        parseLockfile('yarn.lock', classic('4b8b')),
        parseLockfile('yarn.lock', classic('3dfe')),
        'parse-css',
        'yarn.lock',
      ),
    ).toMatchObject({ package: 'parse-css' });
    expect([...lockedClosure(parseLockfile('yarn.lock', classic('4b8b')), 'debug')]).toEqual([['debug', '4.3.4']]);

    const berry = (hash: string) =>
      [
        '__metadata:',
        '  version: 6',
        '',
        '"left-pad@patch:left-pad@npm%3A1.3.0#~/.yarn/patches/left-pad-npm-1.3.0-abc.patch":',
        '  version: 1.3.0',
        `  resolution: "left-pad@patch:left-pad@npm%3A1.3.0#~/.yarn/patches/left-pad-npm-1.3.0-abc.patch::version=1.3.0&hash=${hash}"`,
        '',
        '"debug@npm:^4":',
        '  version: 4.3.4',
        '  resolution: "debug@npm:4.3.4"',
      ].join('\n');
    expect(
      externalPackageChange(
        parseLockfile('yarn.lock', berry('111')),
        parseLockfile('yarn.lock', berry('222')),
        'left-pad',
        'yarn.lock',
      ),
    ).toMatchObject({ package: 'left-pad' });
    expect([...lockedClosure(parseLockfile('yarn.lock', berry('111')), 'debug')]).toEqual([['debug', '4.3.4']]);
  });

  // Bun 1.2's text lockfile, as Bun writes it: two-space indents, a trailing comma after every
  // entry, `packages` keyed by install path (`express/debug` is a copy nested under express).
  const bunLock = (msVersion: string, extra = '') => `{
  "lockfileVersion": 1,
  "workspaces": {
    "": {
      "name": "root",
      "dependencies": {
        "debug": "^4",
        "express": "4.18.0",
        "my-ms": "npm:ms@2.1.3",
      },
    },
    "libs/lib": {
      "name": "@acme/lib",
      "version": "0.0.1",
    },
  },
  "packages": {
    "@acme/lib": ["@acme/lib@workspace:libs/lib"],

    "@types/node": ["@types/node@22.10.2", "", { "dependencies": { "undici-types": "~6.20.0" } }, "sha512-a"],

    "debug": ["debug@4.0.0", "", { "dependencies": { "ms": "^2" } }, "sha512-b"],

    "express": ["express@4.18.0", "", { "dependencies": { "debug": "2.6.9" }, "optionalDependencies": { "fsevents": "^2" } }, "sha512-c"],

    "ms": ["ms@${msVersion}", "", {}, "sha512-d"],

    "my-ms": ["ms@2.1.3", "", {}, "sha512-e"],

    "tarball": ["tarball@https://example.com/tarball-1.0.0.tgz", { "dependencies": { "ms": "^2" } }, "sha512-tgz${extra}"],

    "express/debug": ["debug@2.6.9", "", {}, "sha512-f"],

    "express/@types/node": ["@types/node@20.0.0", "", {}, "sha512-g"],
  }
}
`;

  it('bun.lock: versions per installed name (nested copies, aliases, workspace packages) and the transitive closure', () => {
    const locked = parseLockfile('bun.lock', bunLock('2.0.0'));
    // Optional dependencies count; one that is not installed here (fsevents) has no version.
    expect([...lockedClosure(locked, 'express')]).toEqual([
      ['express', '4.18.0'],
      ['debug', '2.6.9 | 4.0.0'],
      ['ms', '2.0.0'],
    ]);
    expect([...lockedClosure(locked, '@types/node')]).toEqual([['@types/node', '20.0.0 | 22.10.2']]);
    // An npm: alias is installed, and imported, under the alias.
    expect([...lockedClosure(locked, 'my-ms')]).toEqual([['my-ms', 'npm:ms@2.1.3']]);
    const retargeted = parseLockfile(
      'bun.lock',
      bunLock('2.0.0').replace('"my-ms": ["ms@2.1.3"', '"my-ms": ["ms2@2.1.3"'),
    );
    expect([...lockedClosure(retargeted, 'my-ms')]).toEqual([['my-ms', 'npm:ms2@2.1.3']]);
    expect(locked.versions.get('@acme/lib')).toEqual(new Map([['workspace:libs/lib', new Set()]]));
  });

  it('bun.lock: a dependency from a URL changes with its integrity, a registry version with its version', () => {
    const base = parseLockfile('bun.lock', bunLock('2.0.0'));
    expect(externalPackageChange(base, parseLockfile('bun.lock', bunLock('2.1.0')), 'debug', 'bun.lock')).toEqual({
      package: 'ms',
      from: '2.0.0',
      to: '2.1.0',
      lockfile: 'bun.lock',
    });
    expect(
      externalPackageChange(base, parseLockfile('bun.lock', bunLock('2.0.0', '-republished')), 'tarball', 'bun.lock'),
    ).toMatchObject({ package: 'tarball', lockfile: 'bun.lock' });
    expect(
      externalPackageChange(base, parseLockfile('bun.lock', bunLock('2.0.0')), 'tarball', 'bun.lock'),
    ).toBeUndefined();
  });

  it('bun.lock that is not one, and bun.lockb, are not read as "no packages"', () => {
    expect(() =>
      parseLockfile('bun.lock', '{\n  "lockfileVersion": 1,\n  "packages": {\n    "ms": ["ms@2.0.0",,],\n  }\n}\n'),
    ).toThrow('ValueExpected at line 4');
    expect(() => parseLockfile('bun.lock', '{ "packages": {} }')).toThrow('no "lockfileVersion"');
    expect(() => parseLockfile('bun.lock', '{ "lockfileVersion": 1, "packages": { "ms": "2.0.0" } }')).toThrow(
      'the entry of "ms"',
    );
    expect(() =>
      parseLockfile(
        'bun.lock',
        bunLock('2.0.0').replace('"lockfileVersion": 1,', '"lockfileVersion": 1,\n<<<<<<< HEAD'),
      ),
    ).toThrow('a merge conflict marker');
    expect(() => parseLockfile('bun.lockb', '\u0000#!/usr/bin/env bun\nbun-lockfile-format-v0')).toThrow(
      "Bun's binary lockfile, which nx-lockstep does not read",
    );
  });
});

describe('externalPackageChange', () => {
  it('reports the imported package or the dependency in its closure whose version changed', () => {
    const base = parseLockfile('package-lock.json', npmLock('2.0.0'));
    const head = parseLockfile('package-lock.json', npmLock('2.1.0'));
    expect(externalPackageChange(base, head, 'debug', 'package-lock.json')).toEqual({
      package: 'ms',
      from: '2.0.0',
      to: '2.1.0',
      lockfile: 'package-lock.json',
    });
    expect(externalPackageChange(base, head, 'express', 'package-lock.json')).toEqual({
      package: 'ms',
      from: '2.0.0',
      to: '2.1.0',
      lockfile: 'package-lock.json',
    });
    expect(externalPackageChange(base, base, 'debug', 'package-lock.json')).toBeUndefined();
  });

  it('a package added or removed has a null side', () => {
    const base = parseLockfile('package-lock.json', JSON.stringify({ packages: {} }));
    const head = parseLockfile(
      'package-lock.json',
      JSON.stringify({ packages: { 'node_modules/zod': { version: '3.0.0' } } }),
    );
    expect(externalPackageChange(base, head, 'zod', 'package-lock.json')).toEqual({
      package: 'zod',
      from: null,
      to: '3.0.0',
      lockfile: 'package-lock.json',
    });
  });
});
