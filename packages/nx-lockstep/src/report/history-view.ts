/**
 * What the text and Markdown history reports say alike: the sentences for causes, the gate and
 * the thresholds, and the trend as a sparkline.
 */
import type { CouplingOptions, GroupCause, HistoryResult } from '../core/coupling/history-result';

const SPARKS = '▁▂▃▄▅▆▇█';

/** One character per value, scaled from the smallest to the largest (all equal: the middle). */
export function sparkline(values: readonly number[]): string {
  if (values.length === 0) return '';
  const low = Math.min(...values);
  const high = Math.max(...values);
  return values
    .map((value) =>
      high === low ? SPARKS[3] : SPARKS[Math.round(((value - low) / (high - low)) * (SPARKS.length - 1))],
    )
    .join('');
}

export function thresholds(options: CouplingOptions): string {
  return (
    `at least ${options.minDeploys} deploys each, ${options.minShared} together, degree ≥ ${Math.round(options.minDegree * 100)} %; ` +
    `commits deploying more than ${options.maxDeployables} left out`
  );
}

/** A cause in one sentence; `code` wraps names (backticks in Markdown). */
export function describeCause(cause: GroupCause, code: (text: string) => string = (text) => text): string {
  const times = `${cause.commits} commit${cause.commits === 1 ? '' : 's'}`;
  switch (cause.kind) {
    case 'shared-code': {
      const files = cause.files.slice(0, 3).map((file) => {
        // `export:x` beside `x` says the same twice.
        const symbols = file.symbols.filter((id) => !(id.startsWith('export:') && file.symbols.includes(id.slice(7))));
        const shown = symbols.slice(0, 5).map(code).join(', ') + (symbols.length > 5 ? ', …' : '');
        return `${code(file.file)}${symbols.length ? ` (${shown})` : ''}`;
      });
      const more = cause.files.length > 3 ? ` and ${cause.files.length - 3} more files` : '';
      return `shared code of ${code(cause.project)} deployed ${cause.deployables.join(', ')} together in ${times}: ${files.join(', ')}${more}`;
    }
    case 'scattered': {
      const example = cause.examples[0];
      return (
        `functionality scattered across services: ${times} changed the own code of ${cause.deployables.join(', ')} at once` +
        (example ? ` (latest: ${example.sha.slice(0, 7)} ${JSON.stringify(example.subject)})` : '')
      );
    }
    case 'external-package':
      return `package ${code(cause.package)} changed its locked version for ${cause.deployables.join(', ')} in ${times}`;
    case 'global-input':
      return `global input ${code(cause.file)} changed in ${times}`;
  }
}

/** The fix a cause asks for, after the essay: a contract or a split for shared code, a re-slice for scattered work. */
export function adviceFor(cause: GroupCause): string {
  switch (cause.kind) {
    case 'shared-code':
      return 'split what each service uses, or make it a versioned contract changed backward-compatibly';
    case 'scattered':
      return 'features cut across services: move the feature into one service, or change the contract first and each service after';
    case 'external-package':
      return 'upgrade the package per service';
    case 'global-input':
      return 'narrow the global input to the deployables that read it';
  }
}

export function percent(part: number, whole: number): string {
  return whole === 0 ? '0 %' : `${Math.round((part / whole) * 100)} %`;
}

export function gateLines(result: HistoryResult): string[] {
  const gate = result.gate;
  if (!gate) return [];
  if (gate.passed)
    return [
      `gate passed (${gate.rules.join(', ')}${gate.baseline ? ', against lockstep-baseline.json' : ', no baseline'})`,
    ];
  return [`gate FAILED (${gate.rules.join(', ')}):`, ...gate.findings.map((finding) => `  - ${finding.message}`)];
}
