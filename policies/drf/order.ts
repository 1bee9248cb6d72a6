// Queue order "drf": per-task progressive filling over tenants by (weighted, hierarchical) dominant share.
// Cost: O(depth × (D + log T)) per placement, finish or tenant (de)activation; picking the next tenant
// is O(depth) through per-node heaps, never a scan of the T tenants; O(D) per task passed over.
import type { Options, PartFactory, PolicyContext, QueueOrder } from '../../src/policy.js';
import type { TaskView } from '../../src/model/task.js';
import { ensureLength } from '../../src/typed-array.js';
import { grownRoom } from '../waiting-misfits.js';
import type { Quota } from './allocator.js';
import { checkTenant, quotaConfig, quotaOption, sorterConfig, sorterOptions, type SorterConfig } from './options.js';
import { QuotaBook, type QuotaEntry } from './quota.js';
import { TaskQueues } from './queues.js';
import { DrfSorter, type SorterNode } from './sorter.js';

/**
 * The DRF paper's progressive filling, task by task: the tenant (a role path) with the lowest
 * dominant share offers its next pending task (oldest first); each placement updates the shares
 * before the next pick. Shares are Mesos' DRFSorter's (cluster total of up machines as
 * denominator, weights, hierarchy, exclusions, tie-breaks). A task that does not fit is passed
 * over and the same tenant (its share unchanged) offers its next task, so allocation continues
 * until no tenant has a task that fits (the paper's practical variant, §4.2, per task).
 * Passed-over tasks are not offered again until room grows (a task stops, a machine changes), and
 * tasks that fit no machine at all are skipped in O(D) (`ClusterView.mayFit`): a round after an
 * arrival costs only the new task. When the placement tells misfits apart (`misfit` in
 * {@link visit}) and there is no quota, a tenant whose passed-over tasks all fit nowhere keeps
 * passing them over after room grows, in O(D), unless one of them may fit the machines that grew:
 * offering them again would change nothing. With quota, a round first fills roles whose guarantees are
 * unmet (in DRF order, only tasks that advance a guarantee), then everyone; every task must stay
 * within its role's limits and leave the headroom unmet guarantees need (`QuotaBook`).
 */
export class DrfOrder implements QueueOrder {
  readonly sorter: DrfSorter;
  /** Tenants by dense number, in order of first sight. */
  private readonly tenants = new Map<string, number>();
  /** Per simulation tenant number (`TaskView.tenantIndex`): this order's number for the tenant plus one, 0 until seen. */
  private byIndex = new Int32Array(64);
  /** Per tenant: its sorter leaf (moves to a virtual leaf when a sub-role of the tenant appears) and quota entry. */
  private readonly nodes: SorterNode[] = [];
  private readonly quotas: (QuotaEntry | undefined)[] = [];
  /** Per sorter node (by creation number): the tenant whose leaf it is, plus one (0 for none). */
  private tenantOfNode = new Int32Array(64);
  private readonly queues = new TaskQueues();
  /** Per tenant: the queue entry of the next pending task to offer (the ones before it did not fit since room last grew), 0 when none is left. */
  private cursor = new Int32Array(64);
  /** Per tenant: 1 while its cursor is past its oldest task (listed in `stale`). */
  private isStale = new Uint8Array(64);
  private readonly total: Float64Array;
  private readonly dims: number;
  private readonly owner = 'queue order "drf"';
  private stale = new Int32Array(64);
  private staleCount = 0;
  private roomGrew = false;
  /** Per tenant: 1 once a task it passed over since its last rewind was turned down for a reason other than fitting nowhere. */
  private mixed = new Uint8Array(64);
  /** Per tenant, `dims` numbers: at most the least demand per dimension of the misfits it passed over since its last rewind. */
  private least: Float64Array<ArrayBuffer>;
  /** The view's growth count at the last round (misfits then fitted nowhere), -1 before the first. */
  private checkedGrew = -1;
  /** The most room per dimension on the machines that grew since {@link checkedGrew} (scratch for each rewind). */
  private readonly grownRoom: Float64Array;
  /** This round's test of whether a task just passed over fits nowhere, or null when it cannot be told. */
  private misfit: ((task: TaskView) => boolean) | null = null;
  private readonly quota: QuotaBook | null;
  /** The sorter's lowest active leaf: one function for every round, so a round allocates no closure. */
  private readonly lowest = (): SorterNode | undefined => this.sorter.lowest();

