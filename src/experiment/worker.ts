// Worker-thread entry of the parallel runner: plans the experiment once per file, then runs one run per message.
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import { isInputError } from '../errors.js';
import { loadExperiment } from './config.js';
import { runToDirectory } from './run.js';
import { planExperiment, type PlannedRun } from './runner.js';

/** One task: run `id` of the experiment in `file` into `<resultsDir>/<id>/`. */
export interface WorkerTask {
  readonly file: string;
  readonly id: string;
  readonly resultsDir: string;
}

/** Sent while a run reads its trace. */
export interface WorkerReading {
  readonly kind: 'reading';
  readonly id: string;
  readonly fraction: number;
}

/** Errors travel as data: a thrown error's identity (input error or not) does not survive the thread boundary. */
export type WorkerResult = { readonly ok: true; readonly wallSeconds: number } | { readonly ok: false; readonly input: boolean; readonly kind: string; readonly message: string };

const plans = new Map<string, Map<string, PlannedRun>>();

async function runTask(task: WorkerTask): Promise<WorkerResult> {
  try {
    let byId = plans.get(task.file);
    if (byId === undefined) {
      byId = new Map(planExperiment(loadExperiment(task.file)).map((run) => [run.plan.id, run]));
      plans.set(task.file, byId);
    }
    const run = byId.get(task.id);
    if (run === undefined) throw new Error(`Experiment ${task.file} has no run ${task.id}`);
    let reported = 0;
    const outcome = await runToDirectory(run.plan, join(task.resultsDir, task.id), (fraction) => {
      // every whole percent of the trace read, so a long run's progress shows without flooding the channel
      if (fraction === null || fraction - reported < 0.01) return;
      reported = fraction;
      parentPort?.postMessage({ kind: 'reading', id: task.id, fraction } satisfies WorkerReading);
    });
    return { ok: true, wallSeconds: outcome.wallSeconds };
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    return { ok: false, input: isInputError(error), kind: e.name, message: isInputError(error) ? e.message : (e.stack ?? e.message) };
  }
}

parentPort?.on('message', (task: WorkerTask) => {
  void runTask(task).then((result) => parentPort?.postMessage({ ...result, kind: 'result', id: task.id }));
});
