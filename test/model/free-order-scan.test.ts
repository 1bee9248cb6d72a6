import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Cluster } from '../../src/model/cluster.js';
import { MAX_BUCKETS } from '../../src/model/free-buckets.js';
import { NONE, parseConstraints } from '../../src/model/constraints.js';
import type { TaskView } from '../../src/model/task.js';
import type { ClusterSpec } from '../../src/model/cluster-spec.js';
import { LiveClusterView } from '../../src/model/view.js';

// The room-filtered free-ordered scans (chunk bounds, inline room test) must visit exactly the
// machines the plain scans would accept, in the same order, however machines fill and drain.

const DIMS = 3;
const MACHINES = 150; // several chunks of the free orders, so bounds, splits and skips all happen

function cluster(freeBuckets = MAX_BUCKETS): Cluster {
  const spec: ClusterSpec = {
    file: '<test>',
    resources: { names: ['a', 'b', 'c'], units: ['u', 'u', 'u'] },
    groups: [
      { name: 'x', ids: Array.from({ length: MACHINES / 2 }, (_, i) => `x${i}`), capacity: Float64Array.of(8, 8, 2), speed: 1, attributes: { zone: 'a' } },
      { name: 'y', ids: Array.from({ length: MACHINES / 2 }, (_, i) => `y${i}`), capacity: Float64Array.of(6, 10, 0), speed: 1, attributes: { zone: 'b' } },
    ],
  };
  return new Cluster(spec, freeBuckets);
}

const demand = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 1 }));
const op = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('allocate' as const), machine: fc.nat(MACHINES - 1), demand }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('release' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('toggle' as const), machine: fc.nat(MACHINES - 1) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('query' as const), dim: fc.nat(DIMS - 1), demand, skip: fc.nat(3) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('fit' as const), dim: fc.nat(DIMS - 1), demand, zone: fc.constantFrom('', 'zone=a', 'zone!=a') }) },
);

/** Constraints by text, each parsed once: the view's memory of misfits tells constraints apart by identity. */
const CONSTRAINTS = new Map(['', 'zone=a', 'zone!=a'].map((t) => [t, t === '' ? NONE : parseConstraints(t)]));

// The orders live in buckets of equal quantities while few distinct quantities occur, in sorted
// keys otherwise: the checks run with buckets throughout (at most 11 quantities per dimension
// here), with buckets that run out part-way on two dimensions, and with sorted keys throughout.
const MODES = [
  ['buckets', MAX_BUCKETS],
  ['buckets falling back to sorted keys', 3],
  ['sorted keys', 0],
] as const;