  constructor(private readonly ctx: PolicyContext, private readonly config: SorterConfig, quotas: ReadonlyMap<string, Quota>) {
    this.dims = ctx.view.resources.names.length;
    this.quota = quotas.size > 0 ? new QuotaBook(quotas, this.dims) : null;
    this.sorter = new DrfSorter(this.dims, config.excluded, config.tieBreak);
    for (const [path, weight] of config.weights) this.sorter.setWeight(path, weight);
    this.total = new Float64Array(this.dims);
    this.least = new Float64Array(64 * this.dims);
    this.grownRoom = new Float64Array(this.dims);
  }

  add(task: TaskView): void {
    const t = this.tenantOf(task);
    const e = this.queues.add(t, task);
    if (this.cursor[t] === 0) this.aim(t, e);
  }

  remove(task: TaskView): void {
    const queues = this.queues;
    const e = queues.find(task.uid);
    const t = e !== 0 ? queues.queueOf(e) : this.tenants.get(task.tenant);
    if (t === undefined) return;
    const wasCursor = e !== 0 && this.cursor[t] === e;
    const following = wasCursor ? queues.next(e) : 0;
    if (e !== 0) queues.remove(e);
    if (task.state === 'running') {
      this.sorter.change(this.nodes[t] as SorterNode, task.demand, 1, true);
      this.quota?.change(this.quotas[t], task.demand, 1);
    }
    if (queues.size(t) === 0) {
      this.cursor[t] = 0;
      this.sorter.deactivateNode(this.nodes[t] as SorterNode);
    } else if (wasCursor) {
      this.cursor[t] = 0;
      if (following !== 0) this.aim(t, following);
      else this.park(t);
    }
  }

  released(tenantIndex: number, demand: Float64Array): void {
    const t = this.linked(tenantIndex);
    if (t >= 0) {
      this.sorter.change(this.nodes[t] as SorterNode, demand, -1, false);
      this.quota?.change(this.quotas[t], demand, -1);
    }
    this.roomGrew = true;
  }

  machineChanged(): void {
    this.roomGrew = true;
  }

  visit(visit: (task: TaskView) => boolean, misfit?: (task: TaskView) => boolean): void {
    const quota = this.quota;
    // with quota a task may also be held back by limits and guarantees, which change without room growing
    this.misfit = quota === null ? (misfit ?? null) : null;
    // quota admission changes without room growing (guarantees get met), so with quota every round starts afresh
    if (this.syncTotal() || this.roomGrew || quota !== null) this.rewind();
    // room only shrinks during a round: what fits nowhere now still fits nowhere at its end
    this.checkedGrew = this.ctx.view.grew;
    if (quota === null) {
      this.fill(visit, this.lowest, null);
      return;
    }
    const unmet = quota.entries
      .filter((e) => quota.unmet(e))
      .map((e) => ({ e, node: this.sorter.find(e.role) }))
      .filter((x): x is { e: QuotaEntry; node: SorterNode } => x.node !== undefined && x.node.heapPos >= 0)
      .sort((a, b) => this.sorter.compare(a.node, b.node));
    for (const { e, node } of unmet) {
      const stage1 = (task: TaskView, t: number) => quota.advances(e, task.demand) && quota.admits(this.quotas[t], task.demand, this.total);
      if (!this.fill(visit, () => (quota.unmet(e) ? this.sorter.lowest(node) : undefined), stage1)) return;
    }
    if (unmet.length > 0) this.rewind();
    this.fill(visit, this.lowest, (task, t) => quota.admits(this.quotas[t], task.demand, this.total));
  }

