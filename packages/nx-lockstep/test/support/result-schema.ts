import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';

const schema = JSON.parse(readFileSync(join(__dirname, '../../schema/affected-result.schema.json'), 'utf8'));
const validate = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

/** The schema errors of a result, as readable strings (empty when it conforms). */
export function schemaErrors(result: unknown): string[] {
  return validate(result) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}
