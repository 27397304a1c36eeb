import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRepos, sh, type Repos } from './__fixtures__/git-repos';
import { acquireLease, type LeaseRequest } from './lease';

const REF = 'refs/lockstep/leases/staging/api';

function request(
  repo: string,
  commit: string,
  overrides: Partial<LeaseRequest> = {},
): LeaseRequest & { lines: string[] } {
  const lines: string[] = [];
  return {
    project: 'api',
    projectRef: 'api',
    env: 'staging',
    prefix: 'lockstep',
    remote: 'origin',
    push: true,
    commit,
    holder: `host test pid ${repo.length}`,
    timeoutSeconds: 2,
    expirySeconds: 600,
    pollMs: 100,
    log: (line) => lines.push(line),
    lines,
    ...overrides,
  };
}

const remoteLease = (repos: Repos) => sh(repos.origin, 'for-each-ref', '--format=%(objectname)', REF) || null;

describe('deploy lease (real git, bare origin)', () => {
  let repos: Repos;
  let o: string;
  let n: string;
  let a: string;
  let b: string;
  beforeEach(() => {
    repos = createRepos();
    o = repos.commit(repos.main, 'lib.ts', 'export const v = 1;\n');
    n = repos.commit(repos.main, 'lib.ts', 'export const v = 2;\n');
    sh(repos.main, 'push', '-q', 'origin', 'main');
    a = repos.clone('a');
    b = repos.clone('b');
    sh(a, 'checkout', '-q', '--detach', o);
  });
  afterEach(() => repos.remove());

  it('is created on the remote with holder, commit and expiry, and released', async () => {
    const req = request(b, n, { holder: 'host ci-7 pid 42, github run 9' });
    const got = await acquireLease(b, req);
    expect(got.state).toBe('held');
    const object = remoteLease(repos);
    expect(object).toBeTruthy();
    const message = sh(repos.origin, 'cat-file', '-p', object!);
    expect(message).toContain(`commit: ${n}`);
    expect(message).toContain('holder: host ci-7 pid 42, github run 9');
    expect(message).toMatch(/expires-at: \d{4}-/);
    if (got.state === 'held') expect(got.lease.release()).toBe(true);
    expect(remoteLease(repos)).toBeNull();
  });

  it('a second deploy of the same commit waits, then fails naming the holder and how to release a stale lease', async () => {
    const first = await acquireLease(b, request(b, n, { holder: 'host one pid 1' }));
    expect(first.state).toBe('held');
    const other = repos.clone('c');
    const req = request(other, n, { holder: 'host two pid 2', timeoutSeconds: 1 });
    await expect(acquireLease(other, req)).rejects.toThrow(
      /holds the lease refs\/lockstep\/leases\/staging\/api: held by host one pid 1, deploying .* Waited 1s \(option leaseTimeout\).*git push origin :refs\/lockstep\/leases\/staging\/api/,
    );
    expect(req.lines.join('\n')).toMatch(
      /waiting for refs\/lockstep\/leases\/staging\/api: another deploy holds it \(held by host one pid 1/,
    );
  });

  it('waits while it is held and takes it once released', async () => {
    const first = await acquireLease(b, request(b, n));
    const other = repos.clone('c');
    const waiting = acquireLease(other, request(other, n, { timeoutSeconds: 30 }));
    await new Promise((resolve) => setTimeout(resolve, 400));
    if (first.state === 'held') first.lease.release();
    const second = await waiting;
    expect(second).toMatchObject({ state: 'held', waited: true });
  });

  it('an older commit yields to a newer one holding the lease; with --force (yieldToNewer false) it waits', async () => {
    await acquireLease(b, request(b, n));
    const older = await acquireLease(a, request(a, o));
    expect(older.state).toBe('newer-holder');
    if (older.state === 'newer-holder') expect(older.holder.commit).toBe(n);
    await expect(acquireLease(a, request(a, o, { yieldToNewer: false, timeoutSeconds: 1 }))).rejects.toThrow(
      /holds the lease/,
    );
  });

  it('a newer commit waits for an older one (it deploys after it)', async () => {
    await acquireLease(a, request(a, o));
    await expect(acquireLease(b, request(b, n, { timeoutSeconds: 1 }))).rejects.toThrow(/holds the lease/);
  });

  it('an expired lease is taken over, and its old holder can neither renew nor release it', async () => {
    let clock = new Date('2026-01-01T00:00:00Z');
    const first = await acquireLease(b, request(b, n, { expirySeconds: 60, now: () => clock }));
    clock = new Date('2026-01-01T00:01:01Z');
    const other = repos.clone('c');
    const req = request(other, n, { now: () => clock });
    const second = await acquireLease(other, req);
    expect(second.state).toBe('held');
    expect(req.lines.join('\n')).toMatch(/taking over the expired lease of host test/);
    if (first.state !== 'held' || second.state !== 'held') throw new Error('expected both held');
    expect(first.lease.renew()).toBe(false);
    expect(first.lease.release()).toBe(false);
    expect(second.lease.renew()).toBe(true);
    expect(second.lease.release()).toBe(true);
  });

  it('without a remote (pushMarker=false) the lease is a local ref with the same swap', async () => {
    const first = await acquireLease(b, request(b, n, { push: false }));
    expect(sh(b, 'rev-parse', '--verify', REF)).toBeTruthy();
    await expect(acquireLease(b, request(b, n, { push: false, timeoutSeconds: 1 }))).rejects.toThrow(
      /git update-ref -d refs\/lockstep\/leases\/staging\/api/,
    );
    if (first.state === 'held') expect(first.lease.release()).toBe(true);
  });
});