  /**
   * Progressive filling over the tenants `next` yields: each offers its cursor task (if `allowed`);
   * a task not placed is passed over. False if `visit` stopped the round.
   */
  private fill(visit: (task: TaskView) => boolean, next: () => SorterNode | undefined, allowed: ((task: TaskView, tenant: number) => boolean) | null): boolean {
    for (let leaf = next(); leaf !== undefined; leaf = next()) {
      const t = (this.tenantOfNode[leaf.seq] as number) - 1;
      const e = this.cursor[t] as number;
      const task = this.queues.task(e);
      const going = allowed === null || allowed(task, t) ? visit(task) : true;
      if (this.cursor[t] === e) this.passOver(t, e);
      if (!going) return false;
    }
    return true;
  }

  /** Entry `e` was not placed: tenant `t`'s cursor moves to its next task that may fit, or the tenant parks. */
  private passOver(t: number, e: number): void {
    const task = this.queues.task(e);
    if (this.misfit !== null && this.misfit(task)) this.lower(t, task.demand);
    else this.mixed[t] = 1;
    const following = this.queues.next(e);
    this.cursor[t] = 0;
    this.markStale(t);
    if (following !== 0) this.aim(t, following);
    else this.park(t);
  }

  /** Points tenant `t`'s cursor at its first task from entry `from` on that may fit somewhere (O(D) per task skipped); parks the tenant if none. */
  private aim(t: number, from: number): void {
    const view = this.ctx.view;
    const queues = this.queues;
    let e = from;
    for (; e !== 0 && !view.mayFit(queues.task(e)); e = queues.next(e)) this.lower(t, queues.task(e).demand);
    this.cursor[t] = e;
    if (e === 0) return this.park(t);
    if (e !== queues.first(t)) this.markStale(t);
    this.sorter.activateNode(this.nodes[t] as SorterNode);
  }

  /** Every pending task of tenant `t` was tried and did not fit: out of the order until room grows or a task arrives. */
  private park(t: number): void {
    this.cursor[t] = 0;
    this.markStale(t);
    this.sorter.deactivateNode(this.nodes[t] as SorterNode);
  }

  private markStale(t: number): void {
    if (this.isStale[t] === 1) return;
    this.isStale[t] = 1;
    this.stale = ensureLength(this.stale, this.staleCount + 1);
    this.stale[this.staleCount++] = t;
  }

  /** Tenant `t` starts again from its oldest task: no task of it is passed over. */
  private forgetMisfits(t: number): void {
    this.mixed[t] = 0;
    this.least.fill(Infinity, t * this.dims, (t + 1) * this.dims);
  }

  /** Tenant `t` passed over a misfit of demand `demand`. */
  private lower(t: number, demand: Float64Array): void {
    const least = this.least;
    const base = t * this.dims;
    for (let d = 0; d < this.dims; d++) if ((demand[d] as number) < (least[base + d] as number)) least[base + d] = demand[d] as number;
  }

  /**
   * Room grew: tenants whose cursor moved on start again from their oldest task that may fit,
   * except those that passed over only misfits none of which may fit the machines that grew.
   */
  private rewind(): void {
    this.roomGrew = false;
    // the most room the machines that grew since the last round have (unknown before the first)
    const known = this.misfit !== null && this.checkedGrew >= 0 && grownRoom(this.ctx.view, this.checkedGrew, this.grownRoom);
    // filtered in place: each listed tenant is listed again at most once (kept, or marked anew by
    // aim), at an index no later than its own, so the write position never passes the read position
    const n = this.staleCount;
    this.staleCount = 0;
    for (let i = 0; i < n; i++) {
      const t = this.stale[i] as number;
      if (known && this.mixed[t] === 0 && this.stillMisfits(t)) {
        // still stale: its cursor stays where it is
        this.stale[this.staleCount++] = t;
        continue;
      }
      this.isStale[t] = 0;
      this.forgetMisfits(t);
      const first = this.queues.first(t);
      if (first !== 0) this.aim(t, first);
    }
  }

