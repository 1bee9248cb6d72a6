import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Samples, jainIndex, quantile } from '../../src/metrics/stats.js';

function samplesOf(values: readonly number[]): Samples {
  const s = new Samples(1);
  for (const v of values) s.push(v);
  return s;
}

describe('quantiles', () => {
  it('interpolates linearly between closest ranks, as numpy.percentile does', () => {
    // numpy.percentile([1, 2, 3, 4], [50, 95, 99]) = [2.5, 3.85, 3.97]
    const [p50, p95, p99] = samplesOf([4, 1, 3, 2]).quantiles([0.5, 0.95, 0.99]);
    expect(p50).toBe(2.5);
    expect(p95).toBeCloseTo(3.85, 12);
    expect(p99).toBeCloseTo(3.97, 12);
    expect(samplesOf([7]).quantiles([0, 0.5, 1])).toEqual([7, 7, 7]);
    expect(new Samples().quantiles([0.5, 0.99])).toEqual([null, null]);
  });

  it('selection gives exactly what sorting gives, with many ties and in any order', () => {
    const value = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }));
    const qs = fc.uniqueArray(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }).map((q) => q.sort((a, b) => a - b));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 300 }), qs, (values, q) => {
        const s = samplesOf(values);
        const sorted = s.sorted();
        expect(s.quantiles(q)).toEqual(q.map((x) => quantile(sorted, x)));
        // the samples themselves are left as they were
        expect(s.mean()).toBe(values.reduce((a, b) => a + b, 0) / values.length);
      }),
      { numRuns: 500 },
    );
  });

  it("Jain's index is 1 for equal shares and 1/n when one tenant has everything", () => {
    expect(jainIndex([0.2, 0.2, 0.2])).toBeCloseTo(1, 15);
    expect(jainIndex([1, 0, 0, 0])).toBe(0.25);
    expect(jainIndex([])).toBeNull();
  });
});
