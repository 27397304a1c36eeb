/**
 * `lockstep report --format sarif`: SARIF 2.1.0 for code scanning. One rule per finding kind
 * (stable ids), one result per finding, located at the importing line, the consumer's use site
 * or the changed export, with the finding's line-free fingerprint as partialFingerprints.
 */
import { ADDITIVE_CHANGE_ADVICE } from '../core/coupling/contract-change';
import type { CouplingReport, FindingRule } from '../core/coupling/coupling-report';
import type { ReportOptions } from './report-options';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

interface SarifRule {
  id: FindingRule;
  name: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown?: string };
  defaultConfiguration: { level: 'error' | 'warning' | 'note' };
}

export const SARIF_RULES: readonly SarifRule[] = [
  {
    id: 'deployable-import',
    name: 'DeployableImport',
    shortDescription: { text: 'One deployable imports another deployable’s code' },
    fullDescription: {
      text: 'A deployable’s runtime code imports a file that belongs to another deployable: a change to that file redeploys both, so they deploy in lock-step.',
    },
    help: {
      text: 'Move the shared code into a library both import, or, when it is the other service’s behaviour, call that service through its API and share only the contract types in a contract library.',
    },
    defaultConfiguration: { level: 'error' },
  },
  {
    id: 'breaking-contract',
    name: 'BreakingContractChange',
    shortDescription: { text: 'A breaking change to an export that crosses a deploy boundary' },
    fullDescription: {
      text: 'An export of a contract library (used by two or more deployables, or tagged type:contract) changed so that code written against the old one no longer compiles or no longer gets what it relied on.',
    },
    help: { text: ADDITIVE_CHANGE_ADVICE },
    defaultConfiguration: { level: 'error' },
  },
  {
    id: 'contract-change',
    name: 'ContractChange',
    shortDescription: { text: 'A contract changed in a way old consumers accept, or a contract file changed' },
    fullDescription: {
      text: 'An additive or compatible change to an export of a contract library, or a change to a non-TypeScript contract file (OpenAPI, AsyncAPI, JSON Schema, .proto, GraphQL) that lockstep lists without classifying.',
    },
    help: {
      text: 'Additive changes are safe. Review a changed contract file for breaking changes before its consumers deploy.',
    },
    defaultConfiguration: { level: 'note' },
  },
  {
    id: 'blast-radius',
    name: 'BlastRadius',
    shortDescription: { text: 'A library whose change redeploys more deployables than allowed' },
    fullDescription: {
      text: 'A change to this library redeploys more deployables (at symbol precision, what lockstep deploys) than the --fail-on blast-radius>N threshold.',
    },
    help: {
      text: 'Split the library (or its barrel) so each deployable depends only on what it uses; the report lists, per export of a barrel, who uses it.',
    },
    defaultConfiguration: { level: 'warning' },
  },
  {
    id: 'cycle',
    name: 'ProjectCycle',
    shortDescription: { text: 'Projects that depend on each other in a circle' },
    fullDescription: {
      text: 'Projects of the Nx project graph that depend on each other in a cycle: each is a dependency of every other, so a change to one redeploys the dependents of all.',
    },
    help: { text: 'Break the cycle: move what both need into a third project, or invert one dependency.' },
    defaultConfiguration: { level: 'warning' },
  },
];

export function couplingSarif(report: CouplingReport, options: ReportOptions = {}): string {
  const ruleIndex = new Map(SARIF_RULES.map((rule, index) => [rule.id, index]));
  const log = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'nx-lockstep',
            ...(options.toolVersion ? { version: options.toolVersion } : {}),
            informationUri: 'https://www.npmjs.com/package/nx-lockstep',
            rules: SARIF_RULES,
          },
        },
        properties: { head: report.head, ...(report.base ? { base: report.base } : {}) },
        results: report.findings.map((finding) => ({
          ruleId: finding.rule,
          ruleIndex: ruleIndex.get(finding.rule)!,
          level: finding.level,
          message: { text: finding.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(finding.file), uriBaseId: '%SRCROOT%' },
                region: { startLine: Math.max(1, finding.line) },
              },
            },
          ],
          partialFingerprints: { 'lockstepFinding/v1': finding.fingerprint },
        })),
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The workspace root (the repository root).' } } },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
