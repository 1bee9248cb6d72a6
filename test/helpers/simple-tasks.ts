// Task specs for runs on benchCluster machines: one job, one tenant, a batch task of some cores and 1 GiB.
import { secondsToMicros } from '../../src/engine/time.js';
import { NONE } from '../../src/model/constraints.js';
import { newTaskSpec, type TaskSpec } from '../../src/model/task.js';

/** A task of `cpu` millicores and 1,024 MiB for `seconds` (null: to the end), submitted at `submit` seconds. */
export function simpleTask(id: string, submit: number, seconds: number | null, cpu = 1_000): TaskSpec {
  return newTaskSpec({ id, job: 'j', tenant: 'a', priority: 0, kind: 'batch', submit: secondsToMicros(submit), duration: seconds === null ? null : secondsToMicros(seconds), demand: Float64Array.of(cpu, 1_024, 0), constraints: NONE });
}
