// One whole run of the benchmark workload, recorded into a results folder as `clustersim` records it.
import { join } from 'node:path';
import { benchCluster, benchTrace } from '../../bench/workload.js';
import { resolvePolicy } from '../../policies/index.js';
import { secondsToMicros } from '../../src/engine/time.js';
import { PendingDir } from '../../src/experiment/run-dir.js';
import { runGroups, Simulation, type RunObserver } from '../../src/experiment/simulation.js';
import { RunRecorder } from '../../src/metrics/recorder.js';
import type { TaskRowMode } from '../../src/metrics/task-rows.js';
import { PowerOutputs } from '../../src/power/outputs.js';
import type { MachineEvent, TraceSource } from '../../src/traces/source.js';
import { syntheticTrace } from '../../src/traces/synthetic.js';

export interface RecordedRun {
  readonly tasks: number;
  readonly machines: number;
  readonly policy: string;
  readonly seed: number;
  readonly sampleSeconds: number;
  readonly tenants?: number;
  /** Summary samples kept in memory per list (see RunRecorder). */
  readonly sampleMemoryLimit?: number | undefined;
  readonly taskRows?: TaskRowMode;
  /** Machine changes the trace brings (to kill and retry tasks). */
  readonly machineEvents?: readonly MachineEvent[];
  readonly maxAttempts?: number;
  /**
   * Hide the recorder's hooks for started and finished attempts, so that it is told of every end
   * through the task's record (the path a run takes for observers without them).
   */
  readonly recordsOnly?: boolean;
  /** Stop here (µs); a horizon also makes the run keep the records of running tasks. */
  readonly horizon?: number;
}

/** Runs `run` into the folder `<root>/<name>` (made atomically, as the CLI does) and returns its path. */
export async function recordedRun(root: string, name: string, run: RecordedRun): Promise<string> {
  const cluster = benchCluster(run.machines);
  const tasks = syntheticTrace({ ...benchTrace(run.tasks, cluster), ...(run.tenants === undefined ? {} : { tenants: run.tenants }) });
  const events = run.machineEvents;
  const trace: TraceSource = events === undefined ? tasks : {
    ...tasks,
    async *machineEvents() {
      yield events;
    },
  };
  const dir = new PendingDir(join(root, name));
  const recorder = new RunRecorder(dir.path, cluster.resources, runGroups(cluster, trace), new PowerOutputs(cluster), run.sampleMemoryLimit, run.taskRows);
  const observer: RunObserver = run.recordsOnly !== true ? recorder : {
    taskEnded: (task, s, slot) => recorder.taskEnded(task, s, slot),
    sample: (time, s) => recorder.sample(time, s),
    event: (event, s) => recorder.event(event, s),
  };
  const input = { cluster, trace, policy: resolvePolicy(run.policy, {}), seed: run.seed, sampleInterval: secondsToMicros(run.sampleSeconds), maxAttempts: run.maxAttempts ?? 1, horizon: run.horizon };
  const sim = new Simulation(input, observer);
  await sim.run();
  dir.writeJson('summary.json', recorder.finish(sim));
  dir.commit();
  return join(root, name);
}
