import { describe, expect, it } from 'vitest';
import { findGlobSyntaxError } from './glob-syntax';
import { projectNameProblem, targetNameProblem } from './option-names';
import { DEFAULT_OPTIONS, LockstepOptionsError, normalizeLockstepOptions, readLockstepOptions } from './options';

describe('normalizeLockstepOptions', () => {
  it('fills every agreed key with its default when no options are given', () => {
    const options = normalizeLockstepOptions(undefined);
    expect(options).toEqual({
      markers: [],
      excludeMarkers: [],
      include: [],
      exclude: [],
      deployTargetName: 'deploy',
      affectedDeployTargetName: 'affected-deploy',
      docker: { registry: '', imageName: '{projectName}', push: true },
      entryPoints: {},
      precision: 'symbol',
      globalInputs: ['tsconfig.base.json', 'tsconfig.json'],
      generated: [],
      markerPrefix: 'lockstep',
      remote: 'origin',
      verifyTargets: ['lint', 'test', 'typecheck', 'build'],
      pipelines: {
        provider: 'github',
        environments: ['production'],
        defaultBranch: 'main',
        nodeVersion: undefined, // the workspace's own (core/pipelines/node-version.ts)
        installCommand: 'npm ci',
        runnerImage: undefined,
        setupSteps: [],
      },
    });
  });

  it('keeps given values and merges partial nested objects over their defaults', () => {
    const options = normalizeLockstepOptions({
      markers: ['deploy/Dockerfile'],
      deployTargetName: 'ship',
      docker: { registry: 'ghcr.io/acme' },
      entryPoints: { api: ['./apps/api/src/main.ts'] },
      precision: 'file',
      pipelines: { provider: 'gitlab', environments: ['staging', 'production'], setupSteps: [{ uses: 'x' }] },
    });
    expect(options.markers).toEqual(['deploy/Dockerfile']);
    expect(options.deployTargetName).toBe('ship');
    expect(options.docker).toEqual({ registry: 'ghcr.io/acme', imageName: '{projectName}', push: true });
    expect(options.entryPoints).toEqual({ api: ['apps/api/src/main.ts'] });
    expect(options.precision).toBe('file');
    expect(options.pipelines.provider).toBe('gitlab');
    expect(options.pipelines.environments).toEqual(['staging', 'production']);
    expect(options.pipelines.nodeVersion).toBeUndefined();
    expect(normalizeLockstepOptions({ pipelines: { nodeVersion: '22.x' } }).pipelines.nodeVersion).toBe('22.x');
    expect(options.pipelines.setupSteps).toEqual([{ uses: 'x' }]);
    expect(normalizeLockstepOptions({ verifyTargets: ['test', 'e2e'] }).verifyTargets).toEqual(['test', 'e2e']);
  });

  it('reads generated code declarations, normalised', () => {
    expect(
      normalizeLockstepOptions({
        generated: [{ path: './apps/web/src/gql/', inputs: ['apps/web/codegen.ts', 'apps/web/src/**/*.graphql'] }],
      }).generated,
    ).toEqual([{ path: 'apps/web/src/gql', inputs: ['apps/web/codegen.ts', 'apps/web/src/**/*.graphql'] }]);
  });

  it('never hands out the shared defaults to be mutated', () => {
    const a = normalizeLockstepOptions({});
    a.globalInputs.push('x');
    a.pipelines.environments.push('y');
    expect(normalizeLockstepOptions({}).globalInputs).toEqual(DEFAULT_OPTIONS.globalInputs);
    expect(normalizeLockstepOptions(undefined).pipelines.environments).toEqual(['production']);
  });

  const invalid: Array<[string, unknown, RegExp[]]> = [
    [
      'unknown key',
      { deployTarget: 'ship' },
      [/unknown option "deployTarget"/, /"ship"/, /deployTargetName/, /Example:/],
    ],
    [
      'unknown nested key',
      { docker: { repo: 'x' } },
      [/unknown option "docker.repo"/, /"x"/, /registry, imageName, push/],
    ],
    [
      'markers not an array',
      { markers: 'Dockerfile' },
      [/option "markers"/, /an array of glob strings/, /got "Dockerfile"/, /"markers": \["deploy\/Dockerfile"/],
    ],
    [
      'unbalanced brace',
      { markers: ['serverless.{yml,yaml'] },
      [/option "markers\[0\]"/, /"\{" is never closed/, /got "serverless.\{yml,yaml"/, /Example:/],
    ],
    [
      'unbalanced bracket',
      { exclude: ['app-[ab'] },
      [/option "exclude\[0\]"/, /"\[" is never closed/, /got "app-\[ab"/],
    ],
    ['stray closing brace', { include: ['api}'] }, [/option "include\[0\]"/, /"\}" at position 4/]],
    ['non-string glob', { excludeMarkers: [42] }, [/option "excludeMarkers\[0\]"/, /a glob string/, /got 42/]],
    [
      'bad precision',
      { precision: 'line' },
      [/option "precision"/, /"project", "file", "symbol"/, /got "line"/, /"precision": "file"/],
    ],
    [
      'bad target name',
      { deployTargetName: 'de ploy' },
      [/option "deployTargetName"/, /got "de ploy"/, /"deployTargetName": "ship"/],
    ],
    [
      'verifyTargets not an array',
      { verifyTargets: 'lint' },
      [
        /option "verifyTargets"/,
        /a non-empty array of target names/,
        /got "lint"/,
        /"verifyTargets": \["lint", "test", "build"\]/,
      ],
    ],
    ['verifyTargets empty', { verifyTargets: [] }, [/option "verifyTargets"/, /non-empty/, /got \[\]/]],
    [
      'verifyTargets with a bad name',
      { verifyTargets: ['lint', 'test:ci'] },
      [/option "verifyTargets\[1\]"/, /a target name of/, /got "test:ci"/],
    ],
    ['verifyTargets twice', { verifyTargets: ['test', 'test'] }, [/option "verifyTargets"/, /without duplicates/]],
    ['push not boolean', { docker: { push: 'yes' } }, [/option "docker.push"/, /true or false/, /got "yes"/]],
    [
      'unknown image placeholder',
      { docker: { imageName: '{project}' } },
      [/option "docker.imageName"/, /\{projectName\}/, /got "\{project\}"/],
    ],
    [
      'bad registry',
      { docker: { registry: 'https://ghcr.io' } },
      [/option "docker.registry"/, /got "https:\/\/ghcr.io"/, /"registry": "ghcr.io\/acme"/],
    ],
    [
      'entry point escaping the workspace',
      { entryPoints: { api: ['../x.ts'] } },
      [/option "entryPoints.api"/, /got "..\/x.ts"/],
    ],
    [
      'entry points keyed by something that is no project name',
      { entryPoints: { ' api': ['apps/api/src/main.ts'] } },
      [/option "entryPoints"/, /keys that are project names/, /got " api"/],
    ],
    [
      'entry points not a list',
      { entryPoints: { api: 'apps/api/src/main.ts' } },
      [/option "entryPoints.api"/, /non-empty array/],
    ],
    [
      'bad provider',
      { pipelines: { provider: 'jenkins' } },
      [/option "pipelines.provider"/, /"github", "gitlab", "azure"/, /got "jenkins"/],
    ],
    [
      'unsafe environment name',
      { pipelines: { environments: ['prod; rm -rf /'] } },
      [/option "pipelines.environments"/, /got "prod; rm -rf \/"/],
    ],
    [
      'generated not a list',
      { generated: { path: 'libs/db/src/generated' } },
      [/option "generated"/, /an array of/, /Example: "generated": \[\{ "path"/],
    ],
    [
      'generated entry without inputs',
      { generated: [{ path: 'libs/db/src/generated/**' }] },
      [
        /option "generated\[0\].inputs"/,
        /non-empty array/,
        /got undefined/,
        /"inputs": \["libs\/db\/prisma\/schema.prisma"\]/,
      ],
    ],
    [
      'generated path escaping the workspace',
      { generated: [{ path: '../gen', inputs: ['codegen.ts'] }] },
      [/option "generated\[0\].path"/, /no "\.\."/, /got "..\/gen"/],
    ],
    [
      'generated entry with an unknown key',
      { generated: [{ path: 'gen', inputs: ['a'], output: 'x' }] },
      [/option "generated\[0\].output"/, /only the keys "path" and "inputs"/],
    ],
    ['marker prefix not a ref', { markerPrefix: 'a..b' }, [/option "markerPrefix"/, /got "a..b"/]],
    ['options not an object', ['deploy'], [/option "options"/, /an object/, /got \["deploy"\]/]],
  ];
  it.each(invalid)('rejects %s with a message naming option, value and example', (_label, raw, patterns) => {
    let error: unknown;
    try {
      normalizeLockstepOptions(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LockstepOptionsError);
    for (const pattern of patterns) expect((error as Error).message).toMatch(pattern);
  });
});

describe('readLockstepOptions', () => {
  it('finds the plugin entry in nx.json', () => {
    const nxJson = {
      plugins: ['@nx/js', { plugin: 'nx-lockstep', options: { remote: 'upstream' } }],
      targetDefaults: {},
    };
    expect(readLockstepOptions(nxJson).remote).toBe('upstream');
  });

  it('gives defaults for nx.json without the plugin or without plugins', () => {
    expect(readLockstepOptions({ plugins: ['@nx/js'] })).toEqual(normalizeLockstepOptions(undefined));
    expect(readLockstepOptions({ namedInputs: {}, analytics: false })).toEqual(normalizeLockstepOptions(undefined));
    expect(readLockstepOptions({ plugins: ['nx-lockstep'] })).toEqual(normalizeLockstepOptions(undefined));
  });

  it('accepts raw options and still rejects a typo in them', () => {
    expect(readLockstepOptions({ precision: 'project' }).precision).toBe('project');
    expect(() => readLockstepOptions({ precison: 'project' })).toThrow(/unknown option "precison"/);
  });

  it('validates the options found in nx.json', () => {
    expect(() => readLockstepOptions({ plugins: [{ plugin: 'nx-lockstep', options: { include: 'api' } }] })).toThrow(
      /option "include".*got "api"/,
    );
  });
});

describe('findGlobSyntaxError', () => {
  it.each([
    'Dockerfile',
    '*.Dockerfile',
    'serverless.{yml,yaml,ts}',
    'deploy/**/Dockerfile',
    'app-[ab]',
    '[!]]x',
    '\\{literal',
    '@(a|b)',
  ])('accepts %s', (glob) => expect(findGlobSyntaxError(glob)).toBeUndefined());
  it.each([
    ['{a,b', 'never closed'],
    ['a]', 'no matching opening'],
    ['[ab', 'never closed'],
    ['@(a|b', 'never closed'],
    ['', 'empty'],
    ['/abs/Dockerfile', 'absolute'],
  ])('rejects %s', (glob, problem) => expect(findGlobSyntaxError(glob)).toContain(problem));
});

describe('option name validators', () => {
  it('target names: plain, as they reach `nx run` lines of generated CI files', () => {
    for (const ok of ['deploy', 'affected-deploy', 'ship.v2']) expect(targetNameProblem(ok)).toBeNull();
    // ':' too: the one target rule (config/names.ts) that the pipelines generator applies.
    for (const bad of ['', 'de ploy', '-deploy', 'deploy$(x)', 'a\nb', 'deploy:prod'])
      expect(targetNameProblem(bad), bad).toMatch(/a target name of/);
  });

  it('project names: anything Nx allows except empty, padded or with control characters', () => {
    for (const ok of ['api', '@acme/api', 'web-2', 'a b']) expect(projectNameProblem(ok)).toBeNull();
    for (const bad of ['', ' api', 'api ', 'a\nb', 'a\u0000']) expect(projectNameProblem(bad), bad).not.toBeNull();
  });
});
