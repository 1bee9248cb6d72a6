// The parallel runner: worker threads, each taking the next run from a shared queue, one run per worker at a time.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { inputError } from '../errors.js';
import { WORKER_YOUNG_GENERATION_MIB } from '../heap.js';
import { threadScript } from '../thread-script.js';
import type { WorkerReading, WorkerResult, WorkerTask } from './worker.js';

/** Cores of this machine: the default for `--jobs`. */
export function defaultJobs(): number {
  return availableParallelism();
}

/**
 * Runs `ids` of the experiment in `file` on `jobs` threads, calling `done` as each finishes (and
 * `reading` as runs read their traces, every whole percent). Resolves
 * once all are done, or, when `signal` aborts, as soon as the workers are stopped (unfinished runs
 * leave only hidden partial folders, which the caller removes). The first failing run stops the rest.
 */
export function runInPool(
  file: string,
  ids: readonly string[],
  resultsDir: string,
  jobs: number,
  done: (id: string, wallSeconds: number) => void,
  signal?: AbortSignal,
  reading?: (id: string, fraction: number) => void,
): Promise<void> {
  const queue = [...ids];
  const workers: Worker[] = [];
  return new Promise<void>((resolve, reject) => {
    let running = 0;
    let settled = false;
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      void Promise.all(workers.map((w) => w.terminate())).then(() => (error === undefined ? resolve() : reject(error)));
    };
    const onAbort = () => finish();
    signal?.addEventListener('abort', onAbort, { once: true });
    const feed = (worker: Worker) => {
      const id = queue.shift();
      if (id === undefined) {
        if (running === 0) finish();
        return;
      }
      running++;
      worker.postMessage({ file, id, resultsDir } satisfies WorkerTask);
    };
    for (let i = 0; i < Math.min(jobs, ids.length); i++) {
      // the CLI's young generation whether or not this process was started with its flag
      const worker = new Worker(threadScript('worker', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MIB } });
      workers.push(worker);
      worker.on('message', (message: WorkerReading | (WorkerResult & { kind: 'result'; id: string })) => {
        if (message.kind === 'reading') {
          reading?.(message.id, message.fraction);
          return;
        }
        const result = message;
        running--;
        if (!result.ok) {
          finish(result.input ? inputError(Error, result.message) : new Error(`run ${result.id} failed: ${result.message}`));
          return;
        }
        done(result.id, result.wallSeconds);
        feed(worker);
      });
      worker.on('error', (error) => finish(error));
      worker.on('exit', (code) => finish(new Error(`a worker thread exited (code ${code}) with runs unfinished`)));
      feed(worker);
    }
    if (ids.length === 0) finish();
  });
}
