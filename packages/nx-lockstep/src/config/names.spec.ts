import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { normalizeLockstepOptions } from './options';
import { assertEnvironmentName, assertTargetName } from '../core/pipelines/pipeline-names';
import { validateEnvName } from '../core/markers';
import {
  decodeProjectRefName,
  encodeProjectRefName,
  validateEnvironmentName,
  validateProjectRefName,
  validateTargetName,
} from './names';

const checkRefFormat = (ref: string) => {
  try {
    execFileSync('git', ['check-ref-format', ref], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

// Names git refuses in a tag, names that collide as file and folder, and plain ones.
const PROJECTS = [
  'api',
  'orders-api',
  '@acme',
  '@acme/api',
  'has space',
  'inject ${{ github.token }}',
  'line\nbreak',
  'a..b',
  '.hidden',
  'x.lock',
  'end.',
  'a@{1}',
  'per%cent',
  '%41',
  'ünï-cødé',
  'emoji-🚀',
  'back\\slash',
  'tilde~caret^colon:?*[',
];

describe('project names in refs: encoded, reversible, collision-free', () => {
  it('every project name gives a ref git accepts, and decodes back to itself', () => {
    for (const project of PROJECTS) {
      const encoded = encodeProjectRefName(project);
      expect(checkRefFormat(`refs/tags/lockstep/production/${encoded}`), project).toBe(true);
      expect(decodeProjectRefName(encoded), project).toBe(project);
      expect(encoded).not.toContain('/');
    }
  });

  it('distinct names never share a ref name; plain names keep the name earlier versions used', () => {
    const encoded = PROJECTS.map(encodeProjectRefName);
    expect(new Set(encoded).size).toBe(PROJECTS.length);
    expect(encodeProjectRefName('orders-api')).toBe('orders-api');
    expect(encodeProjectRefName('@acme')).toBe('%40acme');
    expect(encodeProjectRefName('@acme/api')).toBe('%40acme%2Fapi');
    expect(encodeProjectRefName('%41')).toBe('%2541');
  });

  it('a hand-made or old-style tag name is not an encoding', () => {
    for (const name of ['@acme/api', 'my.app', '%41', '%zz', '']) expect(decodeProjectRefName(name), name).toBeNull();
  });

  it('refuses an empty or overlong project name before any deploy, naming the fix', () => {
    expect(() => validateProjectRefName('')).toThrow(/non-empty Nx project name/);
    expect(() => validateProjectRefName('é'.repeat(40))).toThrow(/too long for a deploy marker.*shorter name/);
    expect(validateProjectRefName('@acme/api')).toBe('%40acme%2Fapi');
  });
});

describe('one environment-name rule for the CLI, options, executor and pipelines', () => {
  const surfaces: Record<string, (env: string) => unknown> = {
    'names.ts': (env) => validateEnvironmentName(env),
    'CLI and executor (--env)': (env) => validateEnvName(env),
    'plugin options (pipelines.environments)': (env) =>
      normalizeLockstepOptions({ pipelines: { environments: [env] } }),
    'pipelines generator': (env) => assertEnvironmentName(env),
  };

  it('each surface accepts and refuses the same names (Staging, 1st, deploy:x used to differ)', () => {
    for (const [surface, check] of Object.entries(surfaces)) {
      for (const ok of ['production', 'Staging', 'qa_2', 'eu-west-1'])
        expect(() => check(ok), `${surface}: ${ok}`).not.toThrow();
      for (const bad of ['1st', 'deploy:x', 'eu.prod', 'prod/eu', 'has space', '', '-x', 'x'.repeat(65)]) {
        expect(() => check(bad), `${surface}: ${bad}`).toThrow(/environment name|--environments/);
      }
    }
  });
});

describe('one target-name rule for options and pipelines', () => {
  it('refuses ":" (nx run p:deploy:x reads x as a configuration) in options and pipelines alike', () => {
    expect(() => validateTargetName('deploy:x', 'deployTargetName', 'ship')).toThrow(
      /Invalid deployTargetName "deploy:x".*no ':'/,
    );
    expect(() => normalizeLockstepOptions({ affectedDeployTargetName: 'deploy:x' })).toThrow(
      /affectedDeployTargetName/,
    );
    expect(() => assertTargetName('deploy:x')).toThrow(/affectedDeployTargetName/);
    expect(normalizeLockstepOptions({ affectedDeployTargetName: 'deploy.if-affected' }).affectedDeployTargetName).toBe(
      'deploy.if-affected',
    );
  });
});
