import { describe, expect, it } from 'vitest';
import { largeParse } from './heap-growth';

describe('largeParse', () => {
  it('changes how the heap grows only for the command line, only for a large parse, and once', () => {
    const optIn = Symbol.for('nx-lockstep.compact-heap');
    const global = globalThis as Record<symbol, unknown>;
    // Inside Nx's process (no launcher): never.
    expect(largeParse(50_000)).toBe(false);
    global[optIn] = true;
    try {
      expect(largeParse(9_999)).toBe(false); // a warm run's few files
      expect(largeParse(50_000)).toBe(true);
      expect(largeParse(50_000)).toBe(false); // already set
    } finally {
      delete global[optIn];
    }
  });
});
