import { inMemoryModel } from '../../model/__fixtures__/in-memory-model';

/**
 * api, web, worker (deployables); util (a barrel: greet, shout, slug), contracts (tagged
 * type:contract, holds an OpenAPI file), a ↔ b (a cycle). web imports api's file.
 */
export const COUPLING_FILES = {
  'apps/api/src/main.ts':
    "import { greet } from '../../../libs/util/src/index';\nimport type { Order } from '../../../libs/contracts/src/index';\nexport const handle = (order: Order) => greet(order.id);\n",
  'apps/api/src/prices.ts': 'export const price = (cents: number) => cents / 100;\n',
  'apps/web/src/main.ts':
    "import { greet, shout } from '../../../libs/util/src/index';\nimport { price } from '../../api/src/prices';\nconsole.log(shout(greet('web')), price(5));\n",
  'apps/worker/src/main.ts':
    "import { newOrder } from '../../../libs/contracts/src/index';\nimport { run } from '../../../libs/a/src/index';\nrun(newOrder());\n",
  'libs/util/src/index.ts': "export { greet } from './greet';\nexport * from './text';\n",
  'libs/util/src/greet.ts': 'export const greet = (name: string) => `hello ${name}`;\n',
  'libs/util/src/text.ts':
    'export const shout = (text: string) => text.toUpperCase();\nexport const slug = (text: string) => text.replace(/ /g, "-");\nexport interface Text { value: string }\n',
  'libs/contracts/src/index.ts':
    "export interface Order { id: string }\nexport const newOrder = (): Order => ({ id: '1' });\n",
  'libs/contracts/openapi.yaml': 'openapi: 3.0.0\ninfo:\n  title: orders\n  version: 1.0.0\npaths: {}\n',
  'libs/a/src/index.ts':
    "import { helper } from '../../b/src/index';\nexport const run = (value: unknown) => helper(value);\n",
  'libs/b/src/index.ts':
    "import type { run } from '../../a/src/index';\nexport const helper = (value: unknown) => value;\nexport type Run = typeof run;\n",
};

export const couplingShop = () =>
  inMemoryModel()
    .project('api', 'apps/api', { deployable: true })
    .project('web', 'apps/web', { deployable: true })
    .project('worker', 'apps/worker', { deployable: true })
    .project('util', 'libs/util')
    .project('contracts', 'libs/contracts', { tags: ['type:contract'] })
    .project('a', 'libs/a')
    .project('b', 'libs/b')
    .dependsOn('api', 'util', 'contracts')
    .dependsOn('web', 'util', 'api')
    .dependsOn('worker', 'contracts', 'a')
    .dependsOn('a', 'b')
    .dependsOn('b', 'a')
    .files(COUPLING_FILES);
