// What the fenzo placement's indexes share: machines re-indexed lazily, once their change is visible.
import type { TaskView } from '../../src/model/task.js';
import type { Calculator } from './fitness.js';
import type { RuleState } from './rules.js';

/** An index of machines that gives the exact mode's choice for tasks without constraints. */
export abstract class LazyIndex {
  private readonly dirty: number[] = [];

  /**
   * Machine `m` changes (a placement about to be applied, a task stopped, the machine itself); it
   * is re-indexed before the next search, once the change is visible in the view.
   */
  touch(m: number): void {
    // earlier touches are visible by now: keep the list short when searches are rare
    if (this.dirty.length >= 1024) this.flush();
    this.dirty.push(m);
  }

  /** Machine `m` itself changed (joined, left, went up or down, changed capacity or attributes). */
  reshaped(m: number): void {
    this.touch(m);
  }

  /** The exact mode's choice for an unconstrained task, or -1. */
  abstract best(task: TaskView, calc: Calculator, rules: RuleState): number;

  protected flush(): void {
    for (const m of this.dirty) this.update(m);
    this.dirty.length = 0;
  }

  /** Re-indexes machine `m` from the view. */
  protected abstract update(m: number): void;
}
