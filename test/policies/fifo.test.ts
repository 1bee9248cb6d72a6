// The fifo list against a plain array model, under random adds, removes, re-adds and visits (through compactions).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FifoList } from '../../policies/fifo.js';
import type { TaskView } from '../../src/model/task.js';

const UIDS = 120;

/** Tasks are told apart by uid; nothing else of them is read. */
const tasks: TaskView[] = Array.from({ length: UIDS }, (_, uid) => ({ uid }) as TaskView);

type Op =
  | { readonly op: 'add'; readonly uid: number }
  | { readonly op: 'remove'; readonly uid: number }
  | { readonly op: 'mark' }
  | { readonly op: 'visit'; readonly stopAt: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('add' as const), uid: fc.nat(UIDS - 1) }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('remove' as const), uid: fc.nat(UIDS - 1) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('mark' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('visit' as const), stopAt: fc.nat(UIDS) }) },
);

describe('FifoList', () => {
  it('keeps tasks in the order of their last add, whatever the holes and compactions', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 200, maxLength: 1500, size: 'max' }), (ops) => {
        const list = new FifoList();
        // the model: uids in order of their last add, and the add count at each
        let model: { uid: number; seq: number }[] = [];
        let added = 0;
        let mark = 0;
        for (const o of ops) {
          if (o.op === 'add') {
            model = model.filter((e) => e.uid !== o.uid);
            model.push({ uid: o.uid, seq: ++added });
            list.add(tasks[o.uid] as TaskView);
          } else if (o.op === 'remove') {
            model = model.filter((e) => e.uid !== o.uid);
            list.remove(tasks[o.uid] as TaskView);
          } else if (o.op === 'mark') {
            mark = list.mark();
            expect(mark).toBe(added);
          } else {
            // a visit that stops at the first uid ≥ stopAt, then the tasks added since the mark (older ones through `older`)
            const seen: number[] = [];
            list.visit((t) => (seen.push(t.uid), t.uid < o.stopAt));
            const expected: number[] = [];
            for (const e of model) {
              expected.push(e.uid);
              if (e.uid >= o.stopAt) break;
            }
            expect(seen).toEqual(expected);
            const older: number[] = [];
            const since: number[] = [];
            list.visitAddedSince(mark, (t) => (since.push(t.uid), true), (t) => (older.push(t.uid), true));
            expect(older).toEqual(model.filter((e) => e.seq <= mark).map((e) => e.uid));
            expect(since).toEqual(model.filter((e) => e.seq > mark).map((e) => e.uid));
          }
          expect(list.size).toBe(model.length);
          expect(list.first()?.uid).toBe(model[0]?.uid);
          const probe = model[Math.floor(model.length / 2)];
          if (probe !== undefined) expect(list.next(tasks[probe.uid] as TaskView)?.uid).toBe(model[model.indexOf(probe) + 1]?.uid);
          for (const uid of [0, UIDS - 1]) expect(list.has(tasks[uid] as TaskView)).toBe(model.some((e) => e.uid === uid));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('refills after a compaction and visits only live tasks', () => {
    const list = new FifoList();
    for (let uid = 0; uid < 100; uid++) list.add(tasks[uid] as TaskView);
    // 90 holes against 10 live tasks: the next visit compacts
    for (let uid = 0; uid < 90; uid++) list.remove(tasks[uid] as TaskView);
    const seen: number[] = [];
    list.visit((t) => (seen.push(t.uid), true));
    expect(seen).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
    for (let uid = 0; uid < 5; uid++) list.add(tasks[uid] as TaskView);
    seen.length = 0;
    list.visit((t) => (seen.push(t.uid), true));
    expect(seen).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 0, 1, 2, 3, 4]);
    expect(list.next(tasks[99] as TaskView)?.uid).toBe(0);
    expect(list.next(tasks[4] as TaskView)).toBeUndefined();
  });
});
