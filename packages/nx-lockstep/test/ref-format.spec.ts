/**
 * The executor checks the refs it will write with core/ref-format.ts instead of a git process per
 * ref: its answers must be git's own (`git check-ref-format`), for names breaking each rule of
 * git's manual and for the names markers and leases really get.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { leaseRefName } from '../src/core/lease';
import { markerTagName } from '../src/core/markers';
import { encodeProjectRefName } from '../src/config/names';
import { refFormatProblem } from '../src/core/ref-format';

function gitAccepts(ref: string): boolean {
  const result = spawnSync('git', ['check-ref-format', ref], { encoding: 'utf8' });
  if (result.error) throw result.error;
  return result.status === 0;
}

const PARTS = [
  'a',
  'lockstep',
  'eu-west-1',
  '%40acme%2Fapi',
  '.hidden',
  'x.lock',
  'x.lock.y',
  'lock',
  '.',
  '..',
  'a..b',
  'a.b',
  'end.',
  '',
  'a b',
  'a~1',
  'a^2',
  'a:b',
  'a?',
  'a*',
  'a[0]',
  'a]',
  'a\\b',
  'a@{1}',
  'a@b',
  '@',
  '@{',
  'tab\there',
  'del\x7f',
  'nul\x01',
  'ünï',
  'a{b}',
  'a!b',
  'a#b',
  'a%b',
  'a-',
  '-a',
];

describe('refFormatProblem agrees with git check-ref-format', () => {
  const names = new Set<string>(['@', 'a', 'refs', '/refs/tags/a', 'refs/tags/a/', 'refs//tags', 'refs/tags/a.']);
  for (const part of PARTS) {
    names.add(`refs/tags/${part}`);
    names.add(`refs/tags/${part}/x`);
    names.add(`refs/${part}`);
    names.add(part);
  }
  for (const project of ['api', '@acme/api', 'a.b', 'x.lock', '..', 'ünï', 'a b']) {
    names.add(`refs/tags/${markerTagName('lockstep', 'production', project)}`);
    names.add(leaseRefName('deploy/markers', 'staging', encodeProjectRefName(project)));
  }

  it.each([...names].map((name) => [JSON.stringify(name), name]))('%s', (_label, name) => {
    const problem = refFormatProblem(name);
    expect({ name, accepted: problem === undefined }).toEqual({ name, accepted: gitAccepts(name) });
  });

  it('names the rule a refused ref breaks', () => {
    expect(refFormatProblem('refs/tags/a..b')).toBe('it contains ".."');
    expect(refFormatProblem('refs/tags/x.lock')).toBe('its part "x.lock" ends with ".lock"');
    expect(refFormatProblem('refs//tags')).toBe('it begins or ends with "/", or has "//"');
    expect(refFormatProblem('refs/tags/lockstep/production/api')).toBeUndefined();
  });
});
