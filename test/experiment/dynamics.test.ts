// Machines that change during a run: controllers, trace machine events, kills and retries, speed changes, interval rounds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { policyNames, resolvePolicy, type ControllerSetup } from '../../policies/index.js';
import type { Micros } from '../../src/engine/time.js';
import type { Simulation } from '../../src/experiment/simulation.js';
import type { Task } from '../../src/model/task.js';
import type { ControllerContext, EventRecord, Policy } from '../../src/policy.js';
import type { MachineEvent } from '../../src/traces/source.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { runScenario } from '../helpers/scenario.js';
import { arbScenario, clusterSpec, machines, simulate, taskSpec, type TaskInput, wrapPolicy } from '../helpers/policy-fixtures.js';

const S = 1_000_000;

/** A controller that runs `script(tick number, ctx)` every `interval` µs from the first submission. */
function scripted(interval: Micros, script: (tick: number, ctx: ControllerContext) => void): ControllerSetup {
  return {
    name: 'scripted',
    options: {},
    factory: {
      description: 'test script',
      options: {},
      interval: () => interval,
      create(ctx) {
        let tick = 0;
        return { tick: () => script(tick++, ctx) };
      },
    },
  };
}

/** `inner` with its rounds on an interval, and a hook into its context. */
function onInterval(inner: Policy, roundInterval: Micros, onSubmit?: (ctx: { now: Micros; wakeAt(t: Micros): void }) => void): Policy {
  return wrapPolicy(inner, (ctx) => {
    const s = inner.create(ctx);
    return {
      roundInterval,
      submitted: (t) => {
        s.submitted(t);
        onSubmit?.({ now: ctx.view.now, wakeAt: (time) => ctx.wakeAt(time) });
      },
      removed: (t) => s.removed(t),
      schedule: (out) => s.schedule(out),
    };
  });
}

const tasks = (inputs: TaskInput[]) => inputs.map((t, i) => taskSpec(t, `t${i}`));
const row = (t: Task) => ({ id: t.id, attempt: t.attempt, state: t.state, machine: t.machine, submit: t.submit, start: t.start, end: t.end });

async function run(spec: Parameters<typeof simulate>[0], inputs: TaskInput[], options: Parameters<typeof simulate>[3] & { policy?: Policy } = {}) {
  const events: { time: number; kind: string; machine: number; value: number | undefined }[] = [];
  const result = await simulate(spec, tasks(inputs), options.policy ?? resolvePolicy('fifo+first-fit'), {
    ...options,
    onEvent: (e: EventRecord, sim: Simulation) => events.push({ time: sim.now, kind: e.kind, machine: e.machine ?? -1, value: e.value }),
  });
  return { ...result, events, rows: result.ended.map(row) };
}

describe('speed changes', () => {
  it('keep the remaining work of running tasks: a 30 s task sped up ×2 after 10 s ends at 20 s', async () => {
    const r = await run(machines(['cpu'], [[4]]), [{ id: 'A', demand: [1], duration: 30 * S }], {
      controllers: [scripted(10 * S, (tick, ctx) => tick === 1 && ctx.control.setSpeed(0, 2))],
    });
    // 10 s of work done at speed 1, the other 20 s of work at speed 2 take 10 s
    expect(r.rows).toEqual([{ id: 'A', attempt: 0, state: 'finished', machine: 0, submit: 0, start: 0, end: 20 * S }]);
    expect(r.events).toEqual([{ time: 10 * S, kind: 'machine-speed', machine: 0, value: 2 }]);
    expect(r.sim.end).toBe(20 * S);
  });

  it('stretch a task when the machine slows down, rounding to the microsecond', async () => {
    const r = await run(machines(['cpu'], [[4]]), [{ id: 'A', demand: [1], duration: 10 * S }], {
      controllers: [scripted(S, (tick, ctx) => tick === 4 && ctx.control.setSpeed(0, 3))],
    });
    // 4 s done; 6 s of work at speed 1/3... speed 3 -> 2 s: ends at 6 s
    expect(r.rows[0]?.end).toBe(6 * S);
  });
});

