// The shortfall evaluator's clones as a cluster view: free-ordered fits on machines that only lose room.
import { describe, expect, it } from 'vitest';
import { NONE, parseConstraints } from '../../../src/model/constraints.js';
import type { TaskView } from '../../../src/model/task.js';
import { PseudoView } from '../../../policies/fenzo/pseudo-view.js';

const resources = { names: ['cpu', 'mem'], units: ['u', 'u'] };
const task = (cpu: number, mem: number, constraints = NONE): TaskView => ({ demand: Float64Array.of(cpu, mem), constraints }) as unknown as TaskView;

describe('PseudoView.fitByFree', () => {
  it('walks clones by free room, ties to the lowest slot, and finds none when nothing has room', () => {
    const view = new PseudoView(0, resources, Float64Array.of(8, 16), { zone: 'a' }, 'g', 4);
    view.allocate(task(5, 2), 1); // clone 1: 3 cpu, 14 mem left
    view.allocate(task(2, 12), 2); // clone 2: 6 cpu, 4 mem left
    // best-fit on cpu for 3: clone 1 (3 left) beats clone 2 (6) and the untouched 0 and 3 (8)
    expect(view.fitByFree(task(3, 1), 0, 'up')).toBe(1);
    // mem 5 rules out clone 2; clone 1 is still the tightest on cpu
    expect(view.fitByFree(task(3, 5), 0, 'up')).toBe(1);
    // worst-fit on cpu: the untouched clones tie at 8, the lower slot wins
    expect(view.fitByFree(task(3, 1), 0, 'down')).toBe(0);
    // best-fit on mem for 4: clone 2 has exactly 4
    expect(view.fitByFree(task(1, 4), 1, 'up')).toBe(2);
    expect(view.fitByFree(task(9, 1), 0, 'up')).toBe(-1);
    expect(view.fitByFree(task(1, 1, parseConstraints('zone=b')), 0, 'up')).toBe(-1);
    expect(view.fitByFree(task(1, 1, parseConstraints('zone=a')), 0, 'up')).toBe(1);
  });
});
