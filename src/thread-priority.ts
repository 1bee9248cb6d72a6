// How a background thread (the tasks.arrow helper) gives way to the simulation's thread on a busy machine.
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/**
 * Nice steps a background thread is lowered by. At 10, Linux gives it about a tenth of the share
 * of a thread at the default priority when the two want the same core, and the whole of a core
 * nobody else wants: on two cores, the simulation then keeps its core through a run's first second,
 * when V8's compiler threads and the helper want the other one at once.
 */
export const BACKGROUND_NICE = 10;

/**
 * The kernel's id of the calling thread, from `/proc/thread-self` (`<pid>/task/<tid>`), or null
 * where there is no such link (not Linux).
 */
export function threadId(): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isSafeInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

/**
 * Lowers the calling thread's scheduling priority by {@link BACKGROUND_NICE} (to at most nice 19),
 * and that thread's alone: on Linux a thread id given to setpriority names one thread. Refuses on
 * a process's main thread, which runs the simulation (and whose id is the process's: where the
 * priority is per process, as POSIX has it, every thread would be lowered), and wherever threads
 * cannot be told apart. Returns the thread's new nice value, or null if it was left as it was.
 * Only the share of the CPU changes, never what the thread computes.
 */
export function lowerThreadPriority(): number | null {
  const tid = threadId();
  if (tid === null || tid === process.pid) return null;
  try {
    const nice = Math.min(19, getPriority(tid) + BACKGROUND_NICE);
    setPriority(tid, nice);
    return getPriority(tid);
  } catch {
    // not allowed here (a sandbox, say): the thread keeps its priority
    return null;
  }
}
