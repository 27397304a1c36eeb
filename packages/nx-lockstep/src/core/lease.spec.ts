import { describe, expect, it } from 'vitest';
import {
  decideLeaseStep,
  describeHolder,
  formatLeaseMessage,
  isLeaseExpired,
  leaseRefName,
  parseLeaseMessage,
  validateSeconds,
} from './lease';

describe('lease (pure)', () => {
  it('names the ref and round-trips its message', () => {
    expect(leaseRefName('lockstep', 'staging', 'svc-a')).toBe('refs/lockstep/leases/staging/svc-a');
    const fields = {
      project: 'svc-a',
      env: 'staging',
      commit: 'a'.repeat(40),
      holder: describeHolder('build-7', 42, { GITHUB_RUN_ID: '123', CI_JOB_ID: 'x\ny' }),
      acquiredAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2026-01-01T00:10:00.000Z',
    };
    expect(fields.holder).toBe('host build-7 pid 42, github run 123, gitlab job x y');
    expect(parseLeaseMessage(formatLeaseMessage(fields))).toEqual({
      commit: fields.commit,
      holder: fields.holder,
      acquiredAt: fields.acquiredAt,
      expiresAt: fields.expiresAt,
    });
  });

  it('an unreadable expiry counts as expired (a hand-made ref never blocks forever)', () => {
    const now = new Date('2026-01-01T00:05:00Z');
    expect(isLeaseExpired('2026-01-01T00:10:00Z', now)).toBe(false);
    expect(isLeaseExpired('2026-01-01T00:05:00Z', now)).toBe(true);
    expect(isLeaseExpired('', now)).toBe(true);
  });

  it('decides acquire, take-over, yield to a newer commit, wait, give up', () => {
    const now = new Date('2026-01-01T00:05:00Z');
    const later = new Date('2026-01-01T00:06:00Z');
    const live = { expiresAt: '2026-01-01T00:10:00Z', commit: 'c' };
    const step = (held: typeof live | null, deadline: Date, holderIsNewer = false) =>
      decideLeaseStep({ held, now, deadline, holderIsNewer }).action;
    expect(step(null, later)).toBe('acquire');
    expect(step({ ...live, expiresAt: '2026-01-01T00:04:00Z' }, later)).toBe('take-over');
    expect(step(live, later, true)).toBe('yield-to-newer');
    expect(step(live, later)).toBe('wait');
    expect(step(live, now)).toBe('give-up');
  });

  it('validates seconds, naming the option and an example', () => {
    expect(validateSeconds('leaseTimeout', undefined, 1800)).toBe(1800);
    expect(validateSeconds('leaseTimeout', 5, 1800)).toBe(5);
    for (const bad of [0, -1, 1.5, '60', Number.NaN]) {
      expect(() => validateSeconds('leaseTimeout', bad, 1800)).toThrow(
        /Invalid leaseTimeout .*whole number of seconds greater than 0, for example --leaseTimeout=1800/,
      );
    }
  });
});
