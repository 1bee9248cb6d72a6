// Tiny clusters and traces whose every output value is worked out by hand in the comments.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { arrowColumns } from '../helpers/arrow.js';
import { runScenario, type Scenario } from '../helpers/scenario.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs('hand');
const run = (s: Scenario) => runScenario(tempDir(), s);

const ONE_CPU4 = 'resources:\n  cpu: { unit: core }\ngroups:\n  - name: m\n    count: 1\n    capacity: { cpu: 4 }\n';
const HEADER = 'task_id,submit,duration,cpu\n';

describe('three tasks on one 4-cpu machine, fifo+first-fit', () => {
  // A (cpu 4, 10 s) and B (cpu 2, 10 s) at t=0, C (cpu 2, 5 s) at t=1.
  // t=0  A starts on m-0 (free 0); B waits.   t=1  C arrives and waits.
  // t=10 A ends; B and C start (free 0).      t=15 C ends.   t=20 B ends.
  //   A: wait 0, run 10, slowdown 1,          bounded max(1, 10/10) = 1
  //   B: wait 10, run 10, slowdown 20/10 = 2, bounded 20/10 = 2
  //   C: wait 9, run 5, slowdown 14/5 = 2.8,  bounded 14/10 = 1.4
  // makespan 20 - 0 = 20. Allocated cpu·s: 4×10 + 4×5 + 2×5 = 70 of 4×20 = 80 -> 0.875.
  // Events: 3 arrivals + 3 finishes + rounds at t=0, t=1 and t=10 (none at 15: nothing pending) = 9.
  const scenario: Scenario = {
    cluster: ONE_CPU4,
    trace: HEADER + 'A,0,10,4\nB,0,10,2\nC,1,5,2\n',
    policy: 'fifo+first-fit',
    sampleInterval: 5,
  };

  it('gives each task its exact start, end, wait and slowdowns', async () => {
    const r = await run(scenario);
    expect(r.tasks.map((t) => t['task_id'])).toEqual(['A', 'C', 'B']); // rows are written as tasks end
    expect(r.task('A')).toMatchObject({ state: 'finished', machine_id: 'm-0', submit_s: 0, start_s: 0, end_s: 10, wait_s: 0, run_s: 10, slowdown: 1, bounded_slowdown: 1 });
    expect(r.task('B')).toMatchObject({ state: 'finished', machine_id: 'm-0', submit_s: 0, start_s: 10, end_s: 20, wait_s: 10, run_s: 10, slowdown: 2, bounded_slowdown: 2 });
    expect(r.task('C')).toMatchObject({ state: 'finished', machine_id: 'm-0', submit_s: 1, start_s: 10, end_s: 15, wait_s: 9, run_s: 5, slowdown: 2.8, bounded_slowdown: 1.4 });
    // defaults of the optional trace columns
    expect(r.task('C')).toMatchObject({ job_id: 'C', tenant: 'default', attempt: 0, kind: 'batch', priority: 0, demand_cpu: 2 });
  });

  it('summarises makespan, waits, slowdowns, utilisation and counts', async () => {
    const { summary: s } = await run(scenario);
    expect(s).toMatchObject({ tasks: 3, finished: 3, killed: 0, preempted: 0, unschedulable: 0, running_at_end: 0, waiting_at_end: 0 });
    expect(s).toMatchObject({ start_s: 0, end_s: 20, makespan_s: 20, events: 9, tenants: 1, jain_fairness: 1 });
    // waits sorted [0, 9, 10]: mean 19/3; numpy linear p50 = 9, p95 at rank 1.9 = 9.9, p99 at 1.98 = 9.98
    expect(s['wait_mean_s']).toBeCloseTo(19 / 3, 12);
    expect(s['wait_p50_s']).toBe(9);
    expect(s['wait_p95_s']).toBeCloseTo(9.9, 12);
    expect(s['wait_p99_s']).toBeCloseTo(9.98, 12);
    // slowdowns [1, 2, 2.8]; bounded [1, 1.4, 2]
    expect(s['slowdown_mean']).toBeCloseTo(5.8 / 3, 12);
    expect(s['slowdown_p50']).toBe(2);
    expect(s['slowdown_p95']).toBeCloseTo(2 + 0.9 * 0.8, 12);
    expect(s['bounded_slowdown_mean']).toBeCloseTo(4.4 / 3, 12);
    expect(s['bounded_slowdown_p50']).toBeCloseTo(1.4, 12);
    expect(s['bounded_slowdown_p99']).toBeCloseTo(1.4 + 0.98 * 0.6, 12);
    expect(s['utilisation_cpu']).toBe(0.875);
    expect(s['utilisation_mean']).toBe(0.875);
  });

  it('leaves the slowdown of a zero-length run null, but not its bounded slowdown, and leaves it out of the slowdown summary only', async () => {
    // A (4 cpus) runs 0..10; Z (0 s) waits for it from 2, starts and ends at 10: wait 8, run 0
    const r = await run({ cluster: ONE_CPU4, trace: HEADER + 'A,0,10,4\nZ,2,0,1\n', policy: 'fifo+first-fit' });
    // bounded: max(1, (8 + 0) / max(0, 10)) = 1
    expect(r.task('Z')).toMatchObject({ state: 'finished', start_s: 10, end_s: 10, wait_s: 8, run_s: 0, slowdown: null, bounded_slowdown: 1 });
    // waits [0, 8]; slowdowns [1] (A only); bounded [1, 1]
    expect(r.summary).toMatchObject({ finished: 2, wait_mean_s: 4, slowdown_mean: 1, slowdown_p99: 1, bounded_slowdown_mean: 1 });
  });

  it('writes one machines.arrow row with busy, up and utilisation', async () => {
    const r = await run(scenario);
    // m-0 is up from the first submission (0) to the end (20) and busy all that time; 70 / (4 × 20)
    expect(r.machines).toEqual([{ machine_id: 'm-0', group: 'm', speed: 1, capacity_cpu: 4, added_s: 0, removed_s: null, up_s: 20, busy_s: 20, tasks_started: 3, utilisation_cpu: 0.875, energy_j: null, idle_energy_j: null, capped_s: null, throttled_s: null }]);
  });

  it('samples the state after each sample instant every 5 s from the first submission to the end', async () => {
    const r = await run(scenario);
    expect(arrowColumns(join(r.dir, 'timeseries.arrow'))).toEqual(['time_s', 'machines_up', 'running', 'pending', 'allocated_cpu', 'utilisation_cpu', 'machines_up_m']);
    expect(r.timeseries).toEqual([
      { time_s: 0, machines_up: 1, running: 1, pending: 1, allocated_cpu: 4, utilisation_cpu: 1, machines_up_m: 1 }, // A runs, B waits
      { time_s: 5, machines_up: 1, running: 1, pending: 2, allocated_cpu: 4, utilisation_cpu: 1, machines_up_m: 1 }, // C waits too
      { time_s: 10, machines_up: 1, running: 2, pending: 0, allocated_cpu: 4, utilisation_cpu: 1, machines_up_m: 1 }, // B and C started
      { time_s: 15, machines_up: 1, running: 1, pending: 0, allocated_cpu: 2, utilisation_cpu: 0.5, machines_up_m: 1 }, // C ended
      { time_s: 20, machines_up: 1, running: 0, pending: 0, allocated_cpu: 0, utilisation_cpu: 0, machines_up_m: 1 },
    ]);
  });
});

