// A finish reported without the task's record (RunObserver.taskFinished) changes no output, and the records it skips are as documented.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchCluster } from '../../bench/workload.js';
import { resolvePolicy } from '../../policies/index.js';
import { secondsToMicros } from '../../src/engine/time.js';
import { Simulation, type RunObserver } from '../../src/experiment/simulation.js';
import { NONE } from '../../src/model/constraints.js';
import { newTaskSpec, type Task, type TaskSpec } from '../../src/model/task.js';
import type { MachineEvent } from '../../src/traces/source.js';
import { readArrowRows } from '../helpers/arrow.js';
import { recordedRun, type RecordedRun } from '../helpers/recorded-run.js';

const root = mkdtempSync(join(tmpdir(), 'clustersim-quick-finish-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Machines failing, coming back, shrinking, slowing and joining while tasks run on them. */
const CHANGES: MachineEvent[] = [
  { time: secondsToMicros(60), kind: 'remove', id: 'general-0' },
  { time: secondsToMicros(75), kind: 'update', id: 'compute-1', speed: 0.5 },
  { time: secondsToMicros(90), kind: 'update', id: 'general-3', capacity: Float64Array.of(8_000, 32_768, 0) },
  { time: secondsToMicros(120), kind: 'add', id: 'general-0' },
  { time: secondsToMicros(150), kind: 'add', id: 'extra-0', capacity: Float64Array.of(32_000, 131_072, 0) },
  { time: secondsToMicros(200), kind: 'remove', id: 'compute-2' },
];

function sameFiles(a: string, b: string): void {
  const files = readdirSync(a).sort();
  expect(readdirSync(b).sort()).toEqual(files);
  for (const f of files) expect(readFileSync(join(b, f)).equals(readFileSync(join(a, f))), f).toBe(true);
}

describe('finishes reported without the task record', () => {
  for (const policy of ['fifo+first-fit', 'priority+best-fit', 'drf+first-fit']) {
    it(`give the same files as ends read from the records (${policy}, machines failing and tasks retried)`, async () => {
      const run: RecordedRun = { tasks: 6_000, machines: 30, tenants: 5, policy, seed: 3, sampleSeconds: 20, machineEvents: CHANGES, maxAttempts: 2 };
      const name = policy.replace('+', '-');
      const quick = await recordedRun(root, `${name}-quick`, run);
      const records = await recordedRun(root, `${name}-records`, { ...run, recordsOnly: true });
      sameFiles(records, quick);
      // the cases the run is meant to cover are in it
      const rows = readArrowRows(join(quick, 'tasks.arrow'));
      const states = new Set(rows.map((r) => r['state']));
      expect(states).toEqual(new Set(['finished', 'killed']));
      expect(rows.some((r) => r['attempt'] === 1 && r['state'] === 'finished')).toBe(true);
    });
  }
});

describe('a finished task record', () => {
  /** Three one-second tasks on one machine, run with `observer`; returns their records. */
  async function records(observer: RunObserver, policy: string): Promise<Task[]> {
    const specs: TaskSpec[] = [0, 1, 2].map((i) =>
      newTaskSpec({ id: `t${i}`, job: 'j', tenant: 'a', priority: 0, kind: 'batch', submit: 0, duration: 1_000_000, demand: Float64Array.of(1_000, 1_024, 0), constraints: NONE }),
    );
    const cluster = benchCluster(1);
    const trace = { name: 'three', progress: () => null, async *chunks() { yield specs; } };
    const sim = new Simulation({ cluster, trace, policy: resolvePolicy(policy, {}), seed: 1, sampleInterval: secondsToMicros(1) }, observer);
    await sim.run();
    return specs as Task[];
  }
  const base = { taskEnded: () => undefined, sample: () => undefined };

  it('shows the finish to an observer that reads records, and to a policy with a stopped hook', async () => {
    for (const task of await records(base, 'fifo+first-fit')) expect([task.state, task.end, task.slot]).toEqual(['finished', 1_000_000, -1]);
    const quick = { ...base, taskFinished: () => undefined };
    for (const task of await records(quick, 'fifo+fenzo')) expect(task.state).toBe('finished');
  });

  it('is not gone back to when nothing reads it (DRF takes its released hook): it keeps showing the attempt running, as documented', async () => {
    for (const policy of ['fifo+first-fit', 'drf+first-fit']) {
      const finished: number[] = [];
      const quick = { ...base, taskFinished: (slot: number) => void finished.push(slot) };
      const tasks = await records(quick, policy);
      expect(finished).toHaveLength(3);
      for (const task of tasks) expect([task.state, task.start, task.end]).toEqual(['running', 0, -1]);
    }
  });
});

describe('the per-slot tables', () => {
  it('stay straight as they grow past their first room, worked by hand', async () => {
    // 3,000 tasks of 10 s, all submitted at 0, on one machine with room for 1,000 at a time: every
    // task is live at once (three times the tables' first 1,024 slots), and they run in three waves
    const specs: TaskSpec[] = Array.from({ length: 3_000 }, (_, i) =>
      newTaskSpec({ id: `t${i}`, job: 'j', tenant: `tenant-${i % 7}`, priority: 0, kind: 'batch', submit: 0, duration: 10_000_000, demand: Float64Array.of(1_000, 1, 0), constraints: NONE }),
    );
    const cluster = benchCluster(1);
    const group = cluster.groups[0] as (typeof cluster.groups)[number];
    const one = { ...cluster, groups: [{ ...group, ids: ['big-0'], capacity: Float64Array.of(1_000_000, 1_000_000, 0), speed: 1 }] };
    const trace = { name: 'waves', progress: () => null, async *chunks() { yield specs; } };
    const starts = new Map<string, number>();
    const finishes: number[] = [];
    const sim = new Simulation(
      { cluster: one, trace, policy: resolvePolicy('fifo+first-fit', {}), seed: 1, sampleInterval: secondsToMicros(100) },
      {
        taskStarted: (task, _slot, s) => void starts.set(task.id, s.now),
        taskFinished: (_slot, s) => void finishes.push(s.now),
        taskEnded: () => undefined,
        sample: () => undefined,
      },
    );
    await sim.run();
    specs.forEach((spec, i) => expect(starts.get(spec.id), spec.id).toBe(Math.floor(i / 1_000) * 10_000_000));
    expect(finishes).toHaveLength(3_000);
    expect([finishes[0], finishes[999], finishes[1_000], finishes[2_999]]).toEqual([10_000_000, 10_000_000, 20_000_000, 30_000_000]);
    expect(sim.end).toBe(30_000_000);
    expect(sim.running).toBe(0);
  });
});
