// Queue order "fifo": pending tasks in the order they were submitted (admission order).
// Cost: O(1) amortised to add or remove; a round visits the pending tasks in order.
import type { PartFactory, QueueOrder } from '../src/policy.js';
import type { TaskView } from '../src/model/task.js';
import { lowerBound } from '../src/model/sorted-keys.js';
import { UidIndex } from '../src/model/uid-index.js';

/**
 * A first-in first-out list with lazy deletion: a removed task leaves a hole that visits skip,
 * and the holes are squeezed out once they outnumber live tasks (amortised O(1) per removal), so
 * a visit costs O(pending) however many tasks have passed through. A task added again (a retry)
 * goes to the back.
 */
export class FifoList implements QueueOrder {
  private tasks: (TaskView | undefined)[] = [];
  /** Entries before the head are all holes. */
  private head = 0;
  /** Where each live task sits in `tasks`, plus one, by uid (a Map keyed by task would rehash as the queue fills and drains). */
  private readonly index = new UidIndex();
  /** Compaction waits while a visit walks the entries. */
  private visiting = false;
  /** Adds so far (re-adds too); `seqs[i]` is the count at the add that made entry i, so it rises along the list. */
  private added = 0;
  private seqs: number[] = [];
  /** Entries in use: `tasks` and `seqs` keep their room past it after a compaction, so refilling them allocates nothing. */
  private end = 0;

  get size(): number {
    return this.index.size;
  }

  add(task: TaskView): void {
    this.remove(task);
    const at = this.end++;
    this.index.set(task.uid, at + 1);
    if (at === this.tasks.length) {
      this.tasks.push(task);
      this.seqs.push(++this.added);
    } else {
      this.tasks[at] = task;
      this.seqs[at] = ++this.added;
    }
    if (!this.visiting) this.compact();
  }

  has(task: TaskView): boolean {
    return this.index.get(task.uid) > 0;
  }

  remove(task: TaskView): void {
    const at = this.index.get(task.uid);
    if (at === 0) return;
    this.index.delete(task.uid);
    this.tasks[at - 1] = undefined;
  }

  /** The oldest live task, or undefined. */
  first(): TaskView | undefined {
    while (this.head < this.end && this.tasks[this.head] === undefined) this.head++;
    return this.tasks[this.head];
  }

  /** The live task after `task` (which must be live), or undefined. */
  next(task: TaskView): TaskView | undefined {
    const at = this.index.get(task.uid);
    if (at === 0) return undefined;
    for (let i = at; i < this.end; i++) {
      const t = this.tasks[i];
      if (t !== undefined) return t;
    }
    return undefined;
  }

  visit(visit: (task: TaskView) => boolean): void {
    this.visiting = true;
    this.visitFrom(this.head, this.end, visit);
    this.visiting = false;
    this.compact();
  }

  /** A mark of the adds so far, for {@link visitAddedSince}. */
  mark(): number {
    return this.added;
  }

  /** Visits, in order, the live tasks added after `mark` was taken, after the older ones through `older` if given. */
  visitAddedSince(mark: number, visit: (task: TaskView) => boolean, older?: (task: TaskView) => boolean): void {
    const first = Math.max(this.head, lowerBound(this.seqs, mark + 1, this.end));
    this.visiting = true;
    if (older === undefined || this.visitFrom(this.head, first, older)) this.visitFrom(first, this.end, visit);
    this.visiting = false;
    this.compact();
  }

  /** Visits the live entries in [start, end) until `visit` returns false; returns false if it did. Indexes stay put meanwhile. */
  private visitFrom(start: number, end: number, visit: (task: TaskView) => boolean): boolean {
    let going = true;
    for (let i = start; i < end; i++) {
      const task = this.tasks[i];
      if (task === undefined) {
        if (i === this.head) this.head++;
        continue;
      }
      if (!visit(task)) {
        going = false;
        break;
      }
    }
    return going;
  }

  private compact(): void {
    const live = this.index.size;
    if (this.end - live <= live + 32) return;
    let j = 0;
    for (let i = this.head; i < this.end; i++) {
      const task = this.tasks[i];
      if (task === undefined) continue;
      this.tasks[j] = task;
      this.seqs[j] = this.seqs[i] as number;
      this.index.set(task.uid, ++j);
    }
    this.tasks.fill(undefined, j, this.end);
    this.end = j;
    this.head = 0;
  }
}

export const fifo: PartFactory<QueueOrder> = {
  description: 'Pending tasks in submission order; a task that does not fit waits while later ones may start.',
  options: {},
  cost: 'O(1) per add/remove; a round visits the pending tasks in order',
  create: () => new FifoList(),
};
