// The benchmark's memory probe: one cycle through every slot, and a time per load.
import { describe, expect, it } from 'vitest';
import { MemoryProbe } from '../../bench/probe.js';

describe('MemoryProbe', () => {
  it('walks one cycle through every slot of its array', () => {
    const slots = 4096;
    const probe = new MemoryProbe(4 * slots);
    const seen = new Uint8Array(slots);
    let p = 0;
    let steps = 0;
    do {
      expect(seen[p]).toBe(0);
      seen[p] = 1;
      p = probe.after(p);
      steps++;
    } while (p !== 0 && steps <= slots);
    // back at the start after exactly one visit to each slot: a single cycle, so no walk stays in a small loop
    expect(steps).toBe(slots);
    expect(seen.every((v) => v === 1)).toBe(true);
  });

  it('times its loads in nanoseconds per load', () => {
    const probe = new MemoryProbe(1 << 16);
    const ns = probe.measure(100_000);
    expect(Number.isFinite(ns)).toBe(true);
    expect(ns).toBeGreaterThan(0);
    // far below a millisecond per load, so the result is per load, not per measurement
    expect(ns).toBeLessThan(1e5);
  });

  it('refuses an array too small for a cycle', () => {
    expect(() => new MemoryProbe(4)).toThrow(RangeError);
  });
});
