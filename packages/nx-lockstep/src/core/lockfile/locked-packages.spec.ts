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
