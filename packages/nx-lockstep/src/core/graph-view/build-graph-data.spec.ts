import { describe, expect, it } from 'vitest';
import { decideAffected } from '../affected/decide-affected';
import { BASE_COMMIT, HEAD_COMMIT, inMemoryModel } from '../model/__fixtures__/in-memory-model';
import { buildGraphData, groupOf } from './build-graph-data';

// api uses util at runtime and the contract types only as types; web uses util and a file of
// api (a deployable importing another's code); worker uses nothing; util uses types as types.
const FILES = {
  'apps/api/src/main.ts':
    "import { greet } from '../../../libs/shared/util/src/index';\nimport type { Order } from '../../../libs/orders/types/src/index';\nexport const show = (o: Order) => greet(o.id);\n",
  'apps/api/src/public.ts': 'export const banner = () => "api";\n',
  'apps/api/Dockerfile': 'FROM node:20\n',
  'apps/web/src/main.ts':
    "import { greet } from '../../../libs/shared/util/src/index';\nimport { banner } from '../../api/src/public';\nconsole.log(greet(banner()));\n",
  'apps/worker/src/main.ts': "console.log('worker');\n",
  'libs/shared/util/src/index.ts':
    "import type { Order } from '../../../orders/types/src/index';\nexport const greet = (name: string) => `hello ${name}`;\nexport const idOf = (o: Order) => o.id;\n",
  'libs/orders/types/src/index.ts': 'export interface Order { id: string }\n',
};

const shop = () =>
  inMemoryModel()
    .project('api', 'apps/api', { deployable: true, tags: ['scope:orders'] })
    .project('web', 'apps/web', { deployable: true })
    .project('worker', 'apps/worker', { deployable: true })
    .project('util', 'libs/shared/util')
    .project('types', 'libs/orders/types', { tags: ['scope:orders'] })
    // The project graph Nx reads from these imports (project precision is Nx's closure).
    .dependsOn('api', 'util', 'types')
    .dependsOn('web', 'util', 'api')
    .dependsOn('util', 'types')
    .files(FILES);

describe('buildGraphData (pure, on an in-memory model)', () => {
  it('classifies edges by kind from the import graph', () => {
    const data = buildGraphData(shop().build());
    expect(data.edges).toEqual([
      // types is used directly by one deployable only: a type-only edge, not a contract.
      { source: 'api', target: 'types', kind: 'type-only' },
      // util is used directly by api and web: a contract library.
      { source: 'api', target: 'util', kind: 'contract' },
      { source: 'util', target: 'types', kind: 'type-only' },
      { source: 'web', target: 'api', kind: 'deployable-import' },
      { source: 'web', target: 'util', kind: 'contract' },
    ]);
  });

  it('gives each library its blast radius: runtime reach (symbol) and dependency closure (project)', () => {
    const data = buildGraphData(shop().build());
    const radius = Object.fromEntries(data.nodes.map((node) => [node.id, node.blastRadius]));
    // Only types reach `types`: nothing ships it, yet Nx would redeploy api and web (web through api and util).
    expect(radius.types).toEqual({ symbol: [], project: ['api', 'web'] });
    expect(radius.util).toEqual({ symbol: ['api', 'web'], project: ['api', 'web'] });
    expect(radius.api).toBeUndefined();
  });

  it('groups by a scope/domain tag, else by the folder holding the root', () => {
    const data = buildGraphData(shop().build());
    expect(data.groups.map(({ id, members }) => [id, members])).toEqual([
      ['apps', ['web', 'worker']],
      ['domain:orders', ['api', 'types']],
      ['libs/shared', ['util']],
    ]);
    expect(groupOf('', [])).toEqual({ id: '.', label: '(workspace root)', kind: 'folder' });
    expect(groupOf('libs/a', ['domain:billing'])).toEqual({ id: 'domain:billing', label: 'billing', kind: 'domain' });
  });

  it('marks affected deployables with their first reason and the explain text it is given', () => {
    const model = shop()
      .change({ 'libs/shared/util/src/index.ts': FILES['libs/shared/util/src/index.ts'].replace('hello', 'hi') })
      .build();
    const result = decideAffected(model, { precision: 'symbol', env: 'production' });
    const data = buildGraphData(model, {
      affected: {
        base: BASE_COMMIT,
        result,
        explanations: { api: 'api text', web: 'web text', worker: 'worker text' },
      },
      lockstepGroups: [{ label: 'api+web', members: ['api', 'web'] }],
    });
    const byId = Object.fromEntries(data.nodes.map((node) => [node.id, node]));
    expect(byId.api).toMatchObject({ affected: true, explanation: 'api text' });
    expect(byId.api.reason).toContain('libs/shared/util/src/index.ts');
    expect(byId.worker).toMatchObject({ affected: false, reason: 'no change reaches it', explanation: 'worker text' });
    expect(data.affected).toEqual({ base: BASE_COMMIT, head: HEAD_COMMIT, precision: 'symbol' });
    expect(data.lockstepGroups).toEqual([{ label: 'api+web', members: ['api', 'web'] }]);
  });
});
