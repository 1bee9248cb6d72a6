// A run lets go of a running attempt's record when nothing can ask for it again, and gives the same files either way.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { benchCluster } from '../../bench/workload.js';
import { resolveController, resolvePolicy } from '../../policies/index.js';
import { secondsToMicros } from '../../src/engine/time.js';
import { Simulation, type RunInput, type RunObserver } from '../../src/experiment/simulation.js';
import type { TaskSpec } from '../../src/model/task.js';
import type { TraceSource } from '../../src/traces/source.js';
import { tickingController } from '../helpers/controllers.js';
import { simpleTask } from '../helpers/simple-tasks.js';
import { recordedRun, type RecordedRun } from '../helpers/recorded-run.js';

const root = mkdtempSync(join(tmpdir(), 'clustersim-running-records-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const quiet = { taskEnded: () => undefined, sample: () => undefined };
const quick: RunObserver = { ...quiet, taskFinished: () => undefined };

/** A task of one core for `seconds` submitted at `submit` seconds. */
const task = simpleTask;

/** A run on two machines of one one-second task (or `extra.trace`), with `observer`, `policy` and `extra`'s other inputs. */
function simulation(observer: RunObserver, extra: Partial<RunInput> = {}, policy = 'fifo+first-fit'): Simulation {
  const trace: TraceSource = { name: 'one', progress: () => null, async *chunks() { yield [task('t0', 0, 1)]; } };
  return new Simulation({ cluster: benchCluster(2), trace, policy: resolvePolicy(policy, {}), seed: 1, sampleInterval: secondsToMicros(1), ...extra }, observer);
}

describe('the records of running tasks', () => {
  it('are let go of only when no finish, controller, machine event or horizon can ask for them', () => {
    const plain = simulation(quick);
    expect(plain.keepsRunningRecords).toBe(false);
    // an observer told of finishes through the records, a policy with a stopped hook
    expect(simulation(quiet).keepsRunningRecords).toBe(true);
    expect(simulation(quick, {}, 'fifo+fenzo').keepsRunningRecords).toBe(true);
    // a horizon reports what still runs there
    expect(simulation(quick, { horizon: secondsToMicros(100) }).keepsRunningRecords).toBe(true);
    // machine events and controllers may kill running tasks, and controllers may visit them
    const trace = { name: 'changes', progress: () => null, async *chunks() { yield [task('t0', 0, 1)]; }, async *machineEvents() { yield []; } };
    expect(simulation(quick, { trace }).keepsRunningRecords).toBe(true);
    expect(simulation(quick, { controllers: [resolveController('power-down')] }).keepsRunningRecords).toBe(true);
    // visiting running tasks is for controllers: a run without them refuses it
    expect(() => plain.visitRunning(0, () => undefined)).toThrow(/records of running tasks/);
  });

  it('are listed per machine only in runs whose machines can change, which alone visit them', async () => {
    // a horizon keeps the records, but no list of them per machine: there is nothing to visit them
    const kept = simulation(quick, { horizon: secondsToMicros(100) });
    expect(() => kept.visitRunning(0, () => undefined)).toThrow(/is for controllers/);
    // a controller visits t0 on its machine while it runs, and never after
    const seen: string[][] = [];
    const watching = tickingController('watch', 0.5, (control) => {
      const ids: string[] = [];
      control.visitRunning(0, (t) => void ids.push(t.id));
      seen.push(ids);
    });
    // t0 runs from 0 to 1 s and t1 from 2 to 3 s, both on machine 0; the ticks come every 0.5 s
    const trace: TraceSource = { name: 'two', progress: () => null, async *chunks() { yield [task('t0', 0, 1), task('t1', 2, 1)]; } };
    await simulation(quick, { trace, controllers: [watching] }).run();
    expect(seen.slice(0, 6)).toEqual([['t0'], ['t0'], [], [], ['t1'], ['t1']]);
  });

  it('are collected while their tasks run, and kept when the run keeps them', async () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    // vitest.config.ts starts the test processes with --expose-gc
    if (gc === undefined) throw new Error('This test needs node --expose-gc');
    for (const keep of [false, true]) {
      // t0 runs for 1,000 s; t1…t4 come one a chunk, 10 s apart, and the trace looks at t0's record
      // while t0 still runs: between chunks, after a collection
      let held: WeakRef<TaskSpec> | null = null;
      const seen: boolean[] = [];
      const trace: TraceSource = {
        name: 'watched',
        progress: () => null,
        async *chunks() {
          let first: TaskSpec | null = task('t0', 0, 1_000);
          held = new WeakRef(first);
          yield [first];
          first = null;
          for (let i = 1; i <= 4; i++) {
            if (i >= 3) {
              // a WeakRef keeps its target to the end of the job that made or read it
              await sleep(0);
              gc();
              seen.push(held?.deref() !== undefined);
            }
            yield [task(`t${i}`, 10 * i, 1)];
          }
        },
      };
      const starts: string[] = [];
      const observer: RunObserver = { ...quick, taskStarted: (t) => void starts.push(t.id) };
      const sim = simulation(observer, { trace, sampleInterval: secondsToMicros(100), ...(keep ? { horizon: secondsToMicros(10_000) } : {}) });
      expect(sim.keepsRunningRecords).toBe(keep);
      await sim.run();
      expect(starts).toEqual(['t0', 't1', 't2', 't3', 't4']);
      expect(sim.end).toBe(secondsToMicros(1_000));
      expect(seen).toEqual([keep, keep]);
    }
  });

  it('are kept for work that runs to the end, which the run reports as still running there', async () => {
    const ended: string[] = [];
    const finished: number[] = [];
    const trace: TraceSource = { name: 'forever', progress: () => null, async *chunks() { yield [task('t0', 0, null), task('t1', 0, 5)]; } };
    const observer: RunObserver = { ...quick, taskEnded: (t) => void ended.push(`${t.id} ${t.state}`), taskFinished: (slot) => void finished.push(slot) };
    const sim = simulation(observer, { trace });
    expect(sim.keepsRunningRecords).toBe(false);
    await sim.run();
    // t1 finished at 5 s without its record; t0, which has no duration, is reported from its record
    expect(finished).toHaveLength(1);
    expect(sim.end).toBe(secondsToMicros(5));
    expect(ended).toEqual(['t0 running']);
  });

  it('give the same files whether the run lets go of them or keeps them', async () => {
    for (const policy of ['fifo+first-fit', 'drf+best-fit']) {
      const run: RecordedRun = { tasks: 4_000, machines: 20, tenants: 4, policy, seed: 5, sampleSeconds: 30 };
      const name = policy.replace('+', '-');
      const released = await recordedRun(root, `${name}-released`, run);
      // a horizon far past the end keeps the records and changes nothing else
      const kept = await recordedRun(root, `${name}-kept`, { ...run, horizon: secondsToMicros(1e7) });
      const files = readdirSync(released).sort();
      expect(readdirSync(kept).sort()).toEqual(files);
      for (const f of files) expect(readFileSync(join(kept, f)).equals(readFileSync(join(released, f))), f).toBe(true);
    }
  });
});
