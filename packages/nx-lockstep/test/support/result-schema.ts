import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';

const readSchema = (name: string) => JSON.parse(readFileSync(join(__dirname, '../../schema', name), 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
// The status schema refers to the affected schema's reasons by its $id.
const validate = ajv.compile(readSchema('affected-result.schema.json'));
const validateStatus = ajv.compile(readSchema('status-result.schema.json'));

/** The schema errors of a result, as readable strings (empty when it conforms). */
export function schemaErrors(result: unknown): string[] {
  return validate(result) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

/** The same for `lockstep status --json` (schema/status-result.schema.json). */
export function statusSchemaErrors(result: unknown): string[] {
  return validateStatus(result)
    ? []
    : (validateStatus.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

const validateCoupling = ajv.compile(readSchema('coupling-report.schema.json'));

/** The same for `lockstep report --format json` (schema/coupling-report.schema.json). */
export function couplingSchemaErrors(report: unknown): string[] {
  return validateCoupling(report)
    ? []
    : (validateCoupling.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}

const validateHistory = ajv.compile(readSchema('history-result.schema.json'));

/** The same for `lockstep history --format json` (schema/history-result.schema.json). */
export function historySchemaErrors(result: unknown): string[] {
  return validateHistory(result)
    ? []
    : (validateHistory.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}