describe('machines going down', () => {
  const spec = machines(['cpu'], [[1], [1]]);
  const down = scripted(10 * S, (tick, ctx) => {
    if (tick === 1) ctx.control.takeDown(0);
    if (tick === 2) ctx.control.bringUp(0, 5 * S);
  });

  it('kill their tasks, which are retried on other machines while attempts remain', async () => {
    const r = await run(spec, [{ id: 'A', demand: [1], duration: 30 * S }], { controllers: [down], maxAttempts: 2 });
    expect(r.rows).toEqual([
      { id: 'A', attempt: 0, state: 'killed', machine: 0, submit: 0, start: 0, end: 10 * S },
      // the killed attempt's finish (at 30 s) is stale and must not end this one
      { id: 'A', attempt: 1, state: 'finished', machine: 1, submit: 10 * S, start: 10 * S, end: 40 * S },
    ]);
    expect(r.events.map((e) => [e.time / S, e.kind, e.machine])).toEqual([
      [10, 'machine-down', 0],
      [25, 'machine-up', 0],
    ]);
  });

  it('end the task for good when no attempts remain', async () => {
    const r = await run(spec, [{ id: 'A', demand: [1], duration: 30 * S }], { controllers: [down] });
    expect(r.rows).toEqual([{ id: 'A', attempt: 0, state: 'killed', machine: 0, submit: 0, start: 0, end: 10 * S }]);
  });
});

describe('machines added by a controller', () => {
  const spec = clusterSpec(['cpu'], [
    { name: 'a', count: 1, capacity: [1] },
    { name: 'b', count: 0, capacity: [2] },
  ]);

  it('join after their delay; a task only an empty group can hold waits for them instead of being unschedulable', async () => {
    const r = await run(spec, [{ id: 'A', demand: [1], duration: 10 * S }, { id: 'B', demand: [2], duration: 10 * S }], {
      controllers: [
        scripted(10 * S, (tick, ctx) => {
          if (tick === 0) expect(ctx.control.addMachine('b', 5 * S)).toBe(1);
          if (tick === 1) ctx.control.removeMachine(0);
        }),
      ],
    });
    expect(r.rows).toEqual([
      { id: 'A', attempt: 0, state: 'finished', machine: 0, submit: 0, start: 0, end: 10 * S },
      { id: 'B', attempt: 0, state: 'finished', machine: 1, submit: 0, start: 5 * S, end: 15 * S },
    ]);
    expect(r.sim.cluster.ids).toEqual(['a-0', 'b-0']);
    expect(r.sim.addedAt).toEqual([0, 5 * S]);
    expect(r.sim.removedAt).toEqual([10 * S, -1]);
    expect(r.events.map((e) => [e.time / S, e.kind, e.machine])).toEqual([
      [0, 'machine-add', 1],
      [5, 'machine-up', 1],
      [10, 'machine-remove', 0],
    ]);
  });

  it('without controllers that task is unschedulable', async () => {
    const r = await run(spec, [{ id: 'B', demand: [2], duration: 10 * S }]);
    expect(r.rows[0]?.state).toBe('unschedulable');
  });

  it('a run whose waiting tasks nothing can help ends one period of the slowest timer after the last change', async () => {
    const r = await run(spec, [{ id: 'B', demand: [3], duration: 10 * S, submit: 2 * S }], { controllers: [scripted(10 * S, () => {})] });
    // demand 3 fits no group of the spec, so no controller can ever make room for it
    expect(r.rows[0]?.state).toBe('unschedulable');
    const waiting = await run(spec, [{ id: 'B', demand: [2], duration: 10 * S, submit: 2 * S }], { controllers: [scripted(10 * S, () => {})] });
    expect(waiting.rows).toEqual([{ id: 'B', attempt: 0, state: 'waiting', machine: -1, submit: 2 * S, start: -1, end: -1 }]);
    expect(waiting.sim.end).toBe(12 * S);
  });
});