  /** True if every misfit tenant `t` passed over still lacks room, in some dimension, on every machine that grew. */
  private stillMisfits(t: number): boolean {
    const base = t * this.dims;
    for (let d = 0; d < this.dims; d++) if ((this.least[base + d] as number) > (this.grownRoom[d] as number)) return true;
    return false;
  }

  /** Follows the cluster's total (machines joining, leaving, failing): every share is recomputed when it moved. */
  private syncTotal(): boolean {
    const view = this.ctx.view;
    let moved = false;
    for (let d = 0; d < this.dims; d++) {
      const t = view.totalCapacity(d);
      if (t !== this.total[d]) {
        this.total[d] = t;
        moved = true;
      }
    }
    if (moved) this.sorter.setTotal(this.total);
    return moved;
  }

  /** This order's number for the tenant of simulation tenant number `i` if already linked to it (no lookup by name), else -1. */
  private linked(i: number): number {
    return i >= 0 && i < this.byIndex.length ? (this.byIndex[i] as number) - 1 : -1;
  }

  /** This order's number for the tenant of `task`, registering the tenant on first sight. */
  private tenantOf(task: TaskView): number {
    const known = this.linked(task.tenantIndex);
    if (known >= 0) return known;
    const t = this.tenant(task.tenant);
    const i = task.tenantIndex;
    if (i >= 0) {
      this.byIndex = ensureLength(this.byIndex, i + 1);
      this.byIndex[i] = t + 1;
    }
    return t;
  }

  /** The dense number of tenant `name`, registering it on first sight. */
  private tenant(name: string): number {
    let t = this.tenants.get(name);
    if (t === undefined) {
      checkTenant(this.owner, name, this.config.roles);
      t = this.nodes.length;
      this.tenants.set(name, t);
      this.nodes.push(this.sorter.add(name));
      this.quotas.push(this.quota?.of(name));
      this.cursor = ensureLength(this.cursor, t + 1);
      this.isStale = ensureLength(this.isStale, t + 1);
      this.mixed = ensureLength(this.mixed, t + 1);
      this.least = ensureLength(this.least, (t + 1) * this.dims);
      this.forgetMisfits(t);
      this.link(t);
      for (let cut = name.lastIndexOf('/'); cut > 0; cut = name.lastIndexOf('/', cut - 1)) this.follow(name.slice(0, cut));
    }
    return t;
  }

  /** Re-links tenant `name` to its sorter leaf, which moves when the tenant gains sub-roles. */
  private follow(name: string): void {
    const t = this.tenants.get(name);
    if (t === undefined) return;
    const node = this.sorter.node(name);
    const old = this.nodes[t] as SorterNode;
    if (node === old) return;
    this.tenantOfNode[old.seq] = 0;
    this.nodes[t] = node;
    this.link(t);
  }

  private link(t: number): void {
    const seq = (this.nodes[t] as SorterNode).seq;
    this.tenantOfNode = ensureLength(this.tenantOfNode, seq + 1);
    this.tenantOfNode[seq] = t + 1;
  }
}

export const drfOrder: PartFactory<QueueOrder> = {
  description: "Dominant Resource Fairness task by task: the tenant (role path) with the lowest weighted, hierarchical dominant share goes next, as Mesos' DRFSorter orders roles.",
  options: { ...sorterOptions, quota: quotaOption },
  cost: 'O(depth × (D + log T)) per placement or finish for T tenants; O(depth) to pick the next tenant (plus O(Q × D) per task with Q quota roles)',
  create: (ctx: PolicyContext, options: Options) => new DrfOrder(ctx, sorterConfig('queue order "drf"', options, ctx.view.resources), quotaConfig('queue order "drf"', options, ctx.view.resources)),
};
