import { describe, expect, it } from 'vitest';
import { packPlugin, run } from './support';

/** What `npm pack` ships: a user installing the tarball gets the README and the licence. */
describe('the packed plugin', () => {
  it('carries README.md and LICENSE next to package.json', () => {
    const files = run(['tar', '-tzf', packPlugin().tarball]).stdout.split('\n');
    expect(files).toEqual(expect.arrayContaining(['package/README.md', 'package/LICENSE', 'package/package.json']));
    const license = run(['tar', '-xzOf', packPlugin().tarball, 'package/LICENSE']).stdout;
    expect(license).toMatch(/^MIT License/);
  });
});

describe('the packed CLI', () => {
  it('ships the command line as one bundle that leaves TypeScript and Nx to the installed packages', () => {
    const files = run(['tar', '-tzf', packPlugin().tarball]).stdout.split('\n');
    expect(files).toEqual(expect.arrayContaining(['package/dist/cli/main.bundle.js', 'package/bin/lockstep.js']));
    const bundle = run(['tar', '-xzOf', packPlugin().tarball, 'package/dist/cli/main.bundle.js']).stdout;
    // Every command is in it; the compilers and Nx are required from node_modules at run time.
    for (const command of ['affected', 'explain', 'status', 'report', 'graph', 'history', 'verify-targets'])
      expect(bundle).toContain(`.command("${command}")`);
    expect(bundle).toMatch(/require\("nx\/package\.json"\)|require\.resolve\("nx\/package\.json"/);
    expect(bundle).not.toMatch(/var ts = \{|createSourceFile = function|function createSourceFile\(/);
    expect(bundle.length).toBeLessThan(3_000_000);
  });
});

describe('the packed compiler copy', () => {
  it("ships the minified compiler with the manifest of the file it stands for and TypeScript's licence", () => {
    const tarball = packPlugin().tarball;
    const files = run(['tar', '-tzf', tarball]).stdout.split('\n');
    expect(files).toEqual(
      expect.arrayContaining([
        'package/dist/vendor/typescript.min.js',
        'package/dist/vendor/typescript.json',
        'package/dist/vendor/typescript.LICENSE.txt',
      ]),
    );
    const manifest = JSON.parse(run(['tar', '-xzOf', tarball, 'package/dist/vendor/typescript.json']).stdout) as {
      size: number;
      sha1: string;
      copy: string;
    };
    expect(manifest).toEqual({
      of: '@ts-morph/common/dist/typescript.js',
      version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      size: expect.any(Number),
      sha1: expect.stringMatching(/^[0-9a-f]{40}$/),
      copy: 'typescript.min.js',
      copySha1: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(run(['tar', '-xzOf', tarball, 'package/dist/vendor/typescript.LICENSE.txt']).stdout).toMatch(
      /Apache License/,
    );
    const copy = run(['tar', '-xzOf', tarball, 'package/dist/vendor/typescript.min.js']).stdout;
    expect(copy.slice(0, 300)).toMatch(/^\/\*! Minified by the nx-lockstep build .* Apache License 2\.0/);
    expect(copy.length).toBeLessThan(manifest.size / 2); // minified: less than half the installed file
  });
});
