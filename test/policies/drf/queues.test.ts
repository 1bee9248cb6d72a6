// The linked-list task queues against plain arrays, under random operations.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TaskView } from '../../../src/model/task.js';
import { TaskQueues } from '../../../policies/drf/queues.js';

const QUEUES = 5;
const UIDS = 40;

function task(uid: number): TaskView {
  return { uid } as TaskView;
}

/** Queue `q`'s tasks by uid, oldest first, walking the links. */
function walk(queues: TaskQueues, q: number): number[] {
  const out: number[] = [];
  for (let e = queues.first(q); e !== 0; e = queues.next(e)) out.push(queues.task(e).uid);
  return out;
}

const queueOp = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('add' as const), q: fc.nat(QUEUES - 1), uid: fc.nat(UIDS - 1) }) },
  { weight: 4, arbitrary: fc.record({ op: fc.constant('remove' as const), uid: fc.nat(UIDS - 1) }) },
);

describe('TaskQueues', () => {
  it('keeps every queue in the order a plain array model does, and finds each task by uid', () => {
    fc.assert(
      fc.property(fc.array(queueOp, { maxLength: 300, size: 'max' }), (ops) => {
        const queues = new TaskQueues();
        const model: number[][] = Array.from({ length: QUEUES }, () => []);
        const tasks = Array.from({ length: UIDS }, (_, uid) => task(uid));
        for (const o of ops) {
          const held = model.findIndex((list) => list.includes(o.uid));
          if (held >= 0) model[held] = (model[held] as number[]).filter((u) => u !== o.uid);
          if (o.op === 'add') {
            (model[o.q] as number[]).push(o.uid);
            const e = queues.add(o.q, tasks[o.uid] as TaskView);
            expect(queues.find(o.uid)).toBe(e);
            expect(queues.queueOf(e)).toBe(o.q);
          } else {
            const e = queues.find(o.uid);
            expect(e !== 0).toBe(held >= 0);
            if (e !== 0) queues.remove(e);
            expect(queues.find(o.uid)).toBe(0);
          }
          for (let q = 0; q < QUEUES; q++) {
            expect(walk(queues, q)).toEqual(model[q]);
            expect(queues.size(q)).toBe((model[q] as number[]).length);
          }
        }
        for (let uid = 0; uid < UIDS; uid++) {
          const e = queues.find(uid);
          expect(e === 0 ? -1 : queues.queueOf(e)).toBe(model.findIndex((list) => list.includes(uid)));
        }
      }),
    );
  });

  it('reports empty queues it never saw', () => {
    const queues = new TaskQueues();
    expect(queues.first(1000)).toBe(0);
    expect(queues.size(1000)).toBe(0);
  });
});
