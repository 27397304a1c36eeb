import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createExampleRepo,
  EXAMPLE_HISTORY,
  INITIAL_COMMIT_MESSAGE,
  type ExampleRepo,
} from '../../scripts/example-repo.mjs';
import { DEPLOYABLES, dirtyFiles, git, LIBRARIES, REPO_ROOT, run } from './support';

// The example repository is the ground every other e2e suite and the demo stand on.
describe('scripts/example-repo.mjs', () => {
  let base: string;
  let repo: ExampleRepo;

  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'lockstep-example-'));
    repo = createExampleRepo({ dir: join(base, 'shop') });
  });
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('commits the initial import and then the scripted history, in order', () => {
    const log = git(repo.dir, 'log', '--reverse', '--format=%H %s').split('\n');
    expect(log).toEqual(repo.commits.map(({ sha, message }) => `${sha} ${message}`));
    expect(repo.commits.map((commit) => commit.message)).toEqual([
      INITIAL_COMMIT_MESSAGE,
      ...EXAMPLE_HISTORY.map((step) => step.message),
    ]);
    expect(repo.commits.length).toBeGreaterThanOrEqual(6);
  });

  it('changes exactly the files each history step names', () => {
    repo.commits.slice(1).forEach((commit, i) => {
      const changed = git(repo.dir, 'show', '--name-only', '--format=', commit.sha).split('\n').filter(Boolean).sort();
      expect(changed).toEqual(EXAMPLE_HISTORY[i]!.edits.map((edit) => edit.file).sort());
    });
  });

  it('keeps the shas that README.md and docs/engine.md cite, and ends with a change to newId', () => {
    // The docs show real `lockstep` runs on these commits: appending history is fine, rewriting it is not.
    const cited = Object.fromEntries(repo.commits.map(({ sha, message }) => [sha.slice(0, 7), message]));
    expect(cited['4deb016']).toBe('shared-logger: document log levels');
    expect(cited['d6ebd5a']).toBe('money: support Swiss francs');
    // The demo's "one deploy instead of four": a hub-library function only orders-api calls.
    const last = repo.commits.at(-1)!;
    expect(last.message).toBe('shared-utils: time-ordered ids');
    const diff = git(repo.dir, 'show', '--format=', '--unified=0', last.sha);
    expect(diff).toContain('+++ b/libs/shared-utils/src/lib/ids.ts');
    expect(diff).toMatch(/@@ .* @@ export function newId</);
    const callers = git(repo.dir, 'grep', '-l', 'newId(', last.sha, '--', 'apps', 'libs')
      .split('\n')
      .map((line) => line.replace(/^[0-9a-f]+:/, ''));
    expect(callers.filter((file) => !file.startsWith('libs/shared-utils/'))).toEqual([
      'apps/orders-api/src/routes/orders.ts',
    ]);
  });

  it('pushes main to a local bare origin with origin/HEAD set, leaving a clean tree', () => {
    expect(existsSync(join(repo.origin, 'HEAD'))).toBe(true);
    expect(git(repo.dir, 'rev-parse', 'origin/main')).toBe(repo.commits.at(-1)!.sha);
    expect(git(repo.dir, 'symbolic-ref', 'refs/remotes/origin/HEAD')).toBe('refs/remotes/origin/main');
    expect(git(repo.dir, 'rev-parse', '--abbrev-ref', 'HEAD')).toBe('main');
    expect(dirtyFiles(repo.dir)).toEqual([]);
  });

  it('is reproducible: the same history gives the same shas', () => {
    const again = createExampleRepo({ dir: join(base, 'again') });
    expect(again.commits.map((commit) => commit.sha)).toEqual(repo.commits.map((commit) => commit.sha));
  });

  it('has a deploy marker in every deployable and none in libraries', () => {
    const tracked = git(repo.dir, 'ls-files').split('\n');
    const markers = /\/(Dockerfile|fly\.toml|vercel\.json|netlify\.toml|Procfile)$/;
    const withMarker = [
      ...new Set(tracked.filter((file) => markers.test(file)).map((file) => file.split('/')[1])),
    ].sort();
    expect(withMarker).toEqual([...DEPLOYABLES]);
    for (const library of LIBRARIES) expect(tracked).toContain(`libs/${library}/src/index.ts`);
  });

  it('typechecks (apps, libraries and their specs) before and after the history', () => {
    const tsc = join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    // One program for the whole repository; the config lives beside it so the tree stays clean.
    const config = join(base, 'tsconfig.check.json');
    writeFileSync(
      config,
      JSON.stringify({
        extends: './shop/tsconfig.base.json',
        compilerOptions: { noEmit: true, typeRoots: [join(REPO_ROOT, 'node_modules', '@types')] },
        include: ['shop/apps/*/src/**/*.ts', 'shop/libs/*/src/**/*.ts'],
      }),
    );
    for (const commit of [repo.commits[0]!, repo.commits.at(-1)!]) {
      git(repo.dir, 'checkout', '-q', commit.sha);
      const result = run([process.execPath, tsc, '-p', config], { allowFailure: true });
      expect(result.output, `at "${commit.message}"`).toBe('');
      expect(result.code).toBe(0);
    }
    git(repo.dir, 'checkout', '-q', 'main');
  });

  it('runs as a CLI and refuses a folder that is not empty', () => {
    const dir = join(base, 'cli');
    const first = run([process.execPath, join(REPO_ROOT, 'scripts', 'example-repo.mjs'), dir, '--no-history']);
    expect(first.stdout).toContain(`Example repository: ${dir}`);
    expect(first.stdout).toContain(INITIAL_COMMIT_MESSAGE);
    expect(git(dir, 'rev-list', '--count', 'HEAD')).toBe('1');
    const second = run([process.execPath, join(REPO_ROOT, 'scripts', 'example-repo.mjs'), dir], { allowFailure: true });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain('is not empty');
  });
});
