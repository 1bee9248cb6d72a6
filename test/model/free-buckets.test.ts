import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FreeBuckets } from '../../src/model/free-buckets.js';

// FreeBuckets against a naive model on a few thousand slots, so that bit 31 of a word and the
// summary words past the first (slots ≥ 1,024) are crossed, with a bucket limit that runs out.

const SLOTS = 3_000;
const DIMS = 2;
/** Slots picked near word and summary-word edges more often than elsewhere. */
const slot = fc.oneof(fc.nat(SLOTS - 1), fc.constantFrom(0, 31, 32, 63, 1023, 1024, 1055, 2047, 2048, SLOTS - 1));
const op = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('set' as const), m: slot, q: fc.integer({ min: 0, max: 12 }), other: fc.integer({ min: 0, max: 9 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('remove' as const), m: slot }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('scan' as const), atLeast: fc.integer({ min: -1, max: 13 }), up: fc.boolean(), need: fc.integer({ min: 0, max: 9 }), odd: fc.boolean() }) },
);

describe('FreeBuckets', () => {
  it('holds, moves and scans machines as a naive list does', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 50, maxLength: 300 }), (ops) => {
        const buckets = new FreeBuckets(DIMS, SLOTS, 8);
        const free = new Float64Array(SLOTS * DIMS);
        /** The naive model: quantity per held slot. */
        const held = new Map<number, number>();
        for (const o of ops) {
          if (o.op === 'set') {
            const before = buckets.quantityOf(o.m);
            free[o.m * DIMS] = o.q;
            free[o.m * DIMS + 1] = o.other;
            if (before === o.q) {
              buckets.raise(o.m, free, o.m * DIMS);
              continue;
            }
            buckets.remove(o.m);
            held.delete(o.m);
            const distinct = new Set(held.values());
            const added = buckets.add(o.m, o.q, free, o.m * DIMS);
            // refused exactly when the quantity is new and every bucket is taken
            expect(added).toBe(distinct.has(o.q) || distinct.size < 8);
            if (added) held.set(o.m, o.q);
          } else if (o.op === 'remove') {
            buckets.remove(o.m);
            held.delete(o.m);
          } else {
            // up: least quantity ≥ atLeast; down: the most; ties to the lowest slot. Needs room
            // `need` on the other dimension; `odd` also turns even slots down in the visitor.
            const demand = Float64Array.of(Math.max(0, o.atLeast), o.need);
            const accept = (m: number): boolean => !o.odd || m % 2 === 1;
            let best = -1;
            for (const [m, q] of [...held].sort((a, b) => a[0] - b[0])) {
              if (q < o.atLeast || (free[m * DIMS + 1] as number) < o.need || q < (demand[0] as number) || !accept(m)) continue;
              const bq = best < 0 ? 0 : (held.get(best) as number);
              if (best < 0 || (o.up ? q < bq : q > bq)) best = m;
            }
            expect(buckets.scan(o.atLeast, o.up ? 1 : -1, accept, demand, free)).toBe(best);
            // without a demand every held machine ≥ atLeast is visited, in the same order
            const seen: number[] = [];
            buckets.scan(o.atLeast, o.up ? 1 : -1, (m) => (seen.push(m), false));
            const order = [...held].filter(([, q]) => q >= o.atLeast).sort((a, b) => (o.up ? a[1] - b[1] : b[1] - a[1]) || a[0] - b[0]).map(([m]) => m);
            expect(seen).toEqual(order);
          }
        }
        // the held quantities, each once, ascending (emptied buckets are not listed)
        expect(buckets.list().map((b) => b.quantity)).toEqual([...new Set(held.values())].sort((a, b) => a - b));
        // every held machine listed once, at its quantity, under its bucket's bound
        const listed = buckets.list().flatMap((b) => b.machines.map((m) => [m, b.quantity, b.bound[1] as number] as const));
        expect(listed.map(([m, q]) => [m, q]).sort((a, b) => (a[0] as number) - (b[0] as number))).toEqual([...held].sort((a, b) => a[0] - b[0]));
        expect(listed.every(([m, , bound]) => (free[m * DIMS + 1] as number) <= bound)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
