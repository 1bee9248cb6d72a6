// One whole run of the benchmark workload, recorded into a results folder as `clustersim` records it.
import { join } from 'node:path';
import { benchCluster, benchTrace } from '../../bench/workload.js';
import { resolvePolicy } from '../../policies/index.js';
import { secondsToMicros } from '../../src/engine/time.js';
import { PendingDir } from '../../src/experiment/run-dir.js';
import { runGroups, Simulation } from '../../src/experiment/simulation.js';
import { RunRecorder } from '../../src/metrics/recorder.js';
import type { TaskRowMode } from '../../src/metrics/task-rows.js';
import { PowerOutputs } from '../../src/power/outputs.js';
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
}

/** Runs `run` into the folder `<root>/<name>` (made atomically, as the CLI does) and returns its path. */
export async function recordedRun(root: string, name: string, run: RecordedRun): Promise<string> {
  const cluster = benchCluster(run.machines);
  const trace = syntheticTrace({ ...benchTrace(run.tasks, cluster), ...(run.tenants === undefined ? {} : { tenants: run.tenants }) });
  const dir = new PendingDir(join(root, name));
  const recorder = new RunRecorder(dir.path, cluster.resources, runGroups(cluster, trace), new PowerOutputs(cluster), run.sampleMemoryLimit, run.taskRows);
  const sim = new Simulation({ cluster, trace, policy: resolvePolicy(run.policy, {}), seed: run.seed, sampleInterval: secondsToMicros(run.sampleSeconds) }, recorder);
  await sim.run();
  dir.writeJson('summary.json', recorder.finish(sim));
  dir.commit();
  return join(root, name);
}
