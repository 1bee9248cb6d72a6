// A background thread lowers its own priority, and no other thread's; the tasks.arrow helper does so.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { getPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { BACKGROUND_NICE, lowerThreadPriority, threadId } from '../src/thread-priority.js';
import { threadScript } from '../src/thread-script.js';
import { makeTask, newTaskSpec } from '../src/model/task.js';
import { NONE } from '../src/model/constraints.js';
import { taskColumns } from '../src/metrics/schemas.js';
import { TaskRows } from '../src/metrics/task-rows.js';

const root = mkdtempSync(join(tmpdir(), 'clustersim-priority-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The nice value of thread `tid` of this process, from field 19 of its stat line (after the parenthesised name). */
function niceOf(tid: number): number {
  const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
}

/** Nice values of all this process's threads but the calling one. */
function otherThreadsNice(): number[] {
  const self = threadId();
  return readdirSync('/proc/self/task')
    .map(Number)
    .filter((tid) => tid !== self)
    .map(niceOf);
}

/** The nice value a thread started at `base` has once lowered (the kernel caps nice at 19). */
function lowered(base: number): number {
  return Math.min(19, base + BACKGROUND_NICE);
}

// The per-thread priority exists only on Linux (the platform CI and the benchmarks run on); elsewhere
// lowerThreadPriority leaves every thread as it is, which the last test checks on any platform.
describe.skipIf(process.platform !== 'linux')('lowering a thread priority on Linux', () => {
  it('knows the main thread by the process id, and refuses to lower it (it runs the simulation)', () => {
    expect(threadId()).toBe(process.pid);
    const before = getPriority();
    expect(lowerThreadPriority()).toBeNull();
    expect(getPriority()).toBe(before);
  });

  it('lowers a worker thread by BACKGROUND_NICE, and leaves the main thread and the others as they were', async () => {
    const mine = getPriority();
    const othersBefore = otherThreadsNice();
    const worker = new Worker(threadScript('thread-priority-probe', import.meta.url));
    try {
      const reply = await new Promise<{ tid: number; nice: number | null }>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      expect(reply.tid).not.toBe(process.pid);
      expect(reply.nice).toBe(lowered(mine));
      // the kernel's view of the worker, read from outside it
      expect(niceOf(reply.tid)).toBe(reply.nice);
      expect(getPriority()).toBe(mine);
      expect(niceOf(process.pid)).toBe(mine);
      // threads that were there before the worker (V8's and libuv's) keep theirs
      for (const nice of othersBefore) expect(nice).toBe(mine);
    } finally {
      await worker.terminate();
    }
  });

  it('is what the tasks.arrow helper thread runs at', async () => {
    const mine = getPriority();
    const rows = new TaskRows(join(root, 'tasks.arrow'), taskColumns({ names: ['cpu'], units: ['millicore'] }), 1, 'thread');
    const t = makeTask(newTaskSpec({ id: 't-0', job: 'j-0', tenant: 'a', priority: 0, kind: 'batch', submit: 0, duration: 10, demand: Float64Array.of(1), constraints: NONE }), 0);
    t.state = 'unschedulable';
    rows.write(t, []);
    expect(rows.inHelperThread).toBe(true);
    rows.close();
    // the helper stays up for the process's next run, and lowers itself as it comes up (under tsx,
    // which tests run on, that can take a while): then exactly one thread of this process is lowered
    await vi.waitFor(() => expect(otherThreadsNice().filter((nice) => nice === lowered(mine)).length).toBe(1), { timeout: 20_000, interval: 50 });
    expect(getPriority()).toBe(mine);
  });
});

describe('lowering a thread priority anywhere', () => {
  it('never changes the priority of the thread that runs the simulation', () => {
    const before = getPriority();
    lowerThreadPriority();
    expect(getPriority()).toBe(before);
  });
});
