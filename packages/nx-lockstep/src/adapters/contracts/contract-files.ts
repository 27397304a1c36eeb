import type { ContractChange } from '../../core/coupling/contract-change';

/** Files that describe a contract in another language: listed when they change, not classified. */
const CONTRACT_FILE =
  /\.(proto|graphql|gql|avsc|avdl|thrift)$|(^|\/)(openapi|swagger|asyncapi)[^/]*\.(json|ya?ml)$|\.schema\.json$/i;

export function isContractFile(path: string): boolean {
  return CONTRACT_FILE.test(path);
}

/** One `contract-file-changed` per changed non-TypeScript contract file of a library. */
export function contractFileChanges(project: string, changedFiles: readonly string[]): ContractChange[] {
  return changedFiles.filter(isContractFile).map((file) => ({
    project,
    file,
    line: 1,
    exportName: '',
    kind: 'contract-file-changed',
    breaking: false,
    detail: `Contract file ${file} changed: nx-lockstep does not classify it; check that every consumer still understands it (add fields before removing old ones).`,
  }));
}