describe('machine speed', () => {
  const cluster = (speed: number) => `resources:\n  cpu: { unit: core }\ngroups:\n  - name: fast\n    count: 1\n    capacity: { cpu: 4 }\n    speed: ${speed}\n`;

  it('a 10 s task runs 5 s on a speed-2.0 machine', async () => {
    const r = await run({ cluster: cluster(2), trace: HEADER + 'T,3,10,1\n', policy: 'fifo+first-fit' });
    // start 3, run 10 / 2 = 5, end 8; slowdown 1; bounded max(1, 5/10) = 1; makespan 8 - 3 = 5
    expect(r.task('T')).toMatchObject({ start_s: 3, end_s: 8, run_s: 5, wait_s: 0, slowdown: 1, bounded_slowdown: 1 });
    expect(r.summary).toMatchObject({ start_s: 3, end_s: 8, makespan_s: 5, utilisation_cpu: 0.25 });
    expect(r.machine('fast-0')).toMatchObject({ speed: 2, up_s: 5, busy_s: 5, utilisation_cpu: 0.25 });
  });

  it('rounds the run time to the microsecond', async () => {
    // 10 s / 3 = 3.333333… s -> 3 333 333 µs
    const r = await run({ cluster: cluster(3), trace: HEADER + 'T,0,10,1\n', policy: 'fifo+first-fit' });
    expect(r.task('T')['end_s']).toBe(3.333333);
    expect(r.task('T')['run_s']).toBe(3.333333);
  });
});

