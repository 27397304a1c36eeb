import { describe, expect, it } from 'vitest';
import {
  ciRunId,
  decideMarkerMove,
  formatAge,
  formatMarkerMessage,
  markerTagName,
  parseMarkerMessage,
  validateEnvName,
  validateMarkerPrefix,
} from './markers';

describe('marker names', () => {
  it('names the tag <prefix>/<env>/<project>', () => {
    expect(markerTagName('lockstep', 'staging', 'orders-api')).toBe('lockstep/staging/orders-api');
    expect(markerTagName('lockstep', 'staging', '@acme/api')).toBe('lockstep/staging/%40acme%2Fapi');
  });

  it('accepts environment names that fit in a tag and rejects the others with an example', () => {
    for (const ok of ['production', 'staging', 'Staging', 'eu-west-1', 'qa_2']) expect(validateEnvName(ok)).toBe(ok);
    for (const bad of [
      '',
      '1st',
      'eu-west.prod',
      'deploy:x',
      'prod/eu',
      'has space',
      '..',
      'a..b',
      '-x',
      '.hidden',
      'x.lock',
      'end.',
      'pr~1',
      'a:b',
      'a^b',
    ]) {
      expect(() => validateEnvName(bad), bad).toThrow(/Invalid env .*(Example|for example)/);
    }
    expect(() => validateEnvName(42)).toThrow(/Invalid env 42/);
  });

  it('accepts slash-separated prefixes whose parts are valid', () => {
    expect(validateMarkerPrefix('deploy/markers')).toBe('deploy/markers');
    expect(() => validateMarkerPrefix('deploy//x')).toThrow(/Invalid markerPrefix "deploy\/\/x"/);
    expect(() => validateMarkerPrefix('')).toThrow(/markerPrefix/);
  });
});

describe('marker message', () => {
  it('round-trips time and run id', () => {
    const message = formatMarkerMessage({
      project: 'api',
      env: 'production',
      date: '2026-03-04T05:06:07.000Z',
      runId: '99',
      previous: 'abc',
    });
    expect(message.split('\n')[0]).toBe('lockstep: deployed api to production');
    expect(parseMarkerMessage(message)).toEqual({ date: '2026-03-04T05:06:07.000Z', runId: '99' });
    expect(parseMarkerMessage('hand-made tag\n')).toEqual({ date: null });
  });

  it('takes the run id from GitHub, GitLab or Azure variables', () => {
    expect(ciRunId({ GITHUB_RUN_ID: '1' })).toBe('1');
    expect(ciRunId({ CI_PIPELINE_ID: '2' })).toBe('2');
    expect(ciRunId({ BUILD_BUILDID: '3' })).toBe('3');
    expect(ciRunId({ BUILD_BUILDID: ' ' })).toBeUndefined();
  });
});

describe('decideMarkerMove', () => {
  const facts = { head: 'h', headIsAncestor: false, currentIsAncestor: false, shallow: false };
  it('creates, moves forward, never backwards', () => {
    expect(decideMarkerMove({ ...facts, current: null })).toEqual({ action: 'create' });
    expect(decideMarkerMove({ ...facts, current: 'h' })).toEqual({ action: 'keep', why: 'already-at-head' });
    expect(decideMarkerMove({ ...facts, current: 'old', currentIsAncestor: true })).toEqual({ action: 'move' });
    expect(decideMarkerMove({ ...facts, current: 'new', headIsAncestor: true })).toEqual({
      action: 'keep',
      why: 'newer-marker',
    });
  });
  it('follows a deploy from diverged history, except in a shallow clone where ancestry is unknown', () => {
    expect(decideMarkerMove({ ...facts, current: 'other' })).toEqual({ action: 'move' });
    expect(decideMarkerMove({ ...facts, current: 'other', shallow: true })).toEqual({
      action: 'keep',
      why: 'ancestry-unknown',
    });
  });
});

describe('formatAge', () => {
  const now = new Date('2026-01-10T12:00:00Z');
  it('prints days and hours, hours and minutes, or unknown', () => {
    expect(formatAge('2026-01-08T10:00:00Z', now)).toBe('2d 2h');
    expect(formatAge('2026-01-10T10:30:00Z', now)).toBe('1h 30m');
    expect(formatAge('2026-01-10T11:59:30Z', now)).toBe('30s');
    expect(formatAge(null, now)).toBe('unknown');
  });
});
