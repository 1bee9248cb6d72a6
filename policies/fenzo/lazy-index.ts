// What the fenzo placement's indexes share: machines re-indexed lazily, once their change is visible.
import type { TaskView } from '../../src/model/task.js';
import type { Calculator } from './fitness.js';
import type { RuleState } from './rules.js';

/** An index of machines that gives the exact mode's choice for tasks without constraints. */
export abstract class LazyIndex {
  /** Machines touched since the last flush (repeats allowed); an array kept at its size, so touching allocates nothing. */
  private dirty = new Int32Array(1024);
  private dirtyCount = 0;

  /**
   * Machine `m` changes (a placement about to be applied, a task stopped, the machine itself); it
   * is re-indexed before the next search, once the change is visible in the view.
   */
  touch(m: number): void {
    // earlier touches are visible by now: keep the list short when searches are rare
    if (this.dirtyCount === this.dirty.length) this.flush();
    this.dirty[this.dirtyCount++] = m;
  }

  /** Machine `m` itself changed (joined, left, went up or down, changed capacity or attributes). */
  reshaped(m: number): void {
    this.touch(m);
  }

  /** The exact mode's choice for an unconstrained task, or -1. */
  abstract best(task: TaskView, calc: Calculator, rules: RuleState): number;

  protected flush(): void {
    // update() touches nothing, so the list stays put while it is walked
    for (let i = 0; i < this.dirtyCount; i++) this.update(this.dirty[i] as number);
    this.dirtyCount = 0;
  }

  /** Re-indexes machine `m` from the view. */
  protected abstract update(m: number): void;
}