describe.each(MODES)('free-ordered scans with roomFor, %s', (_mode, freeBuckets) => {
  it('pick what the plain scans pick', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 100, maxLength: 600 }), fc.boolean(), (ops, early) => {
        const c = cluster(freeBuckets);
        const view = new LiveClusterView(c, () => 0);
        // make every order now, so that all the operations below go through their upkeep; or let
        // the first query of each make it, filled from machines already part full or down (with
        // more quantities than the falling-back buckets take)
        if (early) for (let d = 0; d < DIMS; d++) view.scanByFreeUp(d, 0, () => true);
        const placed: [number, Float64Array][] = [];
        for (const o of ops) {
          if (o.op === 'allocate') {
            const d = Float64Array.from(o.demand);
            if (c.hasRoom(o.machine, d)) {
              c.allocate(o.machine, d);
              placed.push([o.machine, d]);
            }
          } else if (o.op === 'release') {
            if (placed.length === 0) continue;
            const [m, d] = placed.splice(o.pick % placed.length, 1)[0] as [number, Float64Array];
            c.release(m, d);
          } else if (o.op === 'toggle') {
            if (c.running[o.machine] === 0) c.setUp(o.machine, c.up[o.machine] !== 1);
          } else if (o.op === 'fit') {
            // best-fit and worst-fit in one call, against every machine: room in all dimensions and
            // the constraints; up, the least room on the dimension, down, the most (ties lowest slot)
            const task = { demand: Float64Array.from(o.demand), constraints: CONSTRAINTS.get(o.zone) } as unknown as TaskView;
            let up = -1;
            let down = -1;
            for (let m = 0; m < MACHINES; m++) {
              if (!c.fits(m, task.demand, task.constraints)) continue;
              const q = c.free[m * DIMS + o.dim] as number;
              if (up < 0 || q < (c.free[up * DIMS + o.dim] as number)) up = m;
              if (down < 0 || q > (c.free[down * DIMS + o.dim] as number)) down = m;
            }
            // asked twice: the second answer may come from the memory of misfits
            for (let again = 0; again < 2; again++) {
              expect(view.fitByFree(task, o.dim, 'up')).toBe(up);
              expect(view.fitByFree(task, o.dim, 'down')).toBe(down);
            }
            expect(view.firstFit(task) >= 0).toBe(up >= 0);
          } else {
            const d = Float64Array.from(o.demand);
            // a visitor that also turns some fitting machines down, like constraints would
            const accept = (m: number): boolean => c.hasRoom(m, d) && m % 4 !== o.skip;
            const seen: number[] = [];
            const logged = (m: number): boolean => (seen.push(m), accept(m));
            const atLeast = d[o.dim] as number;
            expect(view.scanByFreeUp(o.dim, atLeast, accept, d)).toBe(view.scanByFreeUp(o.dim, atLeast, accept));
            expect(view.scanByFreeDown(o.dim, atLeast, accept, d)).toBe(view.scanByFreeDown(o.dim, atLeast, accept));
            view.scanByFreeUp(o.dim, atLeast, logged, d);
            expect(seen.every((m) => c.hasRoom(m, d))).toBe(true);
            // against a scan of every machine: up, the least room on the dimension (ties to the
            // lowest slot); down, the most room (ties to the lowest slot as well)
            let up = -1;
            let down = -1;
            for (let m = 0; m < MACHINES; m++) {
              const q = c.free[m * DIMS + o.dim] as number;
              if (q < atLeast || !accept(m)) continue;
              if (up < 0 || q < (c.free[up * DIMS + o.dim] as number)) up = m;
              if (down < 0 || q > (c.free[down * DIMS + o.dim] as number)) down = m;
            }
            expect(view.scanByFreeUp(o.dim, atLeast, accept, d)).toBe(up);
            expect(view.scanByFreeDown(o.dim, atLeast, accept, d)).toBe(down);
            // the orders, read after whatever changed since they were last read, hold exactly the
            // up machines' keys, and each chunk's bound covers the free room of the machines in it
            for (const fromTop of [false, true]) {
              const order = c.freeOrder(o.dim, fromTop);
              const keys = c.settled(order);
              if (order.buckets !== null) {
                // held in buckets: each up machine once, at its quantity, under its bucket's bound
                expect(keys.size).toBe(0);
                const listed = order.buckets.list();
                expect(listed.map((b) => b.quantity)).toEqual([...new Set(listed.map((b) => b.quantity))].sort((a, b) => a - b));
                const heldAt = new Map<number, number>();
                let uncovered = 0;
                for (const b of listed) {
                  for (const m of b.machines) {
                    heldAt.set(m, b.quantity);
                    for (let r = 0; r < DIMS; r++) if ((c.free[m * DIMS + r] as number) > (b.bound[r] as number)) uncovered++;
                  }
                }
                expect(uncovered).toBe(0);
                const expectedAt = new Map<number, number>();
                for (let m = 0; m < MACHINES; m++) if (c.up[m] === 1) expectedAt.set(m, c.free[m * DIMS + o.dim] as number);
                expect([...heldAt].sort((a, b) => a[0] - b[0])).toEqual([...expectedAt]);
                continue;
              }
              const held: number[] = [];
              keys.findUp(-Infinity, (k) => (held.push(k), false));
              const expected: number[] = [];
              for (let m = 0; m < MACHINES; m++) if (c.up[m] === 1) expected.push(c.orderKey(order, m));
              expect(held).toEqual(expected.sort((a, b) => a - b));
              let uncovered = 0;
              keys.chunkList().forEach((chunk, ci) => {
                const bound = keys.bound(ci);
                for (const k of chunk) {
                  const m = Cluster.slotOfKey(order, k);
                  for (let r = 0; r < DIMS; r++) if ((c.free[m * DIMS + r] as number) > (bound[r] as number)) uncovered++;
                }
              });
              expect(uncovered).toBe(0);
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('keeps machines added after the orders were made, past the slots they were sized for', () => {
    const c = cluster(freeBuckets);
    const view = new LiveClusterView(c, () => 0);
    const fill = Float64Array.of(5, 0, 0);
    for (let m = 0; m < MACHINES; m++) c.allocate(m, fill);
    const need = Float64Array.of(2, 1, 0);
    // every machine has 1 (group y) or 3 (group x) left on dimension a: best-fit takes the first x
    expect(view.scanByFreeUp(0, 2, (m) => c.hasRoom(m, need), need)).toBe(0);
    // 200 machines of group y join (6 free on a), the slots grow past the 150 the orders were made for
    for (let i = 0; i < 200; i++) c.addMachine(`z${i}`, 1);
    // the machines that did not change since are still found
    expect(view.scanByFreeUp(0, 2, (m) => c.hasRoom(m, need), need)).toBe(0);
    expect(view.scanByFreeUp(0, 1, () => true)).toBe(MACHINES / 2);
    for (let m = 0; m < MACHINES; m++) c.allocate(m, Float64Array.of(1, 0, 0));
    // now x machines have 2 left and the new ones 6: best-fit on a still prefers slot 0, worst-fit the first new one
    expect(view.scanByFreeUp(0, 2, (m) => c.hasRoom(m, need), need)).toBe(0);
    expect(view.scanByFreeDown(0, 2, (m) => c.hasRoom(m, need), need)).toBe(MACHINES);
    const big = Float64Array.of(6, 10, 0);
    expect(view.scanByFreeUp(0, 6, (m) => c.hasRoom(m, big), big)).toBe(MACHINES);
    c.allocate(MACHINES, Float64Array.of(1, 0, 0));
    expect(view.scanByFreeUp(0, 6, (m) => c.hasRoom(m, big), big)).toBe(MACHINES + 1);
    expect(view.scanByFreeUp(0, 5, (m) => c.hasRoom(m, need), need)).toBe(MACHINES);
  });

  it('answers a demand that fitted nowhere from the machines that grew since, up to the growth log', () => {
    const c = cluster(freeBuckets);
    const view = new LiveClusterView(c, () => 0);
    const full = (m: number): Float64Array => Float64Array.of(m < MACHINES / 2 ? 8 : 6, 0, 0);
    for (let m = 0; m < MACHINES; m++) c.allocate(m, full(m));
    const task = { demand: Float64Array.of(3, 0, 0), constraints: CONSTRAINTS.get('zone=a') } as unknown as TaskView;
    expect(view.fitByFree(task, 0, 'up')).toBe(-1);
    // growths: y machine 100 (zone b) left with 3, x machine 9 with 4, x machine 5 with 8, x machine 2 with 4
    const regrow = (m: number, keep: number): void => {
      c.release(m, full(m));
      if (keep < (full(m)[0] as number)) c.allocate(m, Float64Array.of((full(m)[0] as number) - keep, 0, 0));
    };
    regrow(100, 3);
    regrow(9, 4);
    regrow(5, 8);
    regrow(2, 4);
    // best-fit: the least room among zone a machines with room (y 100 is tighter but in zone b), ties to the lowest slot
    expect(view.fitByFree(task, 0, 'up')).toBe(2);
    expect(view.fitByFree(task, 0, 'down')).toBe(5);
    const other = { demand: Float64Array.of(3, 0, 0), constraints: CONSTRAINTS.get('zone!=a') } as unknown as TaskView;
    expect(view.fitByFree(other, 0, 'up')).toBe(100);
    // more growths than the log holds: the answer comes from a full search, the same
    const zero = new Float64Array(3);
    for (let i = 0; i < 70; i++) {
      c.allocate(120, zero);
      c.release(120, zero);
    }
    expect(view.fitByFree(task, 0, 'up')).toBe(2);
    c.allocate(2, Float64Array.of(4, 0, 0));
    c.allocate(9, Float64Array.of(4, 0, 0));
    c.allocate(5, Float64Array.of(8, 0, 0));
    expect(view.fitByFree(task, 0, 'up')).toBe(-1);
    regrow(40, 5);
    expect(view.fitByFree(task, 0, 'up')).toBe(40);
  });

  it('sees room a machine regains on dimensions that do not move its key', () => {
    const c = cluster(freeBuckets);
    const view = new LiveClusterView(c, () => 0);
    const onC = (d: Float64Array): number => view.scanByFreeUp(2, d[2] as number, (m) => c.hasRoom(m, d), d);
    const full = Float64Array.of(6, 0, 0);
    for (let m = 0; m < MACHINES; m++) c.allocate(m, full);
    const small = Float64Array.of(3, 0, 0);
    // nothing has room: the scan walks every chunk of the order on c and tightens its bounds
    expect(onC(small)).toBe(-1);
    c.release(97, full);
    expect(onC(small)).toBe(97);
  });
});
