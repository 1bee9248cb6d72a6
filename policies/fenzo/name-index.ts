// The indexed mode for the default calculator: the first machine with room in host-name order.
import { MaxFreeTree } from '../../src/model/max-free-tree.js';
import type { TaskView } from '../../src/model/task.js';
import type { ClusterView } from '../../src/policy.js';
import { LazyIndex } from './lazy-index.js';
import { nameOrder } from './names.js';
import type { RuleState } from './rules.js';

/**
 * With the constant calculator every eligible host scores the same, so Fenzo's choice is the
 * smallest host name with room: a max-free segment tree over machines in name order finds it in
 * O(D log N) (plus hosts skipped for an exclusive lock).
 */
export class NameIndex extends LazyIndex {
  private tree: MaxFreeTree;
  private byRank = new Int32Array(0);
  private rank = new Int32Array(0);
  private vectors = new Float64Array(0);
  private readonly dims: number;
  private rules: RuleState | null = null;
  private readonly unlocked = (r: number): boolean => !(this.rules as RuleState).locked(this.byRank[r] as number);

  constructor(private readonly view: ClusterView) {
    super();
    this.dims = view.resources.names.length;
    this.tree = new MaxFreeTree(this.dims, 0);
    this.rebuild();
  }

  best(task: TaskView, _calc: unknown, rules: RuleState): number {
    this.flush();
    this.rules = rules;
    const r = this.tree.firstFit(task.demand, 0, this.unlocked);
    return r < 0 ? -1 : (this.byRank[r] as number);
  }

  protected update(m: number): void {
    if (this.view.size !== this.rank.length) {
      this.rebuild();
      return;
    }
    const base = m * this.dims;
    for (let d = 0; d < this.dims; d++) this.vectors[base + d] = this.view.free(m, d);
    this.tree.update(this.rank[m] as number, this.vectors, base, this.view.isUp(m));
  }

  private rebuild(): void {
    const n = this.view.size;
    this.byRank = nameOrder(this.view);
    this.rank = new Int32Array(n);
    this.byRank.forEach((m, r) => (this.rank[m] = r));
    this.vectors = new Float64Array(n * this.dims);
    this.tree = new MaxFreeTree(this.dims, n);
    for (let m = 0; m < n; m++) this.update(m);
  }
}
