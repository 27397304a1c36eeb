import { describe, expect, it } from 'vitest';
import { BASE_COMMIT, HEAD_COMMIT, inMemoryModel } from '../model/__fixtures__/in-memory-model';
import type { AffectedRequest } from '../model/workspace-model';
import { decideAffected } from './decide-affected';

const FILES = {
  'apps/api/src/main.ts': "import { greet } from '../../../libs/util/src/index';\nconsole.log(greet('api'));\n",
  'apps/api/Dockerfile': 'FROM node:20\n',
  'apps/web/src/main.ts': "console.log('web');\n",
  'libs/util/src/index.ts':
    'export const greet = (name: string) => `hello ${name}`;\nexport const shout = (text: string) => text.toUpperCase();\n',
};

/** api imports util; web imports nothing. */
const shop = () =>
  inMemoryModel()
    .project('api', 'apps/api', { deployable: true })
    .project('web', 'apps/web', { deployable: true })
    .project('util', 'libs/util')
    .dependsOn('api', 'util')
    .files(FILES);

const file: AffectedRequest = { precision: 'file', env: 'staging' };
const decisionsOf = (result: ReturnType<typeof decideAffected>) =>
  Object.fromEntries(result.deployables.map((decision) => [decision.project, decision]));

describe('decideAffected (pure, on an in-memory model)', () => {
  it('a deployable never deployed deploys, naming the environment', () => {
    const result = decideAffected(shop().deployedAt('web', null).build(), file);
    expect(result).toEqual({
      version: 1,
      head: HEAD_COMMIT,
      precision: 'file',
      env: 'staging',
      deployables: [
        { project: 'api', base: BASE_COMMIT, affected: false, reasons: [] },
        { project: 'web', base: null, affected: true, reasons: [{ kind: 'never-deployed', env: 'staging' }] },
      ],
    });
  });

  it('a base the workspace lacks deploys, with the hint the model gives', () => {
    const model = shop()
      .deployedAt('api', { unavailable: 'abc123', hint: 'fetch it' })
      .change({ 'apps/web/src/main.ts': "console.log('web 2');\n" })
      .build();
    const { api, web } = decisionsOf(decideAffected(model, file));
    expect(api).toEqual({
      project: 'api',
      base: 'abc123',
      affected: true,
      reasons: [{ kind: 'base-unavailable', base: 'abc123', hint: 'fetch it' }],
    });
    expect(web.reasons).toEqual([
      { kind: 'own-file-changed', file: 'apps/web/src/main.ts', via: ['apps/web/src/main.ts'] },
    ]);
  });

  it('an own file changed: a shipped source with its chain, a non-source file of its own as is', () => {
    const model = shop()
      .change({ 'apps/api/src/main.ts': "console.log('api');\n", 'apps/api/Dockerfile': 'FROM node:22\n' })
      .build();
    const { api, web } = decisionsOf(decideAffected(model, file));
    expect(api.reasons).toEqual([
      { kind: 'own-file-changed', file: 'apps/api/src/main.ts', via: ['apps/api/src/main.ts'] },
      { kind: 'own-file-changed', file: 'apps/api/Dockerfile' },
    ]);
    expect(web).toEqual({ project: 'web', base: BASE_COMMIT, affected: false, reasons: [] });
  });

  it('an imported file changed affects the deployable that reaches it, not the one that does not', () => {
    const model = shop().change({ 'libs/util/src/index.ts': 'export const greet = (name: string) => name;\n' }).build();
    const { api, web } = decisionsOf(decideAffected(model, file));
    expect(api.reasons).toEqual([
      {
        kind: 'imported-file-changed',
        file: 'libs/util/src/index.ts',
        via: ['apps/api/src/main.ts', 'libs/util/src/index.ts'],
      },
    ]);
    expect(web.affected).toBe(false);
  });

  it('a changed file no deployable reaches affects none', () => {
    const model = shop().change({ 'libs/util/src/unused.ts': 'export const unused = 1;\n' }).build();
    expect(decideAffected(model, file).deployables.map((decision) => decision.affected)).toEqual([false, false]);
  });

  it('symbol precision: a changed declaration the deployable does not use is not shipped, and says so', () => {
    const model = shop()
      .change({
        'libs/util/src/index.ts':
          "export const greet = (name: string) => `hello ${name}`;\nexport const shout = (text: string) => text + '!';\n",
      })
      .build();
    const { api } = decisionsOf(decideAffected(model, { precision: 'symbol', env: 'staging' }));
    expect(api.affected).toBe(false);
    expect(api.changesNotShipped).toEqual([
      expect.objectContaining({ file: 'libs/util/src/index.ts', declarations: ['shout'] }),
    ]);
    // The same change reaches api at file precision.
    expect(decisionsOf(decideAffected(model, file)).api.affected).toBe(true);
  });

  it("project precision follows Nx's answer and names the changed dependency with the project chain", () => {
    const model = shop()
      .change({ 'libs/util/src/unused.ts': 'export const unused = 1;\n' })
      .affectedByNx('api', 'util')
      .build();
    const { api, web } = decisionsOf(decideAffected(model, { precision: 'project', env: 'staging' }));
    expect(api).toEqual({
      project: 'api',
      base: BASE_COMMIT,
      affected: true,
      reasons: [
        { kind: 'dependency-project-changed', project: 'util', file: 'libs/util/src/unused.ts', via: ['api', 'util'] },
      ],
    });
    expect(web).toEqual({ project: 'web', base: BASE_COMMIT, affected: false, reasons: [] });
  });

  it('a global input changed affects every deployable compared from that base', () => {
    const model = shop().globalInputs('.nvmrc').files({ '.nvmrc': '20\n' }).change({ '.nvmrc': '22\n' }).build();
    for (const decision of decideAffected(model, file).deployables)
      expect(decision.reasons).toEqual([{ kind: 'global-input-changed', file: '.nvmrc' }]);
  });
});