describe('outputs of a run with machine changes', () => {
  const makeDirs = useTempDirs('dynamics');

  it('events.arrow, per-group machine counts in timeseries.arrow and lifetimes in machines.arrow', async () => {
    const r = await runScenario(makeDirs(), {
      cluster: 'resources:\n  cpu: { unit: core }\ngroups:\n  - name: a\n    count: 1\n    capacity: { cpu: 1 }\n  - name: b\n    count: 0\n    capacity: { cpu: 2 }\n',
      trace: 'task_id,submit,duration,cpu\nA,0,20,1\n',
      policy: 'fifo+first-fit',
      sampleInterval: 5,
      controllers: [
        scripted(10 * S, (tick, ctx) => {
          if (tick === 0) ctx.control.addMachine('b', 5 * S);
          if (tick === 1) ctx.control.takeDown(0);
        }),
      ],
      maxAttempts: 2,
    });
    expect(r.events).toEqual([
      { time_s: 0, kind: 'machine-add', machine_id: 'b-0', task_id: null, attempt: null, detail: null, value: 5 },
      { time_s: 5, kind: 'machine-up', machine_id: 'b-0', task_id: null, attempt: null, detail: null, value: null },
      { time_s: 10, kind: 'machine-down', machine_id: 'a-0', task_id: null, attempt: null, detail: null, value: null },
    ]);
    // A is killed on a-0 at 10 s and its second attempt runs 20 s on b-0
    expect(r.tasks.map((t) => [t['attempt'], t['state'], t['machine_id'], t['start_s'], t['end_s']])).toEqual([
      [0, 'killed', 'a-0', 0, 10],
      [1, 'finished', 'b-0', 10, 30],
    ]);
    expect(r.timeseries.map((t) => [t['time_s'], t['machines_up_a'], t['machines_up_b']])).toEqual([
      [0, 1, 0],
      [5, 1, 1],
      [10, 0, 1],
      [15, 0, 1],
      [20, 0, 1],
      [25, 0, 1],
      [30, 0, 1],
    ]);
    expect(r.machines.map((m) => [m['machine_id'], m['group'], m['added_s'], m['removed_s'], m['up_s'], m['busy_s']])).toEqual([
      ['a-0', 'a', 0, null, 10, 10],
      ['b-0', 'b', 5, null, 25, 20],
    ]);
    expect(r.summary['killed']).toBe(1);
    expect(r.summary['finished']).toBe(1);
  });
});

describe('trace machine events', () => {
  const events: MachineEvent[] = [
    { time: 0, kind: 'add', id: 'x', capacity: Float64Array.of(4) },
    { time: 1 * S, kind: 'remove', id: 'never-seen' },
    { time: 5 * S, kind: 'update', id: 'x', capacity: Float64Array.of(2), attributes: { zone: 'b' } },
    { time: 8 * S, kind: 'remove', id: 'x' },
  ];

  it('add, update and remove machines; a shrunk machine kills what no longer fits', async () => {
    const r = await run(machines(['cpu'], [[1]]), [{ id: 'T', demand: [4], duration: 100 * S, submit: S }], { machineEvents: events, maxAttempts: 2 });
    expect(r.rows).toEqual([
      { id: 'T', attempt: 0, state: 'killed', machine: 1, submit: S, start: S, end: 5 * S },
      { id: 'T', attempt: 1, state: 'waiting', machine: -1, submit: 5 * S, start: -1, end: -1 },
    ]);
    expect(r.sim.cluster.ids).toEqual(['m0-0', 'x']);
    expect(r.sim.cluster.groupNames).toEqual(['m0', 'trace']);
    expect(r.sim.cluster.attributes[1]).toEqual({ zone: 'b' });
    expect(r.sim.removedAt).toEqual([-1, 8 * S]);
    expect(r.events.map((e) => [e.time / S, e.kind, e.machine])).toEqual([
      [0, 'machine-add', 1],
      [0, 'machine-up', 1],
      [5, 'machine-update', 1],
      [8, 'machine-remove', 1],
    ]);
    expect(r.sim.end).toBe(8 * S);
  });

  it('must come in time order', async () => {
    const bad: MachineEvent[] = [{ time: 5 * S, kind: 'add', id: 'x', capacity: Float64Array.of(1) }, { time: 4 * S, kind: 'remove', id: 'x' }];
    await expect(run(machines(['cpu'], [[1]]), [], { machineEvents: bad })).rejects.toThrow(/machine events must be in time order/);
  });
});

describe('interval rounds', () => {
  it('place tasks only on ticks from the first submission', async () => {
    const r = await run(machines(['cpu'], [[1]]), [{ id: 'A', demand: [1], duration: S, submit: S / 2 }, { id: 'B', demand: [1], duration: S, submit: 0.7 * S }], {
      policy: onInterval(resolvePolicy('fifo+first-fit'), S),
    });
    // ticks at 0.5, 1.5, 2.5: A starts on the first; B waits for A's machine and the next tick
    expect(r.rows.map((t) => [t.id, t.start / S, t.end / S])).toEqual([
      ['A', 0.5, 1.5],
      ['B', 1.5, 2.5],
    ]);
    expect(r.sim.end).toBe(2.5 * S);
  });

  it('also run when the policy asked to be woken', async () => {
    // B's submission (not A's) asks for a round 2 s later, long before the next tick at 11 s
    const policy = onInterval(resolvePolicy('fifo+first-fit'), 10 * S, (ctx) => ctx.now > S && ctx.wakeAt(ctx.now + 2 * S));
    const r = await run(machines(['cpu'], [[2]]), [{ id: 'A', demand: [1], duration: S, submit: S }, { id: 'B', demand: [1], duration: S, submit: 3 * S }], { policy });
    expect(r.rows.map((t) => [t.id, t.start / S])).toEqual([
      ['A', 1],
      ['B', 5],
    ]);
  });
});

