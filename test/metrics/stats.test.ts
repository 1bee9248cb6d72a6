import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { Samples, WHOLE_ROOM_AFTER, jainIndex, nextRoom, quantile, quantilesInPlace } from '../../src/metrics/stats.js';

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
      fc.property(fc.array(value, { minLength: 1, maxLength: 300, size: 'max' }), qs, (values, q) => {
        const s = samplesOf(values);
        const sorted = s.sorted();
        expect(s.quantiles(q)).toEqual(q.map((x) => quantile(sorted, x)));
        // selection rearranges the values but keeps them all, and the sum as they came
        expect(s.mean()).toBe(values.reduce((a, b) => a + b, 0) / values.length);
        expect(s.sorted()).toEqual(sorted);
      }),
      { numRuns: 500 },
    );
  });

  it('asked again and again while values keep coming, in memory or spilled, give what sorting all values so far gives', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clustersim-samples-again-'));
    try {
      const qs = [0, 0.25, 0.5, 0.95, 1];
      fc.assert(
        fc.property(fc.array(fc.array(fc.integer({ min: -20, max: 20 }), { minLength: 1, maxLength: 30 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 25 }), (batches, limit) => {
          const inMemory = new Samples(1);
          const spilling = new Samples(1, { path: join(dir, 'again.f64'), memoryLimit: limit });
          const seen: number[] = [];
          try {
            for (const batch of batches) {
              for (const v of batch) {
                inMemory.push(v);
                spilling.push(v);
                seen.push(v);
              }
              const sorted = Float64Array.from(seen).sort();
              const expected = qs.map((q) => quantile(sorted, q));
              expect(inMemory.quantiles(qs)).toEqual(expected);
              expect(spilling.quantiles(qs)).toEqual(expected);
            }
          } finally {
            spilling.dispose();
          }
        }),
        { numRuns: 200 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('selected over a part of an array, give exactly what sorting that part gives, and leave the rest alone', () => {
    const value = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.double({ min: -1e6, max: 1e6, noNaN: true }));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 200 }), fc.nat(), fc.nat(), (values, a, b) => {
        const from = a % values.length;
        const to = from + (b % (values.length - from + 1));
        const array = Float64Array.from(values);
        const sorted = array.slice(from, to).sort();
        const qs = [0.5, 0.95, 0.99];
        expect(quantilesInPlace(array, from, to, qs)).toEqual(qs.map((q) => quantile(sorted, q)));
        expect(Array.from(array.subarray(0, from))).toEqual(values.slice(0, from));
        expect(Array.from(array.subarray(to))).toEqual(values.slice(to));
      }),
      { numRuns: 500 },
    );
  });

  it('selected where the least value fills much of the part (zero waits, say), give exactly what sorting gives', () => {
    // zeros of both signs, small ties and a few larger values: the least often holds several ranks
    const value = fc.oneof(fc.constantFrom(0, -0, 0, 1), fc.integer({ min: 0, max: 3 }), fc.double({ min: 0, max: 1e3, noNaN: true }));
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 120 }), fc.nat(), fc.nat(), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }), (values, a, b, raw) => {
        const from = a % values.length;
        const to = from + (b % (values.length - from + 1));
        const array = Float64Array.from(values);
        const sorted = array.slice(from, to).sort();
        const qs = raw.slice().sort((x, y) => x - y);
        expect(quantilesInPlace(array, from, to, qs)).toEqual(qs.map((q) => quantile(sorted, q)));
        expect(Array.from(array.subarray(0, from))).toEqual(values.slice(0, from));
        expect(Array.from(array.subarray(to))).toEqual(values.slice(to));
      }),
      { numRuns: 1000 },
    );
    // a million values, nine in ten the least: the quantiles on either side of the run of least values
    const many = new Float64Array(1_000_000);
    for (let i = 0; i < many.length; i++) many[i] = i % 10 === 9 ? 1 + (i % 7) : 0;
    const sortedMany = many.slice().sort();
    const qs = [0.5, 0.899999, 0.9, 0.95, 0.99, 1];
    expect(quantilesInPlace(many, 0, many.length, qs)).toEqual(qs.map((q) => quantile(sortedMany, q)));
  });

  describe('spilled to a scratch file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clustersim-samples-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    let files = 0;
    const zeroless = (xs: readonly (number | null)[]) => xs.map((x) => (x === 0 ? 0 : x));

    function spilled(values: readonly number[], memoryLimit: number): Samples {
      const s = new Samples(1, { path: join(dir, `s${files++}.f64`), memoryLimit });
      for (const v of values) s.push(v);
      return s;
    }

    it('past WHOLE_ROOM_AFTER values takes its whole room at once, and keeps every value on either side of that jump and of a spill', () => {
      // the room a list takes: doubling up to WHOLE_ROOM_AFTER, then the limit; doubling without a limit
      expect(nextRoom(1024, 1 << 20)).toBe(2048);
      expect(nextRoom(WHOLE_ROOM_AFTER / 2, 1 << 20)).toBe(WHOLE_ROOM_AFTER);
      expect(nextRoom(WHOLE_ROOM_AFTER, 1 << 20)).toBe(1 << 20);
      expect(nextRoom(WHOLE_ROOM_AFTER, Infinity)).toBe(2 * WHOLE_ROOM_AFTER);
      expect(nextRoom(1024, 1500)).toBe(1500);
      // waits-like values, a few distinct, pushed past the jump (limit 2^20) and past a spill (limit just above the jump)
      const values: number[] = [];
      let state = 12345;
      for (let i = 0; i < 2 * WHOLE_ROOM_AFTER + 777; i++) {
        state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
        values.push(state % 2 === 0 ? i : 0);
      }
      const sorted = Float64Array.from(values).sort();
      const qs = [0, 0.5, 0.8, 0.95, 0.99, 1];
      for (const limit of [1 << 20, WHOLE_ROOM_AFTER + 100]) {
        const s = spilled(values, limit);
        try {
          expect(s.size).toBe(values.length);
          // every value kept, where the list never spilled
          if (limit === 1 << 20) expect(s.sorted()).toEqual(sorted);
          expect(zeroless(s.quantiles(qs))).toEqual(qs.map((q) => quantile(sorted, q)));
          expect(s.mean()).toBe(samplesOf(values).mean());
        } finally {
          s.dispose();
        }
      }
    });

    it('gives exactly the in-memory quantiles and mean whatever the memory limit', () => {
      const value = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.double({ min: -1e300, max: 1e300, noNaN: true }), fc.double({ min: 0, max: 2, noNaN: true }));
      const qs = fc.uniqueArray(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 5 }).map((q) => q.sort((a, b) => a - b));
      fc.assert(
        fc.property(fc.array(value, { minLength: 1, maxLength: 400, size: 'max' }), qs, fc.integer({ min: 1, max: 40 }), (values, q, limit) => {
          const memory = samplesOf(values);
          const s = spilled(values, limit);
          try {
            expect(s.size).toBe(values.length);
            expect(zeroless(s.quantiles(q))).toEqual(zeroless(memory.quantiles(q)));
            expect(s.mean()).toBe(memory.mean());
          } finally {
            s.dispose();
          }
        }),
        { numRuns: 300 },
      );
      expect(readdirSync(dir)).toEqual([]);
    });

    it('resolves values that differ only in their last bits (all four radix passes)', () => {
      // 1 + k·2⁻⁵² for k = 0..99 and their negatives: one bucket until the last 16 bits
      const values = Array.from({ length: 100 }, (_, k) => 1 + k * 2 ** -52).flatMap((v) => [v, -v]).reverse();
      const s = spilled(values, 1);
      const sorted = Float64Array.from(values).sort();
      expect(s.quantiles([0, 0.01, 0.5, 0.95, 0.99, 1])).toEqual([0, 0.01, 0.5, 0.95, 0.99, 1].map((q) => quantile(sorted, q)));
      s.dispose();
    });

    it('keeps no more than its limit in memory, puts the rest in its file and deletes the file when disposed', () => {
      const s = spilled([3, 1, 2, 5, 4], 2);
      const file = join(dir, `s${files - 1}.f64`);
      expect(existsSync(file)).toBe(true);
      expect(() => s.sorted()).toThrow(/spilled/);
      expect(s.quantiles([0.5])).toEqual([3]);
      s.dispose();
      s.dispose();
      expect(existsSync(file)).toBe(false);
    });
  });

  it("Jain's index is 1 for equal shares and 1/n when one tenant has everything", () => {
    expect(jainIndex([0.2, 0.2, 0.2])).toBeCloseTo(1, 15);
    expect(jainIndex([1, 0, 0, 0])).toBe(0.25);
    expect(jainIndex([])).toBeNull();
  });
});
