import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRepos, sh, type Repos } from './__fixtures__/git-repos';
import { readMarkers } from './read-markers';
import { writeMarker } from './write-marker';

const base = { env: 'production', prefix: 'lockstep', remote: 'origin' } as const;
const TAG = 'refs/tags/lockstep/production/api';

function remoteMarker(repos: Repos): string | null {
  const out = sh(repos.origin, 'for-each-ref', '--format=%(*objectname)', TAG);
  return out || null;
}

describe('writeMarker (real git, bare origin)', () => {
  let repos: Repos;
  beforeEach(() => {
    repos = createRepos();
  });
  afterEach(() => repos.remove());

  it('creates the annotated tag on the remote with time and run id, and readMarkers reads it back from another clone', async () => {
    const head = sh(repos.main, 'rev-parse', 'HEAD');
    const result = writeMarker(repos.main, {
      ...base,
      project: 'api',
      head,
      runId: '4242',
      now: new Date('2026-01-02T03:04:05.000Z'),
    });
    expect(result).toMatchObject({ outcome: 'created', previous: null, sha: head, pushed: true, attempts: 1 });
    expect(remoteMarker(repos)).toBe(head);
    expect(sh(repos.origin, 'cat-file', '-t', TAG)).toBe('tag');

    const other = repos.clone('other');
    const markers = await readMarkers(other, { ...base, projects: ['api', 'web'], onWarning: () => {} });
    expect(markers.web).toBeNull();
    expect(markers.api).toMatchObject({
      project: 'api',
      env: 'production',
      sha: head,
      date: '2026-01-02T03:04:05.000Z',
      runId: '4242',
    });
  });

  it('moves forward, and a pipeline for an older commit finishing late leaves the newer marker (two clones)', () => {
    const c1 = sh(repos.main, 'rev-parse', 'HEAD');
    const c2 = repos.commit(repos.main, 'api.ts', 'v2');
    sh(repos.main, 'push', '-q', 'origin', 'main');
    const early = repos.clone('early'); // checked out at c2 too; it will deploy c1
    const late = repos.clone('late');

    // The pipeline of c2 finishes first…
    expect(writeMarker(late, { ...base, project: 'api', head: c2 })).toMatchObject({ outcome: 'created', sha: c2 });
    // …the pipeline of c1 (started earlier) finishes after it: the marker must not go back.
    const stale = writeMarker(early, { ...base, project: 'api', head: c1 });
    expect(stale).toMatchObject({ outcome: 'kept', why: 'newer-marker', sha: c2, pushed: false });
    expect(remoteMarker(repos)).toBe(c2);

    const c3 = repos.commit(early, 'api.ts', 'v3');
    expect(writeMarker(early, { ...base, project: 'api', head: c3 })).toMatchObject({
      outcome: 'moved',
      previous: c2,
      sha: c3,
    });
    expect(remoteMarker(repos)).toBe(c3);
  });

  it('two concurrent writers: the one that loses the lease re-reads and leaves a newer marker alone', () => {
    const c1 = sh(repos.main, 'rev-parse', 'HEAD');
    writeMarker(repos.main, { ...base, project: 'api', head: c1 });
    const c2 = repos.commit(repos.main, 'api.ts', 'v2');
    const c3 = repos.commit(repos.main, 'api.ts', 'v3');
    sh(repos.main, 'push', '-q', 'origin', 'main');
    const a = repos.clone('a');
    const b = repos.clone('b');

    // A read the marker at c1 and is about to push c2 when B pushes c3.
    const result = writeMarker(a, {
      ...base,
      project: 'api',
      head: c2,
      beforePush: once(() => expect(writeMarker(b, { ...base, project: 'api', head: c3 }).outcome).toBe('moved')),
    });
    expect(result).toMatchObject({ outcome: 'kept', why: 'newer-marker', sha: c3, attempts: 2 });
    expect(remoteMarker(repos)).toBe(c3);
  });

  it('two concurrent writers: when the winner is older, the loser retries and moves it forward', () => {
    const c1 = sh(repos.main, 'rev-parse', 'HEAD');
    writeMarker(repos.main, { ...base, project: 'api', head: c1 });
    const c2 = repos.commit(repos.main, 'api.ts', 'v2');
    const c3 = repos.commit(repos.main, 'api.ts', 'v3');
    sh(repos.main, 'push', '-q', 'origin', 'main');
    const a = repos.clone('a');
    const b = repos.clone('b');

    const result = writeMarker(a, {
      ...base,
      project: 'api',
      head: c3,
      beforePush: once(() => expect(writeMarker(b, { ...base, project: 'api', head: c2 }).outcome).toBe('moved')),
    });
    expect(result).toMatchObject({ outcome: 'moved', previous: c2, sha: c3, attempts: 2 });
    expect(remoteMarker(repos)).toBe(c3);
  });

  it('without a remote: push fails clearly; push:false writes a local tag only', () => {
    sh(repos.main, 'remote', 'remove', 'origin');
    const head = sh(repos.main, 'rev-parse', 'HEAD');
    expect(() => writeMarker(repos.main, { ...base, project: 'api', head })).toThrow(
      /no git remote "origin".*--pushMarker=false/,
    );
    expect(writeMarker(repos.main, { ...base, project: 'api', head, push: false })).toMatchObject({
      outcome: 'created',
      pushed: false,
    });
    expect(sh(repos.main, 'rev-parse', `${TAG}^{commit}`)).toBe(head);
  });

  it('reads a hand-made lightweight tag as a marker without a date, and a remote deletion prunes it locally', async () => {
    const head = sh(repos.main, 'rev-parse', 'HEAD');
    sh(repos.main, 'tag', 'lockstep/production/web', head);
    sh(repos.main, 'push', '-q', 'origin', 'refs/tags/lockstep/production/web');
    const other = repos.clone('other');
    expect((await readMarkers(other, { ...base, onWarning: () => {} })).web).toEqual({
      project: 'web',
      env: 'production',
      sha: head,
      date: null,
      tagObject: head,
    });
    sh(repos.main, 'push', '-q', 'origin', ':refs/tags/lockstep/production/web');
    expect(await readMarkers(other, { ...base, projects: ['web'], onWarning: () => {} })).toEqual({ web: null });
  });

  it('records markers for names git refuses in a tag and for @acme next to @acme/api (issue 11.3)', async () => {
    const head = sh(repos.main, 'rev-parse', 'HEAD');
    const projects = ['@acme', '@acme/api', 'has space', 'inject ${{ github.token }}', 'line\nbreak', 'a..b'];
    for (const project of projects) {
      expect(writeMarker(repos.main, { ...base, project, head }).outcome, project).toBe('created');
    }
    const other = repos.clone('other');
    const markers = await readMarkers(other, { ...base, projects, onWarning: () => {} });
    for (const project of projects) expect(markers[project]?.sha, project).toBe(head);
    expect(sh(repos.origin, 'tag', '-l', 'lockstep/production/*').split('\n')).toContain(
      'lockstep/production/%40acme%2Fapi',
    );
  });

  it('reads a marker under its old (raw) name until one under the encoded name exists', async () => {
    const old = sh(repos.main, 'rev-parse', 'HEAD');
    sh(repos.main, 'tag', '-a', '-m', 'old marker', 'lockstep/production/@acme/api', old);
    sh(repos.main, 'push', '-q', 'origin', 'refs/tags/lockstep/production/@acme/api');
    const other = repos.clone('other');
    const before = await readMarkers(other, { ...base, projects: ['@acme/api'], onWarning: () => {} });
    expect(before['@acme/api']?.sha).toBe(old);
    const head = repos.commit(repos.main, 'x.txt', 'x\n');
    sh(repos.main, 'push', '-q', 'origin', 'main');
    expect(writeMarker(repos.main, { ...base, project: '@acme/api', head }).outcome).toBe('created');
    const after = await readMarkers(other, { ...base, projects: ['@acme/api'], onWarning: () => {} });
    expect(after['@acme/api']?.sha).toBe(head);
  });

  it('rejects an env that cannot be part of a tag, naming it', () => {
    const head = sh(repos.main, 'rev-parse', 'HEAD');
    expect(() => writeMarker(repos.main, { ...base, env: 'prod/eu', project: 'api', head })).toThrow(
      /Invalid env "prod\/eu".*Example: "production"/,
    );
  });
});

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      fn();
    }
  };
}
