// Behaviour of the baseline parts: first-fit, best-fit, worst-fit, random placement; fifo and priority order.
import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../policies/index.js';
import { FifoList } from '../../policies/fifo.js';
import type { TaskView } from '../../src/model/task.js';
import type { Task } from '../../src/model/task.js';
import { machines, PolicyHarness, type TaskInput } from '../helpers/policy-fixtures.js';

/** Places one task alone on an otherwise idle harness and returns the chosen slot (or -1). */
function slotFor(h: PolicyHarness, task: TaskInput): number {
  h.submit(task);
  const placed = h.round();
  for (const t of [...h.running]) if (t.id.startsWith('t')) h.finish(t);
  for (const t of [...h.pending]) h.withdraw(t);
  return placed[0]?.machine ?? -1;
}

describe('first-fit', () => {
  it('picks the lowest slot with room', () => {
    const h = new PolicyHarness(machines(['cpu'], [[2], [4], [8], [4]]), resolvePolicy('fifo+first-fit'));
    expect(slotFor(h, { demand: [3] })).toBe(1);
    expect(slotFor(h, { demand: [1] })).toBe(0);
    expect(slotFor(h, { demand: [5] })).toBe(2);
    expect(slotFor(h, { demand: [9] })).toBe(-1);
  });

  it('needs room in every dimension and the constraints to hold', () => {
    const spec = machines(['cpu', 'mem'], [[8, 1], [8, 8], [8, 8], [8, 8]], [{ zone: 'a' }, { zone: 'b' }, { zone: 'a' }, {}]);
    const h = new PolicyHarness(spec, resolvePolicy('fifo+first-fit'));
    expect(slotFor(h, { demand: [1, 2] })).toBe(1);
    expect(slotFor(h, { demand: [1, 1], constraints: [{ attribute: 'zone', op: 'eq', values: ['b'] }] })).toBe(1);
    expect(slotFor(h, { demand: [1, 2], constraints: [{ attribute: 'zone', op: 'ne', values: ['b'] }] })).toBe(2);
    expect(slotFor(h, { demand: [1, 2], constraints: [{ attribute: 'zone', op: 'ne', values: ['a', 'b'] }] })).toBe(3);
  });

  it('fills the lowest slots first within a round and skips down machines', () => {
    const h = new PolicyHarness(machines(['cpu'], [[2], [2], [2]]), resolvePolicy('fifo+first-fit'));
    h.setUp(0, false);
    for (let i = 0; i < 5; i++) h.submit({ demand: [1] });
    expect(h.roundSlots()).toEqual([1, 1, 2, 2]);
  });
});

