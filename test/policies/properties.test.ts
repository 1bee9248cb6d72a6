// Property tests: conservation and accounting laws of whole simulated runs, for every registered policy.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { policyNames, resolvePolicy } from '../../policies/index.js';
import type { Simulation } from '../../src/experiment/simulation.js';
import { satisfies } from '../../src/model/constraints.js';
import type { Task } from '../../src/model/task.js';
import { arbScenario, canEverRun, simulate, type Instrumented } from '../helpers/policy-fixtures.js';
import { CONFIGURED } from './conformance.js';

function check(condition: boolean, message: () => string): void {
  if (!condition) throw new Error(message());
}

/** Resource conservation after an event: free + demand of running tasks = capacity, totals agree. */
function conservation(sim: Simulation, run: Instrumented): void {
  const c = sim.cluster;
  const dims = c.dims;
  const used = new Float64Array(c.size * dims);
  const count = new Int32Array(c.size);
  const total = new Float64Array(dims);
  let running = 0;
  for (const task of run.placed) {
    if (task.state !== 'running') continue;
    running++;
    count[task.machine] = (count[task.machine] as number) + 1;
    for (let d = 0; d < dims; d++) {
      used[task.machine * dims + d] = (used[task.machine * dims + d] as number) + (task.demand[d] as number);
      total[d] = (total[d] as number) + (task.demand[d] as number);
    }
  }
  const at = `at ${sim.now} µs`;
  for (let i = 0; i < used.length; i++) {
    const free = c.free[i] as number;
    check(free >= 0, () => `${at}: slot ${Math.floor(i / dims)} dim ${i % dims} has free ${free}`);
    check(free + (used[i] as number) === c.capacity[i], () => `${at}: slot ${Math.floor(i / dims)} dim ${i % dims}: free ${free} + running demand ${used[i]} ≠ capacity ${c.capacity[i]}`);
  }
  for (let d = 0; d < dims; d++) check(c.allocated[d] === total[d], () => `${at}: cluster.allocated[${d}] = ${c.allocated[d]}, running tasks hold ${total[d]}`);
  for (let m = 0; m < c.size; m++) check(c.running[m] === count[m], () => `${at}: slot ${m} counts ${c.running[m]} running tasks, ${count[m]} run there`);
  check(sim.running === running, () => `${at}: sim.running ${sim.running}, tasks running ${running}`);
  check(sim.pending === run.waiting.size, () => `${at}: sim.pending ${sim.pending}, the scheduler holds ${run.waiting.size} pending tasks`);
}

const STATES = new Set(['finished', 'unschedulable', 'running', 'waiting']);

const RUNS = [...policyNames().map((name) => [name, {}] as const), ...CONFIGURED];

describe.each(RUNS)('%s %j over generated clusters and workloads', (name, options) => {
  it('conserves resources after every event and reports every task once, consistently', async () => {
    await fc.assert(
      fc.asyncProperty(arbScenario(40), fc.nat({ max: 10_000 }), async ({ spec, tasks, chunkSize }, seed) => {
        const { sim, ended } = await simulate(spec, tasks, resolvePolicy(name, options), { seed, chunkSize, afterEvent: conservation });
        const byId = new Map<string, Task>();
        for (const task of ended) {
          expect(byId.has(task.id), `task ${task.id} reported twice`).toBe(false);
          byId.set(task.id, task);
        }
        expect([...byId.keys()].sort()).toEqual(tasks.map((t) => t.id).sort());
        const stillRunning = ended.filter((t) => t.state === 'running');
        for (const spec_ of tasks) {
          const task = byId.get(spec_.id) as Task;
          const what = `task ${task.id} (${task.state})`;
          expect(STATES.has(task.state), what).toBe(true);
          expect(task.state === 'unschedulable', what).toBe(!canEverRun(spec, spec_));
          if (task.state === 'unschedulable' || task.state === 'waiting') {
            expect([task.machine, task.start, task.end], what).toEqual([-1, -1, -1]);
            continue;
          }
          expect(task.start, what).toBeGreaterThanOrEqual(task.submit);
          expect(satisfies(sim.cluster.attributes[task.machine] ?? {}, task.constraints), what).toBe(true);
          if (task.state === 'finished') {
            expect(task.duration, what).not.toBeNull();
            expect(task.end - task.start, what).toBe(Math.round((task.duration as number) / (sim.cluster.speed[task.machine] as number)));
          } else {
            expect(task.duration, `${what}: only services run to the end`).toBeNull();
            expect(task.end, what).toBe(-1);
          }
        }
        const waiting = ended.filter((t) => t.state === 'waiting');
        expect(waiting.length === 0 || stillRunning.length > 0, `${waiting.length} tasks left waiting on an idle cluster`).toBe(true);
        expect(sim.pending).toBe(waiting.length);
        expect(sim.running).toBe(stillRunning.length);
      }),
      { numRuns: 100 },
    );
  });
});