describe('placement on a heterogeneous cluster', () => {
  // big-0 (cpu 8) is slot 0, small-0 (cpu 4) slot 1. A cpu-2 task leaves 6 free on big-0, 2 on small-0.
  const cluster = 'resources:\n  cpu: { unit: core }\ngroups:\n  - name: big\n    count: 1\n    capacity: { cpu: 8 }\n  - name: small\n    count: 1\n    capacity: { cpu: 4 }\n';
  const trace = HEADER + 'T,0,10,2\n';

  it('best-fit takes the tightest machine, worst-fit the roomiest, first-fit the first', async () => {
    expect((await run({ cluster, trace, policy: 'fifo+best-fit' })).task('T')['machine_id']).toBe('small-0');
    expect((await run({ cluster, trace, policy: 'fifo+worst-fit' })).task('T')['machine_id']).toBe('big-0');
    expect((await run({ cluster, trace, policy: 'fifo+first-fit' })).task('T')['machine_id']).toBe('big-0');
  });

  it('best-fit packs a second task beside the first, worst-fit spreads it', async () => {
    // U (cpu 2) at t=1 while T runs: best-fit -> small-0 again (2 free, the tightest that fits);
    // worst-fit -> T went to big-0 (6 left) vs small-0 (4): big-0 again. V (cpu 5) at t=2 fits only big-0.
    const three = trace + 'U,1,10,2\nV,2,10,5\n';
    const best = await run({ cluster, trace: three, policy: 'fifo+best-fit' });
    expect([best.task('T'), best.task('U'), best.task('V')].map((t) => t['machine_id'])).toEqual(['small-0', 'small-0', 'big-0']);
    expect(best.task('V')['wait_s']).toBe(0);
    const worst = await run({ cluster, trace: three, policy: 'fifo+worst-fit' });
    expect([worst.task('T'), worst.task('U'), worst.task('V')].map((t) => t['machine_id'])).toEqual(['big-0', 'big-0', 'big-0']);
    // under worst-fit big-0 has 4 free after T and U and small-0 has 4, so V (cpu 5) waits until T ends at 10
    expect(worst.task('V')).toMatchObject({ start_s: 10, wait_s: 8 });
  });
});

describe('queue order', () => {
  // X (cpu 4) fills the machine over [0, 10]; L (prio 0) arrives at 1, H (prio 5) at 2, both cpu 4, 10 s.
  const trace = 'task_id,submit,duration,cpu,priority\nX,0,10,4,0\nL,1,10,4,0\nH,2,10,4,5\n';

  it('fifo starts the earlier submission first', async () => {
    const r = await run({ cluster: ONE_CPU4, trace, policy: 'fifo+first-fit' });
    expect(r.task('L')).toMatchObject({ start_s: 10, wait_s: 9 });
    expect(r.task('H')).toMatchObject({ start_s: 20, wait_s: 18, priority: 5 });
  });

  it('priority starts the higher priority first', async () => {
    const r = await run({ cluster: ONE_CPU4, trace, policy: 'priority+first-fit' });
    expect(r.task('H')).toMatchObject({ start_s: 10, wait_s: 8 });
    expect(r.task('L')).toMatchObject({ start_s: 20, wait_s: 19 });
    expect(r.summary['makespan_s']).toBe(30);
  });
});

