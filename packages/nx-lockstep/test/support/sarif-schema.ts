/**
 * SARIF 2.1.0's JSON schema (draft-04), as Microsoft's SARIF SDK ships it in
 * @microsoft/jest-sarif (sarif-2.1.0-rtm.5.json, the OASIS 2.1.0 schema), read from
 * node_modules: nothing fetched, nothing copied into this repository.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

const schemaPath = join(
  dirname(require.resolve('@microsoft/jest-sarif/package.json')),
  'lib/schemas/sarif-2.1.0-rtm.5.json',
);
// unicodeRegExp off: the schema's language-tag pattern is not a valid unicode regular expression.
const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));

/** The schema errors of a SARIF log, as readable strings (empty when it conforms). */
export function sarifSchemaErrors(log: unknown): string[] {
  return validate(log) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}
