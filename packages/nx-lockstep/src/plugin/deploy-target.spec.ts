import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { helmReleaseName, imageName, inferDeployTarget, quote } from './deploy-target';
import { normalizeLockstepOptions } from '../config/options';

const options = normalizeLockstepOptions({});

describe('deploy target commands', () => {
  it('quotes a root the shell would interpret, so a folder name cannot inject a command', () => {
    const root = `apps/we b$(echo pwned)'x`;
    const target = inferDeployTarget({ projectName: 'web', root, marker: { file: 'fly.toml', kind: 'fly' } }, options);
    const command = String(target.options.command);
    // Run the real shell with the command's argument list printed instead of calling fly.
    const args = execFileSync('sh', ['-c', command.replace(/^fly /, `printf '%s\\n' `)], { encoding: 'utf-8' });
    expect(args.split('\n')).toEqual(['deploy', '--config', `${root}/fly.toml`, '']);
  });

  it('leaves plain paths unquoted', () => {
    expect(quote('apps/api/Dockerfile')).toBe('apps/api/Dockerfile');
    expect(quote('a b')).toBe(`'a b'`);
  });

  it('makes image and release names valid whatever the project name', () => {
    expect(imageName('@Acme/Web_App', { registry: 'ghcr.io/acme/', imageName: '{projectName}', push: true })).toBe(
      'ghcr.io/acme/acme/web_app',
    );
    expect(imageName('api', { registry: '', imageName: 'shop-{projectName}', push: true })).toBe('shop-api');
    expect(helmReleaseName('@Acme/Web_App')).toBe('acme-web-app');
    expect(helmReleaseName('x'.repeat(60) + '-y')).toHaveLength(53);
  });

  it('describes where each inferred target comes from', () => {
    const target = inferDeployTarget(
      { projectName: 'api', root: 'apps/api', marker: { file: 'cdk.json', kind: 'cdk' } },
      options,
    );
    expect(target.metadata).toEqual({
      technologies: ['aws-cdk'],
      description: 'Deploy api: cdk deploy --all (inferred from apps/api/cdk.json)',
    });
  });
});
