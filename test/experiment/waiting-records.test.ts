// The simulation keeps the records of waiting attempts in a small table of their own: placements are checked against it, controllers visit it, and the end of a run reports from it.
import { describe, expect, it } from 'vitest';
import { benchCluster } from '../../bench/workload.js';
import { resolvePolicy } from '../../policies/index.js';
import { secondsToMicros } from '../../src/engine/time.js';
import { PolicyError, Simulation, type RunInput, type RunObserver } from '../../src/experiment/simulation.js';
import type { TaskSpec, TaskView } from '../../src/model/task.js';
import type { Policy } from '../../src/policy.js';
import type { TraceSource } from '../../src/traces/source.js';
import { tickingController } from '../helpers/controllers.js';
import { simpleTask } from '../helpers/simple-tasks.js';

const task = simpleTask;

function trace(tasks: TaskSpec[]): TraceSource {
  return { name: 'listed', progress: () => null, async *chunks() { yield tasks; } };
}

const ended: string[] = [];
const observer: RunObserver = { taskEnded: (t) => void ended.push(`${t.id} ${t.state}`), sample: () => undefined, taskFinished: () => undefined };

/** One machine of benchCluster's first group (32 cores) running `tasks` with `policy`. */
function simulation(tasks: TaskSpec[], extra: Partial<RunInput> = {}, policy: Policy = resolvePolicy('fifo+first-fit', {})): Simulation {
  ended.length = 0;
  return new Simulation({ cluster: benchCluster(1), trace: trace(tasks), policy, seed: 1, sampleInterval: secondsToMicros(100), ...extra }, observer);
}

/** A policy that places, in its second round, `pick` of the tasks it was given so far on machine 0. */
function rogue(pick: (seen: TaskView[]) => TaskView): Policy {
  return {
    name: 'rogue',
    options: {},
    create() {
      const seen: TaskView[] = [];
      let rounds = 0;
      return {
        submitted: (t) => void seen.push(t),
        removed: () => undefined,
        schedule: (out) => {
          if (++rounds === 2) out.place(pick(seen), 0);
        },
      };
    },
  };
}

describe('the records of waiting tasks', () => {
  it('are what a placement is checked against: a copy of a waiting task is refused, the task itself is placed', async () => {
    // t1 arrives at 1 s, in the second round: a copy of it has its state and slot, but is not its record
    const refused: unknown = await simulation([task('t0', 0, null, 32_000), task('t1', 1, 5)], {}, rogue((s) => ({ ...s[1] }) as TaskView))
      .run()
      .then(() => null, (e: unknown) => e);
    expect(refused).toBeInstanceOf(PolicyError);
    expect((refused as Error).message).toMatch(/placed task "t1" which is not pending \(state waiting\)/);
    // the record itself is accepted (t0 holds no room: it waits too, placed by nobody)
    const sim = simulation([task('t0', 0, 1, 1_000), task('t1', 1, 5)], {}, rogue((s) => s[1] as TaskView));
    await sim.run();
    expect(ended).toEqual(['t0 waiting']);
    expect(sim.end).toBe(secondsToMicros(6));
  });

  it('are refused once their task runs, though it keeps its slot', async () => {
    // t0 is placed at 0 s by first-fit; the rogue's second round (t1's arrival) places t0 again
    const twice: Policy = {
      name: 'twice',
      options: {},
      create(ctx) {
        const inner = resolvePolicy('fifo+first-fit', {}).create(ctx);
        let first: TaskView | null = null;
        let rounds = 0;
        return {
          submitted: (t) => {
            first ??= t;
            inner.submitted(t);
          },
          removed: (t) => inner.removed(t),
          schedule: (out) => {
            if (++rounds === 2 && first !== null) out.place(first, 0);
            else inner.schedule(out);
          },
        };
      },
    };
    await expect(simulation([task('t0', 0, 100), task('t1', 1, 5)], {}, twice).run()).rejects.toThrow(/placed task "t0" which is not pending \(state running\)/);
  });

  it('are reported at the end with the running ones, in admission order, and hold only what waits', async () => {
    // t0 and t2 take the whole machine to the end (t2 once t5 is done at 1.2 s); t1, t3 and t4 wait for good
    const tasks = [task('t0', 0, null, 16_000), task('t1', 1, 5, 20_000), task('t2', 0.5, null, 16_000), task('t3', 2, 5), task('t4', 3, 5), task('t5', 0.2, 1)];
    tasks.sort((a, b) => a.submit - b.submit);
    const sim = simulation(tasks);
    await sim.run();
    expect(ended).toEqual(['t0 running', 't2 running', 't1 waiting', 't3 waiting', 't4 waiting']);
    // places are reused as tasks start: t0, t5 and t2 took place 0 in turn, t1 place 1 while t2
    // waited, t3 place 0 once t2 ran, t4 place 2 (no more than three ever waited at once)
    const table = (sim as unknown as { waitingRecords: (TaskView | undefined)[] }).waitingRecords;
    expect(table.map((t) => t?.id)).toEqual(['t3', 't1', 't4']);
  });

  it('are what controllers visit as pending, in admission order, and only while they wait', async () => {
    const seen: string[][] = [];
    const watch = tickingController('watch', 1, (control) => {
      const ids: string[] = [];
      control.visitPending((t) => (ids.push(t.id), ids.length < 2));
      seen.push(ids);
    });
    // t0 holds the machine for 2.5 s; t1, t2, t3 (each needing all of it) come at 0.5 s and wait;
    // then t1 runs from 2.5 to 3.5 s, t2 from 3.5 s and t3 from 4.5 s
    const tasks = [task('t0', 0, 2.5, 32_000), task('t1', 0.5, 1, 32_000), task('t2', 0.5, 1, 32_000), task('t3', 0.5, 1, 32_000)];
    await simulation(tasks, { controllers: [watch] }).run();
    // ticks at 0, 1, 2, … s; the visit stops after two tasks
    expect(seen.slice(0, 6)).toEqual([[], ['t1', 't2'], ['t1', 't2'], ['t2', 't3'], ['t3'], []]);
  });
});
