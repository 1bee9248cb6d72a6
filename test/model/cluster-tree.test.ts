import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { composedPolicy } from '../../policies/compose.js';
import { fifo } from '../../policies/fifo.js';
import { resolvePolicy } from '../../policies/index.js';
import { Cluster } from '../../src/model/cluster.js';
import type { ClusterSpec } from '../../src/model/cluster-spec.js';
import type { Placement } from '../../src/policy.js';
import { clusterSpec, machines, PolicyHarness } from '../helpers/policy-fixtures.js';

// The cluster keeps its max-free tree up to date only from the tree's first read on. A tree first
// read after any history must answer as one kept from the start, and go on doing so.

const DIMS = 3;
const MACHINES = 40;

function spec(): ClusterSpec {
  return clusterSpec(['a', 'b', 'c'], [
    { name: 'x', count: MACHINES / 2, capacity: [8, 8, 2] },
    { name: 'y', count: MACHINES / 2, capacity: [6, 10, 0] },
  ]);
}

const vector = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 1 }));
const op = fc.oneof(
  { weight: 6, arbitrary: fc.record({ op: fc.constant('allocate' as const), machine: fc.nat(), demand: vector }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('release' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('toggle' as const), machine: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('capacity' as const), machine: fc.nat(), by: vector }) },
  // machines past the slots the cluster was made with: the tree grows while it is not kept too
  { weight: 1, arbitrary: fc.record({ op: fc.constant('add' as const), up: fc.boolean() }) },
  // `both`: the late cluster is asked too, which makes it keep its tree from then on
  { weight: 3, arbitrary: fc.record({ op: fc.constant('query' as const), demand: vector, from: fc.nat(MACHINES), both: fc.boolean(), first: fc.nat(3) }) },
);

/**
 * What a tree answers about `demand`: mayFit, firstFit from `from`, every slot that fits, and the
 * root's maxima, asked in a turned order starting at `first`: any of them may be the first read.
 */
function answers(c: Cluster, demand: Float64Array, from: number, first = 0): unknown {
  const reads = {
    mayFit: () => c.tree.mayFit(demand),
    first: () => c.tree.firstFit(demand, from),
    fits: () => {
      const out = new Int32Array(c.size);
      return Array.from(out.subarray(0, c.tree.collect(demand, out)));
    },
    root: () => [0, 1, 2].map((d) => c.tree.rootMax(d)),
  };
  const names = Object.keys(reads) as (keyof typeof reads)[];
  return Object.fromEntries(names.map((_, i) => names[(first + i) % names.length] as keyof typeof reads).map((name) => [name, reads[name]()]));
}

describe('the cluster max-free tree, kept from its first read', () => {
  it('answers as a tree kept from the start, whenever it is first read', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 20, maxLength: 300 }), (ops) => {
        const early = new Cluster(spec());
        const late = new Cluster(spec());
        expect(early.tree.mayFit(new Float64Array(DIMS))).toBe(true);
        expect([early.tree.isKept, late.tree.isKept]).toEqual([true, false]);
        const placed: [number, Float64Array][] = [];
        let added = 0;
        for (const o of ops) {
          if (o.op === 'allocate') {
            const m = o.machine % early.size;
            const d = Float64Array.from(o.demand);
            if (!early.hasRoom(m, d)) continue;
            early.allocate(m, d);
            late.allocate(m, d);
            placed.push([m, d]);
          } else if (o.op === 'release') {
            if (placed.length === 0) continue;
            const [m, d] = placed.splice(o.pick % placed.length, 1)[0] as [number, Float64Array];
            early.release(m, d);
            late.release(m, d);
          } else if (o.op === 'toggle') {
            const m = o.machine % early.size;
            if (early.running[m] !== 0) continue;
            const up = early.up[m] !== 1;
            early.setUp(m, up);
            late.setUp(m, up);
          } else if (o.op === 'capacity') {
            // more room on every dimension, so the running tasks still fit
            const m = o.machine % early.size;
            const capacity = Float64Array.from([0, 1, 2], (d) => (early.capacity[m * DIMS + d] as number) + (o.by[d] as number));
            early.setCapacity(m, capacity);
            late.setCapacity(m, capacity);
          } else if (o.op === 'add') {
            const id = `z${added++}`;
            const options = { capacity: Float64Array.of(5, 5, 1), attributes: {}, speed: 1, up: o.up };
            const g = early.group('z');
            expect(late.group('z')).toBe(g);
            expect(late.addMachine(id, g, options)).toBe(early.addMachine(id, g, options));
          } else {
            const d = Float64Array.from(o.demand);
            const from = o.from % early.size;
            if (o.both) expect(answers(late, d, from, o.first)).toEqual(answers(early, d, from));
            else answers(early, d, from);
          }
        }
        for (const [i, d] of [new Float64Array(DIMS), Float64Array.of(1, 1, 0), Float64Array.of(6, 8, 1), Float64Array.of(8, 10, 2)].entries()) {
          expect(answers(late, d, 0, i)).toEqual(answers(early, d, 0));
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('reading the max-free tree', () => {
  const cluster = machines(['cpu', 'mem'], [[4, 8], [8, 4], [2, 2]]);

  it('is left to first-fit: best-fit and worst-fit place without it, misfits included', () => {
    // worked by hand: [2, 2] fits on cpu (a tie of shares goes to the first resource), [4, 4] too
    const cases = [
      ['fifo+first-fit', [0, 1], true],
      ['fifo+best-fit', [2, 0], false],
      ['fifo+worst-fit', [1, 0], false],
      ['priority+best-fit', [2, 0], false],
    ] as const;
    for (const [name, slots, kept] of cases) {
      const h = new PolicyHarness(cluster, resolvePolicy(name));
      h.submit({ id: 'small', demand: [2, 2] });
      h.submit({ id: 'huge', demand: [9, 1] }); // larger than every machine
      h.submit({ id: 'mid', demand: [4, 4] });
      expect(h.round().map((p) => [p.id, p.machine]), name).toEqual([['small', slots[0]], ['mid', slots[1]]]);
      expect([...h.pending].map((t) => t.id), name).toEqual(['huge']);
      expect(h.cluster.tree.isKept, name).toBe(kept);
    }
  });

  it('is skipped by the composer only for a placement that checks fit itself', () => {
    for (const checksFitItself of [false, true]) {
      const asked: string[] = [];
      const placement: Placement = { place: (task) => (asked.push(task.id), -1), misfit: () => true, checksFitItself };
      const h = new PolicyHarness(cluster, composedPolicy('spy', {}, (ctx) => fifo.create(ctx, {}), () => placement));
      h.submit({ id: 'fits', demand: [1, 1] });
      h.submit({ id: 'huge', demand: [9, 9] });
      h.round();
      // asked first, mayFit turns the huge task down without asking the placement
      expect(asked).toEqual(checksFitItself ? ['fits', 'huge'] : ['fits']);
      expect(h.cluster.tree.isKept).toBe(!checksFitItself);
    }
  });
});
