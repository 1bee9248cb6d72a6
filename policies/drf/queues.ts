// Per-tenant pending-task FIFO queues as intrusive doubly linked lists sharing typed arrays, indexed by task uid.
// Cost: O(1) to add, remove, find by uid (expected), or step to the next task of a queue.
import type { TaskView } from '../../src/model/task.js';
import { ensureLength } from '../../src/typed-array.js';
import { UidIndex } from '../../src/model/uid-index.js';

/**
 * Queue `q` (a dense tenant number) holds its tasks oldest first. Every task sits in one entry;
 * entries are numbered from 1 and 0 means none, so zero-filled arrays start empty. A freed entry
 * is reused by the next task added. A task added again moves to the back of its queue.
 */
export class TaskQueues {
  private tasks: (TaskView | undefined)[] = [undefined];
  /** Per entry: the next and previous entry of its queue (the next free entry when free), and its queue. */
  private after = new Int32Array(64);
  private before = new Int32Array(64);
  private owner = new Int32Array(64);
  /** Per queue: first and last entry, and length. */
  private heads = new Int32Array(16);
  private tails = new Int32Array(16);
  private sizes = new Int32Array(16);
  private free = 0;
  private readonly byUid = new UidIndex();

  /** Appends `task` to queue `q` (moving it there if queued already); returns its entry. */
  add(q: number, task: TaskView): number {
    let e = this.byUid.get(task.uid);
    if (e > 0) this.unlink(e);
    else {
      e = this.allocate();
      this.tasks[e] = task;
      this.byUid.set(task.uid, e);
    }
    this.heads = ensureLength(this.heads, q + 1);
    this.tails = ensureLength(this.tails, q + 1);
    this.sizes = ensureLength(this.sizes, q + 1);
    const tail = this.tails[q] as number;
    this.owner[e] = q;
    this.before[e] = tail;
    this.after[e] = 0;
    if (tail === 0) this.heads[q] = e;
    else this.after[tail] = e;
    this.tails[q] = e;
    this.sizes[q] = (this.sizes[q] as number) + 1;
    return e;
  }

  /** Takes entry `e` out of its queue and frees it. */
  remove(e: number): void {
    this.unlink(e);
    this.byUid.delete((this.tasks[e] as TaskView).uid);
    this.tasks[e] = undefined;
    this.after[e] = this.free;
    this.free = e;
  }

  /** The entry of the task with `uid`, or 0 when it is not queued. */
  find(uid: number): number {
    return this.byUid.get(uid);
  }

  task(e: number): TaskView {
    return this.tasks[e] as TaskView;
  }

  queueOf(e: number): number {
    return this.owner[e] as number;
  }

  /** The oldest entry of queue `q`, or 0. */
  first(q: number): number {
    return q < this.heads.length ? (this.heads[q] as number) : 0;
  }

  /** The entry after `e` in its queue, or 0. */
  next(e: number): number {
    return this.after[e] as number;
  }

  size(q: number): number {
    return q < this.sizes.length ? (this.sizes[q] as number) : 0;
  }

  private unlink(e: number): void {
    const q = this.owner[e] as number;
    const a = this.after[e] as number;
    const b = this.before[e] as number;
    if (b === 0) this.heads[q] = a;
    else this.after[b] = a;
    if (a === 0) this.tails[q] = b;
    else this.before[a] = b;
    this.sizes[q] = (this.sizes[q] as number) - 1;
  }

  private allocate(): number {
    if (this.free !== 0) {
      const e = this.free;
      this.free = this.after[e] as number;
      return e;
    }
    const e = this.tasks.length;
    this.tasks.push(undefined);
    this.after = ensureLength(this.after, e + 1);
    this.before = ensureLength(this.before, e + 1);
    this.owner = ensureLength(this.owner, e + 1);
    return e;
  }
}