describe('the end of a run with only timers left', () => {
  it('still runs the round a wake asked for at the instant the quiet period runs out', async () => {
    // the round at 0 s places nothing and asks to be woken at 2 s, when the next tick falls and 2 s
    // (one period) have passed without a change: the woken round must still run and place A
    const inner = resolvePolicy('fifo+first-fit');
    const policy: Policy = {
      name: 'late',
      options: {},
      create(ctx) {
        const s = inner.create(ctx);
        return {
          roundInterval: 2 * S,
          submitted: (t) => s.submitted(t),
          removed: (t) => s.removed(t),
          schedule: (out) => (ctx.view.now < 2 * S ? ctx.wakeAt(2 * S) : s.schedule(out)),
        };
      },
    };
    const r = await run(machines(['cpu'], [[1]]), [{ id: 'A', demand: [1], duration: S }], { policy });
    expect(r.rows.map((t) => [t.id, t.state, t.start / S])).toEqual([['A', 'finished', 2]]);
  });
});

describe('conservation under machine churn, for every registered policy', () => {
  const chaos: ControllerSetup = scripted(S, (tick, ctx) => {
      const rand = streams.get(ctx) ?? ctx.random('chaos');
      streams.set(ctx, rand);
      const size = ctx.view.size;
      const m = Math.floor(rand() * size);
      const action = Math.floor(rand() * 5);
      if (action === 0 && ctx.view.isUp(m)) ctx.control.takeDown(m);
      else if (action === 1 && !ctx.view.isUp(m) && tick % 2 === 0) {
        try {
          ctx.control.bringUp(m, Math.floor(rand() * 3) * S);
        } catch {
          // removed machines can't come back; that is the rule under test elsewhere
        }
      } else if (action === 2) ctx.control.setSpeed(m, [0.5, 1, 2][Math.floor(rand() * 3)] as number);
      else if (action === 3 && size < 12) ctx.control.addMachine(ctx.view.machineId(0).replace(/-\d+$/, ''), S);
      else if (action === 4 && tick % 3 === 0) ctx.control.removeMachine(m);
    });
  const streams = new WeakMap<ControllerContext, () => number>();

  for (const name of policyNames()) {
    it(name, async () => {
      let killed = 0;
      await fc.assert(
        fc.asyncProperty(arbScenario(25), fc.nat({ max: 1000 }), async ({ spec, tasks: specs, chunkSize }, seed) => {
          const { sim, ended } = await simulate(spec, specs, resolvePolicy(name), {
            seed,
            chunkSize,
            controllers: [chaos],
            maxAttempts: 3,
            afterEvent: (s) => {
              const dims = s.cluster.dims;
              for (let m = 0; m < s.cluster.size; m++) {
                const used = new Float64Array(dims);
                s.visitRunning(m, (t) => t.demand.forEach((q, d) => (used[d] = (used[d] as number) + q)));
                if (s.cluster.up[m] !== 1) expect(used.every((q) => q === 0)).toBe(true);
                for (let d = 0; d < dims; d++) expect((s.cluster.free[m * dims + d] as number) + (used[d] as number)).toBe(s.cluster.capacity[m * dims + d]);
              }
            },
          });
          // every attempt but a task's last was killed; the last ended once, in one state
          const byId = new Map<string, Task[]>();
          for (const t of ended) byId.set(t.id, [...(byId.get(t.id) ?? []), t]);
          expect(byId.size).toBe(specs.length);
          for (const attempts of byId.values()) {
            expect(attempts.map((t) => t.attempt)).toEqual(attempts.map((_, i) => i));
            attempts.slice(0, -1).forEach((t) => expect(t.state).toBe('killed'));
            expect(attempts.length).toBeLessThanOrEqual(3);
          }
          expect(sim.running).toBe(ended.filter((t) => t.state === 'running').length);
          killed += ended.filter((t) => t.state === 'killed').length;
        }),
        { numRuns: 15 },
      );
      // the churn really happened
      expect(killed).toBeGreaterThan(0);
    });
  }
});
