// Tasks known to fit on no machine, each as of the view's `grew` count: asked again, they are turned down in O(D).
import type { TaskView } from '../../src/model/task.js';
import type { ClusterView } from '../../src/policy.js';

/** Past this many growths since a task's failed search, searching again is cheaper than checking each. */
const RECHECK = 8;

/**
 * A waiting task is asked about round after round. Once a full search finds no machine with room
 * that satisfies its constraints, only a machine that has gained room since (a growth, which moves
 * `view.grew`) can take it: allocations only take room away. So the count at the failed search is
 * kept by task uid (8 bytes per admitted task; +1 so that 0 means "not known"); asked again, the
 * task is a known misfit if the count is unchanged, or if none of the few machines that grew since
 * fits it now (and then the count it is known at moves up).
 */
export class Misfits {
  private at = new Float64Array(1024);

  constructor(private readonly view: ClusterView) {}

  /** True if `task` fits nowhere, by what was remembered. False means "search". */
  known(task: TaskView): boolean {
    const at = this.at[task.uid];
    if (at === undefined || at === 0) return false;
    const view = this.view;
    const now = view.grew;
    if (at === now + 1) return true;
    if (now + 1 - at > RECHECK) return false;
    for (let k = at - 1; k < now; k++) {
      const m = view.grownMachine(k);
      if (m < 0 || view.fits(task, m)) return false;
    }
    this.at[task.uid] = now + 1;
    return true;
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
