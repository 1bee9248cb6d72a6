import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MaxFreeTree } from '../../src/model/max-free-tree.js';

/** The naive model: one free vector per slot, null for an absent machine. */
type Model = (number[] | null)[];

function fitsAt(model: Model, slot: number, demand: readonly number[]): boolean {
  const free = model[slot];
  return free !== null && free !== undefined && demand.every((q, d) => (free[d] as number) >= q);
}

function naiveFirstFit(model: Model, demand: readonly number[], from: number, accept?: (slot: number) => boolean): number {
  for (let m = Math.max(0, from); m < model.length; m++) if (fitsAt(model, m, demand) && (accept === undefined || accept(m))) return m;
  return -1;
}

function naiveCollect(model: Model, demand: readonly number[], limit: number, accept?: (slot: number) => boolean): number[] {
  const out: number[] = [];
  for (let m = 0; m < model.length && out.length < limit; m++) if (fitsAt(model, m, demand) && (accept === undefined || accept(m))) out.push(m);
  return out;
}

/** mayFit is exact for "per dimension, some present machine has that much free". */
function naiveMayFit(model: Model, demand: readonly number[]): boolean {
  const present = model.filter((f): f is number[] => f !== null);
  return present.length > 0 && demand.every((q, d) => present.some((f) => (f[d] as number) >= q));
}

type Op =
  | { op: 'set'; slot: number; free: number[] }
  | { op: 'absent'; slot: number }
  | { op: 'grow'; by: number }
  | { op: 'query'; demand: number[]; from: number; filter: number; limit: number };

const DIMS = 3;
const quantity = fc.integer({ min: 0, max: 8 });
const vector = fc.array(quantity, { minLength: DIMS, maxLength: DIMS });
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('set' as const), slot: fc.nat(), free: vector }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('absent' as const), slot: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('grow' as const), by: fc.integer({ min: 0, max: 20 }) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('query' as const),
      demand: vector,
      from: fc.integer({ min: -1, max: 90 }),
      filter: fc.integer({ min: 0, max: 3 }),
      limit: fc.integer({ min: 0, max: 40 }),
    }),
  },
);

/** filter 0: accept everything (no callback); 1..3: accept slots whose index mod 3 differs from filter - 1. */
function acceptFor(filter: number): ((slot: number) => boolean) | undefined {
  return filter === 0 ? undefined : (slot) => slot % 3 !== filter - 1;
}

describe('MaxFreeTree against a naive scan', () => {
  it('agrees on firstFit, collect and mayFit through updates, absent machines and growth', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 70 }), fc.array(op, { maxLength: 120, size: 'max' }), (initial, ops) => {
        const tree = new MaxFreeTree(DIMS, initial);
        const model: Model = Array.from({ length: initial }, () => null);
        for (const o of ops) {
          switch (o.op) {
            case 'set':
            case 'absent': {
              if (model.length === 0) break;
              const slot = o.slot % model.length;
              // write the vector at an offset, as the cluster does with its struct of arrays
              const free = o.op === 'set' ? o.free : [7, 7, 7];
              const packed = Float64Array.from([9, 9, ...free, 9]);
              tree.update(slot, packed, 2, o.op === 'set');
              model[slot] = o.op === 'set' ? [...free] : null;
              break;
            }
            case 'grow': {
              const slots = model.length + o.by;
              tree.grow(slots);
              while (model.length < slots) model.push(null);
              break;
            }
            case 'query': {
              const demand = Float64Array.from(o.demand);
              const accept = acceptFor(o.filter);
              expect(tree.firstFit(demand, o.from, accept)).toBe(naiveFirstFit(model, o.demand, o.from, accept));
              const out = new Int32Array(o.limit).fill(-7);
              const count = tree.collect(demand, out, accept);
              const expected = naiveCollect(model, o.demand, o.limit, accept);
              expect(count).toBe(expected.length);
              expect([...out.subarray(0, count)]).toEqual(expected);
              expect(tree.mayFit(demand)).toBe(naiveMayFit(model, o.demand));
              for (let d = 0; d < DIMS; d++) {
                const present = model.filter((f): f is number[] => f !== null).map((f) => f[d] as number);
                expect(tree.rootMax(d)).toBe(present.length === 0 ? -1 : Math.max(...present));
              }
              break;
            }
          }
        }
      }),
      { numRuns: 300, endOnFailure: true },
    );
  });

  it("reads a block's leaves again when the one holding its maximum loses room", () => {
    // slots 0–7 share the lowest node: its maximum must fall from 9 to 4, not stay at 9
    const tree = new MaxFreeTree(1, 16);
    tree.update(3, Float64Array.from([9]), 0, true);
    tree.update(5, Float64Array.from([4]), 0, true);
    tree.update(12, Float64Array.from([3]), 0, true);
    expect(tree.firstFit(Float64Array.from([5]), 0)).toBe(3);
    tree.update(3, Float64Array.from([2]), 0, true);
    expect(tree.rootMax(0)).toBe(4);
    expect(tree.mayFit(Float64Array.from([5]))).toBe(false);
    expect(tree.firstFit(Float64Array.from([4]), 0)).toBe(5);
    tree.update(5, Float64Array.from([0]), 0, false);
    expect(tree.firstFit(Float64Array.from([3]), 0)).toBe(12);
    expect(tree.firstFit(Float64Array.from([2]), 4)).toBe(12);
  });

  it('never finds an absent machine, even for a zero demand', () => {
    const tree = new MaxFreeTree(2, 4);
    const zero = new Float64Array(2);
    expect(tree.mayFit(zero)).toBe(false);
    expect(tree.firstFit(zero, 0)).toBe(-1);
    tree.update(2, Float64Array.from([0, 0]), 0, true);
    expect(tree.firstFit(zero, 0)).toBe(2);
    expect(tree.firstFit(zero, 3)).toBe(-1);
    tree.update(2, Float64Array.from([0, 0]), 0, false);
    expect(tree.mayFit(zero)).toBe(false);
  });

  it('keeps leaves across grow and finds machines in the new slots', () => {
    const tree = new MaxFreeTree(1, 3);
    tree.update(1, Float64Array.from([5]), 0, true);
    tree.grow(100);
    expect(tree.firstFit(Float64Array.from([5]), 0)).toBe(1);
    tree.update(70, Float64Array.from([9]), 0, true);
    expect(tree.firstFit(Float64Array.from([6]), 0)).toBe(70);
    expect(tree.firstFit(Float64Array.from([5]), 2)).toBe(70);
    const out = new Int32Array(10);
    expect(tree.collect(Float64Array.from([1]), out)).toBe(2);
    expect([...out.subarray(0, 2)]).toEqual([1, 70]);
  });
});