describe('best-fit', () => {
  it('picks the tightest fit, ties to the lowest slot', () => {
    const h = new PolicyHarness(machines(['cpu'], [[10], [4], [6], [4], [3]]), resolvePolicy('fifo+best-fit'));
    expect(slotFor(h, { demand: [4] })).toBe(1);
    expect(slotFor(h, { demand: [3] })).toBe(4);
    expect(slotFor(h, { demand: [5] })).toBe(2);
    expect(slotFor(h, { demand: [7] })).toBe(0);
    expect(slotFor(h, { demand: [11] })).toBe(-1);
  });

  it('fits on the dominant dimension (largest share of the cluster total)', () => {
    // Totals: cpu 20, mem 700.
    const h = new PolicyHarness(machines(['cpu', 'mem'], [[10, 100], [4, 400], [6, 200]]), resolvePolicy('fifo+best-fit'));
    expect(slotFor(h, { demand: [3, 50] })).toBe(1); // cpu share .15 > mem .07: tightest cpu is slot 1
    expect(slotFor(h, { demand: [1, 150] })).toBe(2); // mem share .21 > cpu .05: tightest mem is slot 2
  });

  it('breaks a dominant-share tie toward the first declared resource', () => {
    // Totals cpu 20, mem 200; demand 2/20 = 20/200. Tightest cpu is slot 0, tightest mem slot 1.
    const h = new PolicyHarness(machines(['cpu', 'mem'], [[5, 150], [15, 50]]), resolvePolicy('fifo+best-fit'));
    expect(slotFor(h, { demand: [2, 20] })).toBe(0);
  });

  it('honours dimension=<resource>', () => {
    const spec = machines(['cpu', 'mem'], [[10, 100], [4, 400], [6, 200]]);
    const byCpu = new PolicyHarness(spec, resolvePolicy('fifo+best-fit', { dimension: 'cpu' }));
    expect(slotFor(byCpu, { demand: [1, 150] })).toBe(1);
    const byMem = new PolicyHarness(spec, resolvePolicy('fifo+best-fit', { dimension: 'mem' }));
    expect(slotFor(byMem, { demand: [3, 50] })).toBe(0);
  });

  it('skips a tighter machine that lacks room in another dimension or breaks a constraint', () => {
    const spec = machines(['cpu', 'mem'], [[3, 10], [4, 1000], [5, 1000]], [{}, { zone: 'b' }, {}]);
    const h = new PolicyHarness(spec, resolvePolicy('fifo+best-fit'));
    expect(slotFor(h, { demand: [3, 20] })).toBe(1);
    expect(slotFor(h, { demand: [3, 20], constraints: [{ attribute: 'zone', op: 'ne', values: ['b'] }] })).toBe(2);
  });

  it('packs: successive tasks go to the machine they fill, leaving others empty', () => {
    const h = new PolicyHarness(machines(['cpu'], [[10], [10], [10]]), resolvePolicy('fifo+best-fit'));
    for (let i = 0; i < 6; i++) h.submit({ demand: [3] });
    expect(h.roundSlots()).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('rejects dimension naming no resource of the cluster, naming the value and the resources', () => {
    const policy = resolvePolicy('fifo+best-fit', { dimension: 'gpu' });
    expect(() => new PolicyHarness(machines(['cpu', 'mem'], [[1, 1]]), policy)).toThrow(/"gpu".*cpu, mem/);
  });
});

describe('worst-fit', () => {
  it('spreads a round of equal tasks over equal machines, lowest slot first', () => {
    const h = new PolicyHarness(machines(['cpu'], [[10], [10], [10]]), resolvePolicy('fifo+worst-fit'));
    for (let i = 0; i < 6; i++) h.submit({ demand: [2] });
    expect(h.roundSlots()).toEqual([0, 1, 2, 0, 1, 2]);
  });

  it('picks the machine with the most free on the fit dimension', () => {
    const spec = machines(['cpu', 'mem'], [[4, 400], [10, 100], [6, 200]]);
    const h = new PolicyHarness(spec, resolvePolicy('fifo+worst-fit'));
    expect(slotFor(h, { demand: [3, 10] })).toBe(1); // cpu dominant
    expect(slotFor(h, { demand: [1, 150] })).toBe(0); // mem dominant
    const byCpu = new PolicyHarness(spec, resolvePolicy('priority+worst-fit', { dimension: 'cpu' }));
    expect(slotFor(byCpu, { demand: [1, 150] })).toBe(2); // slot 1 lacks mem
  });

  it('counts free room, not capacity', () => {
    const h = new PolicyHarness(machines(['cpu'], [[10], [8]]), resolvePolicy('fifo+worst-fit'));
    h.occupy(0, [5]);
    expect(slotFor(h, { demand: [1] })).toBe(1);
  });
});

describe('random', () => {
  /** Draws `n` single-task placements on a cluster where even slots fit and odd ones do not. */
  function draws(seed: number, n: number, options: Record<string, unknown> = {}): number[] {
    const spec = machines(['cpu'], Array.from({ length: 10 }, (_, m) => [m % 2 === 0 ? 10 : 1]));
    const h = new PolicyHarness(spec, resolvePolicy('fifo+random', options), seed);
    return Array.from({ length: n }, () => slotFor(h, { demand: [5] }));
  }

  it.each([{}, { tries: 0 }, { tries: 1 }])('is uniform over fitting machines only (options %j)', (options) => {
    const n = 5000;
    const counts = new Map<number, number>();
    for (const m of draws(7, n, options)) counts.set(m, (counts.get(m) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([0, 2, 4, 6, 8]);
    // Expected n/5 = 1000 each, sd ≈ 28: ±10% is over 3.5 sd.
    for (const count of counts.values()) expect(Math.abs(count - n / 5)).toBeLessThan(n / 50);
  });

  it('is deterministic per seed and differs between seeds', () => {
    expect(draws(3, 200)).toEqual(draws(3, 200));
    expect(draws(3, 200)).not.toEqual(draws(4, 200));
  });

  it('places nothing when no machine fits', () => {
    const h = new PolicyHarness(machines(['cpu'], [[4], [4]]), resolvePolicy('fifo+random'));
    expect(slotFor(h, { demand: [5] })).toBe(-1);
  });
});

describe('queue orders', () => {
  /** One machine fitting one task at a time: the order tasks start in is the queue order. */
  function startOrder(policy: string, tasks: readonly TaskInput[]): string[] {
    const h = new PolicyHarness(machines(['cpu'], [[10]]), resolvePolicy(policy));
    for (const task of tasks) h.submit(task);
    const order: string[] = [];
    for (;;) {
      const placed = h.round();
      if (placed.length === 0) break;
      order.push(...placed.map((p) => p.id));
      for (const t of [...h.running]) h.finish(t);
    }
    return order;
  }
  const tasks: TaskInput[] = [
    { id: 'a0', demand: [10], priority: 0 },
    { id: 'b5', demand: [10], priority: 5 },
    { id: 'c1', demand: [10], priority: 1 },
    { id: 'd5', demand: [10], priority: 5 },
    { id: 'e-2', demand: [10], priority: -2 },
  ];

  it('fifo starts tasks in submission order, whatever their priority', () => {
    expect(startOrder('fifo+first-fit', tasks)).toEqual(['a0', 'b5', 'c1', 'd5', 'e-2']);
  });

  it('priority starts higher priorities first, submission order within a priority', () => {
    expect(startOrder('priority+first-fit', tasks)).toEqual(['b5', 'd5', 'c1', 'a0', 'e-2']);
  });

  it.each(['fifo', 'priority'])('%s sends a retried task to the back of its queue', (order) => {
    const h = new PolicyHarness(machines(['cpu'], [[10]]), resolvePolicy(`${order}+first-fit`));
    const [a, b] = [h.submit({ id: 'a', demand: [10] }), h.submit({ id: 'b', demand: [10] })];
    h.withdraw(a);
    h.resubmit(a);
    expect(h.round().map((p) => p.id)).toEqual([b.id]);
  });

  it.each(['fifo', 'priority'])('%s is greedy: a task that does not fit does not block later smaller ones', (order) => {
    const h = new PolicyHarness(machines(['cpu'], [[10]]), resolvePolicy(`${order}+best-fit`));
    const background = h.occupy(0, [5]);
    h.submit({ id: 'big', demand: [8], priority: 9 });
    h.submit({ id: 'small', demand: [3], priority: 0 });
    h.submit({ id: 'huge', demand: [11], priority: 9 });
    h.submit({ id: 'small2', demand: [2], priority: 0 });
    expect(h.round().map((p) => p.id)).toEqual(['small', 'small2']);
    h.finish(background);
    for (const t of [...h.running]) h.finish(t);
    expect(h.round().map((p) => p.id)).toEqual(['big']);
  });

  it.each(['fifo', 'priority'])('%s keeps its order across queue compaction', (order) => {
    const h = new PolicyHarness(machines(['cpu'], [[1]]), resolvePolicy(`${order}+first-fit`));
    const all: Task[] = [];
    for (let i = 0; i < 3000; i++) all.push(h.submit({ demand: [1], priority: i % 3 === 0 ? 1 : 0 }));
    for (const t of all) if (t.uid % 4 !== 0) h.withdraw(t);
    for (let i = 3000; i < 3100; i++) all.push(h.submit({ demand: [1], priority: 0 }));
    const live = all.filter((t) => t.state === 'waiting');
    const expected = (order === 'priority' ? [...live].sort((x, y) => y.priority - x.priority || x.uid - y.uid) : live).map((t) => t.id);
    const started: string[] = [];
    for (;;) {
      const placed = h.round();
      if (placed.length === 0) break;
      started.push(...placed.map((p) => p.id));
      for (const t of [...h.running]) h.finish(t);
    }
    expect(started).toEqual(expected);
  });

  it('fifo visits just the tasks added since a mark, in order, across compaction and re-adds', () => {
    const list = new FifoList();
    const tasks = Array.from({ length: 200 }, (_, uid) => ({ uid, id: `t${uid}` }) as unknown as TaskView);
    const ids = (visit: (v: (t: TaskView) => boolean) => void) => {
      const out: string[] = [];
      visit((t) => (out.push(t.id), true));
      return out;
    };
    for (const t of tasks.slice(0, 100)) list.add(t);
    const mark = list.mark();
    expect(ids((v) => list.visitAddedSince(mark, v))).toEqual([]);
    for (const t of tasks.slice(100, 150)) list.add(t);
    // removals squeeze the list when the next task is added; a re-added task counts as new
    for (const t of tasks.slice(0, 90)) list.remove(t);
    for (const t of tasks.slice(110, 140)) list.remove(t);
    list.add(tasks[95] as TaskView);
    list.add(tasks[150] as TaskView);
    expect(ids((v) => list.visitAddedSince(mark, v))).toEqual([...tasks.slice(100, 110), ...tasks.slice(140, 150), tasks[95], tasks[150]].map((t) => (t as TaskView).id));
    expect(ids((v) => list.visitAddedSince(list.mark(), v))).toEqual([]);
    const older: string[] = [];
    const newer = ids((v) => list.visitAddedSince(mark, v, (t) => (older.push(t.id), true)));
    expect([...older, ...newer]).toEqual(ids((v) => list.visit(v)));
    expect(older).toEqual(tasks.slice(90, 95).concat(tasks.slice(96, 100)).map((t) => t.id));
  });
});
