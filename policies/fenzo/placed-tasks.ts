// The tasks a fenzo placement has running and their machines: a dense list, each task's position found by uid.
import type { TaskView } from '../../src/model/task.js';
import { UidIndex } from '../../src/model/uid-index.js';

/**
 * Add, remove and lookup are O(1): `at` maps each placed task's uid to its position + 1 (a
 * {@link UidIndex}, so its size follows the running tasks, not the trace), and removal moves the
 * last entry into the hole. The entries' uids are kept beside them, so moving one does not reach
 * into its task object.
 */
export class PlacedTasks {
  private readonly at = new UidIndex();
  private tasks: TaskView[] = [];
  private machines: Int32Array = new Int32Array(256);
  private uids: Int32Array = new Int32Array(256);

  add(task: TaskView, m: number): void {
    const uid = task.uid;
    const i = this.tasks.length;
    if (i >= this.machines.length) {
      this.machines = grow(this.machines, i + 1);
      this.uids = grow(this.uids, i + 1);
    }
    this.tasks.push(task);
    this.machines[i] = m;
    this.uids[i] = uid;
    this.at.set(uid, i + 1);
  }

  /** Forgets `task`; returns its machine, or -1 if it was not in the list. */
  remove(task: TaskView): number {
    const uid = task.uid;
    const i = this.at.get(uid) - 1;
    if (i < 0) return -1;
    const m = this.machines[i] as number;
    const last = this.tasks.length - 1;
    const moved = this.tasks.pop() as TaskView;
    if (i < last) {
      this.tasks[i] = moved;
      this.machines[i] = this.machines[last] as number;
      const movedUid = this.uids[last] as number;
      this.uids[i] = movedUid;
      this.at.set(movedUid, i + 1);
    }
    this.at.delete(uid);
    return m;
  }

  forEach(visit: (task: TaskView, m: number) => void): void {
    for (let i = 0; i < this.tasks.length; i++) visit(this.tasks[i] as TaskView, this.machines[i] as number);
  }
}

/** A copy of `array` with room for at least `length` entries (doubling, so growth is amortised O(1)). */
export function grow(array: Int32Array, length: number): Int32Array {
  const out = new Int32Array(Math.max(length, 2 * array.length));
  out.set(array);
  return out;
}