describe('unschedulable tasks', () => {
  const cluster = 'resources:\n  cpu: { unit: core }\ngroups:\n  - name: m\n    count: 2\n    capacity: { cpu: 4 }\n    attributes: { zone: a }\n';
  // Big needs 8 cpus (every machine has 4); Zb needs zone b; NotA needs zone != a; Ok runs 0..5.
  const trace = 'task_id,submit,duration,cpu,constraints\nBig,0,5,8,\nZb,0,5,1,zone=b\nNotA,1,5,1,zone!=a\nOk,1,5,1,zone=a|b\n';

  it('are reported at arrival with null machine, start and end, and counted in the summary', async () => {
    const r = await run({ cluster, trace, policy: 'fifo+first-fit' });
    for (const id of ['Big', 'Zb', 'NotA']) {
      expect(r.task(id)).toMatchObject({ state: 'unschedulable', machine_id: null, start_s: null, end_s: null, wait_s: null, run_s: null, slowdown: null, bounded_slowdown: null });
    }
    expect(r.task('Ok')).toMatchObject({ state: 'finished', machine_id: 'm-0', start_s: 1, end_s: 6 });
    // accounting starts at the first submission (0) even though that task never ran
    expect(r.summary).toMatchObject({ tasks: 4, finished: 1, unschedulable: 3, waiting_at_end: 0, start_s: 0, end_s: 6, makespan_s: 6, wait_mean_s: 0 });
    // 1 cpu × 5 s of 8 cpus × 6 s
    expect(r.summary['utilisation_cpu']).toBeCloseTo(5 / 48, 15);
  });
});

describe('end of the run', () => {
  it('a service (empty duration) is still running at the end, with a null end', async () => {
    // S (cpu 1) runs from 0 forever; B (cpu 2) runs 0..10. The run ends with the last event, at 10.
    const r = await run({ cluster: ONE_CPU4, trace: HEADER + 'S,0,,1\nB,0,10,2\n', policy: 'fifo+first-fit' });
    expect(r.task('S')).toMatchObject({ state: 'running', kind: 'service', machine_id: 'm-0', start_s: 0, end_s: null, wait_s: 0, run_s: null, slowdown: null, bounded_slowdown: null });
    expect(r.task('B')).toMatchObject({ state: 'finished', end_s: 10 });
    // allocated 1 × 10 + 2 × 10 = 30 of 4 × 10
    expect(r.summary).toMatchObject({ tasks: 2, finished: 1, running_at_end: 1, end_s: 10, makespan_s: 10, utilisation_cpu: 0.75 });
    expect(r.summary['slowdown_mean']).toBe(1);
  });

  it('a horizon stops the run and reports what is still running and waiting', async () => {
    // A 0..10; B (submitted 1) starts at 10 and would end at 20; C (submitted 12) waits; D (submitted 16)
    // arrives after the horizon at 15 and is never admitted. Samples every 5 s: 0, 5, 10, 15.
    const r = await run({ cluster: ONE_CPU4, trace: HEADER + 'A,0,10,4\nB,1,10,4\nC,12,10,4\nD,16,1,1\n', policy: 'fifo+first-fit', horizon: 15, sampleInterval: 5 });
    expect(r.tasks.map((t) => t['task_id']).sort()).toEqual(['A', 'B', 'C']);
    expect(r.task('A')).toMatchObject({ state: 'finished', end_s: 10 });
    expect(r.task('B')).toMatchObject({ state: 'running', start_s: 10, end_s: null, wait_s: 9, run_s: null });
    expect(r.task('C')).toMatchObject({ state: 'waiting', machine_id: null, start_s: null, wait_s: null });
    // waits counted only for tasks that started: A 0, B 9. The cpu is fully allocated all 15 s.
    expect(r.summary).toMatchObject({ tasks: 3, finished: 1, running_at_end: 1, waiting_at_end: 1, end_s: 15, makespan_s: 10, wait_mean_s: 4.5, utilisation_cpu: 1 });
    expect(r.machine('m-0')).toMatchObject({ up_s: 15, busy_s: 15, tasks_started: 2, utilisation_cpu: 1 });
    expect(r.timeseries.map((row) => [row['time_s'], row['running'], row['pending']])).toEqual([
      [0, 1, 0],
      [5, 1, 1],
      [10, 1, 0],
      [15, 1, 1],
    ]);
  });
});

