// Tasks known to fit on no machine, each as of the view's `grew` count: asked again, they are turned down in O(1).
import type { TaskView } from '../../src/model/task.js';
import type { ClusterView } from '../../src/policy.js';

/**
 * A waiting task is asked about round after round. Once a full search finds no machine with room
 * that satisfies its constraints, that stays true until some machine gains room (allocations only
 * take room away), which moves `view.grew`. So the count at the failed search is kept by task uid
 * (8 bytes per admitted task; +1 so that 0 means "not known"), and the task is a known misfit
 * while the count is unchanged.
 */
export class Misfits {
  private at = new Float64Array(1024);

  constructor(private readonly view: ClusterView) {}

  /** True if `task` was found to fit nowhere and no machine has gained room since. */
  known(task: TaskView): boolean {
    return this.at[task.uid] === this.view.grew + 1;
  }

  /** Records that `task` fits nowhere as things stand. */
  remember(task: TaskView): void {
    const uid = task.uid;
    if (uid >= this.at.length) {
      const more = new Float64Array(Math.max(uid + 1, 2 * this.at.length));
      more.set(this.at);
      this.at = more;
    }
    this.at[uid] = this.view.grew + 1;
  }
}
