// TaskView.tenantIndex: the simulation's dense tenant number, as policies see it.
import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../policies/index.js';
import { makeTask } from '../../src/model/task.js';
import type { Policy } from '../../src/policy.js';
import { clusterSpec, simulate, taskSpec, wrapPolicy } from '../helpers/policy-fixtures.js';

/** `inner`, noting (task id, tenant number) for every task it is given. */
function noting(inner: Policy, seen: string[]): Policy {
  return wrapPolicy(inner, (ctx) => {
    const scheduler = inner.create(ctx);
    return { ...scheduler, submitted: (task) => (seen.push(`${task.id}#${task.attempt}:${task.tenantIndex}`), scheduler.submitted(task)) };
  });
}

describe('TaskView.tenantIndex', () => {
  it('numbers tenants 0, 1, … in order of first admission, the same for every task and attempt of a tenant', async () => {
    // one machine of 1 cpu: t0 (b) runs, the rest wait; the machine goes away at 1 s, killing
    // t0, whose second attempt keeps its tenant number
    const spec = clusterSpec(['cpu'], [{ count: 1, capacity: [1] }]);
    const tasks = [
      taskSpec({ submit: 0, duration: 5_000_000, demand: [1], tenant: 'b' }, 't0'),
      taskSpec({ submit: 0, demand: [1], tenant: 'a/x' }, 't1'),
      taskSpec({ submit: 0, demand: [1], tenant: 'b' }, 't2'),
      taskSpec({ submit: 0, demand: [1], tenant: 'c' }, 't3'),
      taskSpec({ submit: 0, demand: [1], tenant: 'a/x' }, 't4'),
    ];
    const seen: string[] = [];
    await simulate(spec, tasks, noting(resolvePolicy('fifo+first-fit'), seen), { maxAttempts: 2, machineEvents: [{ time: 1_000_000, kind: 'remove', id: 'g0-0' }] });
    expect(seen).toEqual(['t0#0:0', 't1#0:1', 't2#0:0', 't3#0:2', 't4#0:1', 't0#1:0']);
  });

  it('is -1 for a task the simulation has not admitted', () => {
    expect(makeTask(taskSpec({ submit: 0, demand: [1], tenant: 'a' }, 't'), 0).tenantIndex).toBe(-1);
  });
});
