/**
 * `lockstep-baseline.json`: what the coupling gate accepted last time, so `--fail-on` fails only
 * on regressions. One file for both commands; each owns one key and rewrites only its own
 * (`lockstep report --update-baseline` the `report` key, `lockstep history --update-baseline`
 * the `history` key), so neither loses what the other wrote.
 */
export const BASELINE_FILE = 'lockstep-baseline.json';
export const BASELINE_VERSION = 1;

export interface ReportBaseline {
  /** Stable fingerprints of the findings accepted (the same as SARIF partialFingerprints). */
  findings: string[];
  /** Per library (or file) id: how many deployables its change redeployed (symbol precision). */
  blastRadius?: Record<string, number>;
}

export interface HistoryBaseline {
  /** Each lock-step group: its deployables, sorted. */
  groups: string[][];
}

export interface Baseline {
  version: typeof BASELINE_VERSION;
  /** ISO time it was last written (informative only). */
  updated?: string;
  report?: ReportBaseline;
  history?: HistoryBaseline;
}

export class BaselineError extends Error {
  override name = 'BaselineError';
}

/** Parses the file's text; a file that is not a baseline is an error naming the fix. */
export function parseBaseline(text: string, path = BASELINE_FILE): Baseline {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new BaselineError(
      `${path} is not valid JSON (${(error as Error).message}). Fix it, or delete it and rerun with --update-baseline.`,
    );
  }
  const baseline = data as Partial<Baseline> | null;
  if (!baseline || typeof baseline !== 'object' || baseline.version !== BASELINE_VERSION) {
    throw new BaselineError(
      `${path} is not a lockstep baseline of version ${BASELINE_VERSION}. ` +
        'Delete it and rerun with --update-baseline to write a new one.',
    );
  }
  return baseline as Baseline;
}

/** The baseline with one command's key replaced and the other kept. */
export function withSection<Key extends 'report' | 'history'>(
  previous: Baseline | undefined,
  key: Key,
  section: NonNullable<Baseline[Key]>,
  now: Date,
): Baseline {
  return {
    ...(previous ?? { version: BASELINE_VERSION }),
    version: BASELINE_VERSION,
    updated: now.toISOString(),
    [key]: section,
  };
}

/** Stable text for the file: sorted keys inside sections, two-space indent, final newline. */
export function formatBaseline(baseline: Baseline): string {
  return `${JSON.stringify(baseline, null, 2)}\n`;
}
