// PlacedTasks against a Map: the fenzo placement's running tasks and their machines.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PlacedTasks } from '../../../policies/fenzo/placed-tasks.js';
import type { TaskView } from '../../../src/model/task.js';

const task = (uid: number) => ({ uid }) as TaskView;

describe('PlacedTasks', () => {
  it('agrees with a Map through adds and removes in any order', () => {
    const op = fc.record({ add: fc.boolean(), uid: fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 3000 })), m: fc.integer({ min: 0, max: 50 }) });
    fc.assert(
      fc.property(fc.array(op, { minLength: 50, maxLength: 400, size: 'max' }), (ops) => {
        const placed = new PlacedTasks();
        const model = new Map<number, number>();
        const tasks = new Map<number, TaskView>();
        for (const o of ops) {
          const t = tasks.get(o.uid) ?? task(o.uid);
          tasks.set(o.uid, t);
          if (o.add && !model.has(o.uid)) {
            placed.add(t, o.m);
            model.set(o.uid, o.m);
          } else if (!o.add) {
            expect(placed.remove(t)).toBe(model.get(o.uid) ?? -1);
            model.delete(o.uid);
          }
        }
        const listed = new Map<number, number>();
        placed.forEach((t, m) => listed.set(t.uid, m));
        expect([...listed].sort((a, b) => a[0] - b[0])).toEqual([...model].sort((a, b) => a[0] - b[0]));
      }),
      { numRuns: 200 },
    );
  });
});