describe('per-machine accounting', () => {
  // big-0: cpu 4, speed 1; small-0: cpu 2, speed 2. fifo+first-fit.
  // A (cpu 4, 10 s, t=0) -> big-0 over [0, 10].  B (cpu 2, 10 s, t=0) -> small-0, runs 10/2 = 5 s: [0, 5].
  // C (cpu 2, 6 s, t=2): both full; at 5 B ends and C starts on small-0, runs 3 s: [5, 8]. The run ends at 10.
  //   big-0:   up 10, busy 10, 1 start, utilisation 4×10 / (4×10) = 1
  //   small-0: up 10, busy 5 + 3 = 8, 2 starts, utilisation 2×8 / (2×10) = 0.8
  //   cluster: (40 + 16) / (6 × 10) = 56/60.  C: wait 3, run 3, slowdown 6/3 = 2, bounded max(1, 6/10) = 1.
  const cluster = 'resources:\n  cpu: { unit: core }\ngroups:\n  - name: big\n    count: 1\n    capacity: { cpu: 4 }\n  - name: small\n    count: 1\n    capacity: { cpu: 2 }\n    speed: 2\n';

  it('gives busy_s, up_s, tasks_started and utilisation per machine', async () => {
    const r = await run({ cluster, trace: HEADER + 'A,0,10,4\nB,0,10,2\nC,2,6,2\n', policy: 'fifo+first-fit' });
    expect(r.machines).toEqual([
      { machine_id: 'big-0', group: 'big', speed: 1, capacity_cpu: 4, added_s: 0, removed_s: null, up_s: 10, busy_s: 10, tasks_started: 1, utilisation_cpu: 1, energy_j: null, idle_energy_j: null, capped_s: null, throttled_s: null },
      { machine_id: 'small-0', group: 'small', speed: 2, capacity_cpu: 2, added_s: 0, removed_s: null, up_s: 10, busy_s: 8, tasks_started: 2, utilisation_cpu: 0.8, energy_j: null, idle_energy_j: null, capped_s: null, throttled_s: null },
    ]);
    expect(r.task('B')).toMatchObject({ machine_id: 'small-0', end_s: 5, run_s: 5, slowdown: 1 });
    expect(r.task('C')).toMatchObject({ machine_id: 'small-0', start_s: 5, end_s: 8, wait_s: 3, run_s: 3, slowdown: 2, bounded_slowdown: 1 });
    expect(r.summary['utilisation_cpu']).toBeCloseTo(56 / 60, 15);
    expect(r.summary['makespan_s']).toBe(10);
  });

  it('leaves utilisation null for a dimension a machine has none of', async () => {
    const twoDims = 'resources:\n  cpu: { unit: core }\n  gpu: { unit: card }\ngroups:\n  - name: m\n    count: 1\n    capacity: { cpu: 4 }\n';
    const r = await run({ cluster: twoDims, trace: 'task_id,submit,duration,cpu,gpu\nT,0,10,2,0\n', policy: 'fifo+first-fit' });
    expect(r.machine('m-0')).toMatchObject({ capacity_gpu: 0, utilisation_cpu: 0.5, utilisation_gpu: null });
    expect(r.summary).toMatchObject({ utilisation_cpu: 0.5, utilisation_gpu: null, utilisation_mean: 0.5 });
  });
});

describe('fairness across tenants', () => {
  it("is Jain's index over time-averaged dominant shares", async () => {
    // x: cpu 4 of 4 over [0, 10] -> share 1 for 10 of 20 s = 0.5.  y: cpu 2 waits, runs [10, 20] -> 0.5 × 10/20 = 0.25.
    // Jain = (0.5 + 0.25)² / (2 × (0.25 + 0.0625)) = 0.5625 / 0.625 = 0.9
    const r = await run({ cluster: ONE_CPU4, trace: 'task_id,submit,duration,cpu,tenant\nX,0,10,4,x\nY,0,10,2,y\n', policy: 'fifo+first-fit' });
    expect(r.summary['tenants']).toBe(2);
    expect(r.summary['jain_fairness']).toBeCloseTo(0.9, 12);
  });
});
