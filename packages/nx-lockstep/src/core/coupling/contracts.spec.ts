import { describe, expect, it } from 'vitest';
import { BASE_COMMIT } from '../model/__fixtures__/in-memory-model';
import { couplingShop } from './__fixtures__/coupling-shop';
import { buildCouplingReport } from './build-coupling-report';
import { contractFileKind } from './contracts';

describe('contract files', () => {
  it('knows a contract by its extension or its content, not a config file that names a schema', () => {
    const kind = (path: string, text?: string) => contractFileKind(path, () => text);
    expect(kind('libs/api/orders.proto')).toBe('Protocol Buffers');
    expect(kind('libs/api/schema.graphql')).toBe('GraphQL schema');
    expect(kind('libs/api/openapi.json', '{ "openapi": "3.1.0", "paths": {} }')).toBe('OpenAPI');
    expect(kind('libs/api/swagger.yml', 'swagger: "2.0"\n')).toBe('OpenAPI');
    expect(kind('libs/api/events.yaml', 'asyncapi: 2.6.0\n')).toBe('AsyncAPI');
    expect(kind('libs/api/order.schema.json', '{ "$schema": "https://json-schema.org/draft/2020-12/schema" }')).toBe(
      'JSON Schema',
    );
    // Config files point at a schema; they are not one.
    expect(kind('libs/api/project.json', '{ "$schema": "../../node_modules/nx/schemas/project-schema.json" }')).toBe(
      undefined,
    );
    expect(kind('libs/api/nested.yaml', 'info:\n  openapi: 3.0.0\n')).toBe(undefined);
    expect(kind('libs/api/broken.json', '{ "openapi": ')).toBe(undefined);
    expect(kind('libs/api/data.yaml', 'items: []\n')).toBe(undefined);
    expect(kind('libs/api/src/index.ts', 'export {}')).toBe(undefined);
  });

  it('a deleted .proto and an added JSON Schema in a library, a changed OpenAPI file in a deployable left out', () => {
    const model = couplingShop()
      .files({
        'libs/contracts/orders.proto': 'syntax = "proto3";\n',
        'apps/api/openapi.yaml': 'openapi: 3.0.0\n',
      })
      .change({
        'libs/contracts/orders.proto': null,
        'libs/contracts/order.schema.json': '{ "$schema": "http://json-schema.org/draft-07/schema#" }\n',
        'apps/api/openapi.yaml': 'openapi: 3.1.0\n',
      })
      .build();
    const changes = buildCouplingReport(model, { base: BASE_COMMIT }).contracts.contractChanges;
    expect(changes.map((change) => [change.file, change.detail, change.consumers.map((c) => c.deployable)])).toEqual([
      [
        'libs/contracts/order.schema.json',
        'JSON Schema added: not classified; review it for breaking changes before its consumers deploy',
        ['api', 'web', 'worker'],
      ],
      [
        'libs/contracts/orders.proto',
        'Protocol Buffers deleted: not classified; review it for breaking changes before its consumers deploy',
        ['api', 'web', 'worker'],
      ],
    ]);
  });
});
