import { describe, expect, it } from 'vitest';
import { decideFromMarkerFacts, type MarkerFacts } from './decide-from-marker';

const M = 'a'.repeat(40);
const H = 'c'.repeat(40);
const facts = (over: Partial<MarkerFacts>): MarkerFacts => ({
  project: 'api',
  env: 'staging',
  marker: M,
  head: H,
  present: true,
  headIsAncestorOfMarker: false,
  markerIsAncestorOfHead: true,
  shallow: false,
  ...over,
});
const reasonKinds = (over: Partial<MarkerFacts>) => {
  const decision = decideFromMarkerFacts(facts(over));
  return decision.kind === 'analyse'
    ? `analyse ${decision.base.slice(0, 1)}`
    : decision.decision.reasons.map((r) => r.kind).join(',') || 'skip';
};

describe('decideFromMarkerFacts', () => {
  it('settles what the marker alone decides and leaves the rest to the engine', () => {
    expect(reasonKinds({ marker: null })).toBe('never-deployed');
    expect(reasonKinds({ present: false, headIsAncestorOfMarker: null, markerIsAncestorOfHead: null })).toBe(
      'base-unavailable',
    );
    expect(reasonKinds({ marker: H })).toBe('skip'); // at the marker
    expect(reasonKinds({ headIsAncestorOfMarker: true, markerIsAncestorOfHead: false })).toBe('skip'); // behind
    expect(reasonKinds({})).toBe('analyse a'); // ahead
    expect(reasonKinds({ markerIsAncestorOfHead: false })).toBe('analyse a'); // diverged, full history
    expect(reasonKinds({ shallow: true })).toBe('analyse a'); // shallow, but the history is there
    expect(reasonKinds({ shallow: true, markerIsAncestorOfHead: false })).toBe('base-unavailable');
    expect(reasonKinds({ shallow: true, markerIsAncestorOfHead: null })).toBe('base-unavailable');
  });

  it('a deploy it settles names the cause and the fix', () => {
    expect(decideFromMarkerFacts(facts({ present: false }))).toEqual({
      kind: 'decided',
      decision: {
        project: 'api',
        base: M,
        affected: true,
        reasons: [
          {
            kind: 'base-unavailable',
            base: M,
            hint: 'commit aaaaaaaa is not in this clone; fetch the full history (GitHub actions/checkout `fetch-depth: 0`, GitLab `GIT_DEPTH: 0`, Azure `fetchDepth: 0`, or `git fetch --unshallow`)',
          },
        ],
      },
    });
    expect(decideFromMarkerFacts(facts({ marker: null }))).toEqual({
      kind: 'decided',
      decision: { project: 'api', base: null, affected: true, reasons: [{ kind: 'never-deployed', env: 'staging' }] },
    });
  });
});
