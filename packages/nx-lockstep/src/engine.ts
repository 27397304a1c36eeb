/**
 * `nx-lockstep/engine`: the analysis as a library, for scripts, benchmarks and tests that want a
 * result without the CLI or Nx surfaces. The result types are the public, versioned contract
 * (schema/affected-result.schema.json, schema/status-result.schema.json); anything under
 * dist/adapters is internal and may move.
 */
export { analyzeAffected, AnalyzeUsageError, type AnalyzeRequest } from './adapters/analyze';
// The TypeScript compiler through a V8 code cache: a process that analyses once starts faster.
export { enableCompileCache } from './adapters/compile-cache';
export * from './core/result';
export type { DeployableStatus, StatusResult } from './core/status-result';
// The parse cache and the compiler's code cache, which the Nx plugin reaches through their own
// lighter entry (engine-caches.ts).
export { cachedCompilerLoader, ParseCache } from './engine-caches';
// The coupling report (`lockstep report`): schema/coupling-report.schema.json.
export {
  analyzeCoupling,
  type ContractQuestion,
  type CouplingAnalysisRequest,
  type FindContractChanges,
} from './adapters/coupling/analyze-coupling';
export type * from './core/coupling/coupling-report';
export type { ContractChange, ContractConsumer } from './core/coupling/contract-change';
// `lockstep history` as a library: replay first-parent history, then the pure analysis of it.
export { replayHistory, type HistoryRequest } from './adapters/history/replay-history';
export { analyzeHistory } from './core/coupling/history-analysis';
export type * from './core/coupling/history-result';
// Each deployable's verify scope (lockstep verify-targets), for scripts and the cycle-time benchmark.
export { analyzeVerifyScopes, type VerifyScopeRequest } from './adapters/verify/analyze-verify-scope';
export type { VerifyScope, VerifyProject } from './core/verify/verify-scope';
