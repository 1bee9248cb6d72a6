// Queue order "drf": per-task progressive filling over tenants by (weighted, hierarchical) dominant share.
// Cost: O(depth × (D + log T)) per placement, finish or tenant (de)activation; picking the next tenant
// is O(depth) through per-node heaps, never a scan of the T tenants; O(D) per task passed over.
import type { Options, PartFactory, PolicyContext, QueueOrder } from '../../src/policy.js';
import type { TaskView } from '../../src/model/task.js';
import { FifoList } from '../fifo.js';
import type { Quota } from './allocator.js';
import { checkTenant, quotaConfig, quotaOption, sorterConfig, sorterOptions, type SorterConfig } from './options.js';
import { QuotaBook, type QuotaEntry } from './quota.js';
import { DrfSorter, type SorterNode } from './sorter.js';

interface Tenant {
  /** Moves to a virtual leaf when a sub-role of this tenant appears. */
  node: SorterNode;
  readonly quota: QuotaEntry | undefined;
  readonly queue: FifoList;
  /** The next pending task to offer; the tasks before it did not fit since room last grew. Undefined when none is left. */
  cursor: TaskView | undefined;
  /** Every pending task was tried and did not fit: out of the order until room grows or a task arrives. */
  parked: boolean;
  /** Its cursor is past its oldest task (listed in `stale`). */
  stale: boolean;
}

/**
 * The DRF paper's progressive filling, task by task: the tenant (a role path) with the lowest
 * dominant share offers its next pending task (oldest first); each placement updates the shares
 * before the next pick. Shares are Mesos' DRFSorter's (cluster total of up machines as
 * denominator, weights, hierarchy, exclusions, tie-breaks). A task that does not fit is passed
 * over and the same tenant (its share unchanged) offers its next task, so allocation continues
 * until no tenant has a task that fits (the paper's practical variant, §4.2, per task).
 * Passed-over tasks are not offered again until room grows (a task stops, a machine changes), and
 * tasks that fit no machine at all are skipped in O(D) (`ClusterView.mayFit`): a round after an
 * arrival costs only the new task. With quota, a round first fills roles whose guarantees are
 * unmet (in DRF order, only tasks that advance a guarantee), then everyone; every task must stay
 * within its role's limits and leave the headroom unmet guarantees need (`QuotaBook`).
 */
export class DrfOrder implements QueueOrder {
  readonly sorter: DrfSorter;
  private readonly tenants = new Map<string, Tenant>();
  private readonly byNode = new Map<SorterNode, Tenant>();
  private readonly total: Float64Array;
  private readonly dims: number;
  private readonly owner = 'queue order "drf"';
  private stale: Tenant[] = [];
  private roomGrew = false;
  private readonly quota: QuotaBook | null;

  constructor(private readonly ctx: PolicyContext, private readonly config: SorterConfig, quotas: ReadonlyMap<string, Quota>) {
    this.dims = ctx.view.resources.names.length;
    this.quota = quotas.size > 0 ? new QuotaBook(quotas, this.dims) : null;
    this.sorter = new DrfSorter(this.dims, config.excluded, config.tieBreak);
    for (const [path, weight] of config.weights) this.sorter.setWeight(path, weight);
    this.total = new Float64Array(this.dims);
  }

  add(task: TaskView): void {
    const tenant = this.tenant(task.tenant);
    tenant.queue.add(task);
    if (tenant.cursor === undefined) this.aim(tenant, task);
  }

  remove(task: TaskView): void {
    const tenant = this.tenants.get(task.tenant);
    if (tenant === undefined) return;
    const following = tenant.cursor === task ? tenant.queue.next(task) : undefined;
    tenant.queue.remove(task);
    if (task.state === 'running') {
      this.sorter.change(tenant.node, task.demand, 1, true);
      this.quota?.change(tenant.quota, task.demand, 1);
    }
    if (tenant.queue.size === 0) {
      tenant.cursor = undefined;
      tenant.parked = false;
      this.sorter.deactivateNode(tenant.node);
    } else if (tenant.cursor === task) {
      tenant.cursor = undefined;
      if (following !== undefined) this.aim(tenant, following);
      else this.park(tenant);
    }
  }

  stopped(task: TaskView): void {
    const tenant = this.tenants.get(task.tenant);
    if (tenant !== undefined) {
      this.sorter.change(tenant.node, task.demand, -1, false);
      this.quota?.change(tenant.quota, task.demand, -1);
    }
    this.roomGrew = true;
  }

  machineChanged(): void {
    this.roomGrew = true;
  }

  visit(visit: (task: TaskView) => boolean): void {
    const quota = this.quota;
    // quota admission changes without room growing (guarantees get met), so with quota every round starts afresh
    if (this.syncTotal() || this.roomGrew || quota !== null) this.rewind();
    if (quota === null) {
      this.fill(visit, () => this.sorter.lowest(), null);
      return;
    }
    const unmet = quota.entries
      .filter((e) => quota.unmet(e))
      .map((e) => ({ e, node: this.sorter.find(e.role) }))
      .filter((x): x is { e: QuotaEntry; node: SorterNode } => x.node !== undefined && x.node.heapPos >= 0)
      .sort((a, b) => this.sorter.compare(a.node, b.node));
    for (const { e, node } of unmet) {
      const stage1 = (task: TaskView, tenant: Tenant) => quota.advances(e, task.demand) && quota.admits(tenant.quota, task.demand, this.total);
      if (!this.fill(visit, () => (quota.unmet(e) ? this.sorter.lowest(node) : undefined), stage1)) return;
    }
    if (unmet.length > 0) this.rewind();
    this.fill(visit, () => this.sorter.lowest(), (task, tenant) => quota.admits(tenant.quota, task.demand, this.total));
  }

  /**
   * Progressive filling over the tenants `next` yields: each offers its cursor task (if `allowed`);
   * a task not placed is passed over. False if `visit` stopped the round.
   */
  private fill(visit: (task: TaskView) => boolean, next: () => SorterNode | undefined, allowed: ((task: TaskView, tenant: Tenant) => boolean) | null): boolean {
    for (let leaf = next(); leaf !== undefined; leaf = next()) {
      const tenant = this.byNode.get(leaf) as Tenant;
      const task = tenant.cursor as TaskView;
      const going = allowed === null || allowed(task, tenant) ? visit(task) : true;
      if (tenant.cursor === task) this.passOver(tenant, task);
      if (!going) return false;
    }
    return true;
  }

  /** `task` was not placed: the tenant's cursor moves to its next task that may fit, or the tenant parks. */
  private passOver(tenant: Tenant, task: TaskView): void {
    const following = tenant.queue.next(task);
    tenant.cursor = undefined;
    this.markStale(tenant);
    if (following !== undefined) this.aim(tenant, following);
    else this.park(tenant);
  }

  /** Points the cursor at the first task from `from` on that may fit somewhere (O(D) per task skipped); parks the tenant if none. */
  private aim(tenant: Tenant, from: TaskView): void {
    const view = this.ctx.view;
    let task: TaskView | undefined = from;
    while (task !== undefined && !view.mayFit(task)) task = tenant.queue.next(task);
    tenant.cursor = task;
    if (task === undefined) return this.park(tenant);
    if (task !== tenant.queue.first()) this.markStale(tenant);
    if (tenant.parked) tenant.parked = false;
    this.sorter.activateNode(tenant.node);
  }

  private park(tenant: Tenant): void {
    tenant.cursor = undefined;
    tenant.parked = true;
    this.markStale(tenant);
    this.sorter.deactivateNode(tenant.node);
  }

  private markStale(tenant: Tenant): void {
    if (tenant.stale) return;
    tenant.stale = true;
    this.stale.push(tenant);
  }

  /** Room grew: tenants whose cursor moved on start again from their oldest task that may fit. */
  private rewind(): void {
    this.roomGrew = false;
    const list = this.stale;
    this.stale = [];
    for (const tenant of list) {
      tenant.stale = false;
      const first = tenant.queue.first();
      if (first !== undefined) this.aim(tenant, first);
    }
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

  private tenant(name: string): Tenant {
    let tenant = this.tenants.get(name);
    if (tenant === undefined) {
      checkTenant(this.owner, name, this.config.roles);
      tenant = { node: this.sorter.add(name), queue: new FifoList(), quota: this.quota?.of(name), cursor: undefined, parked: false, stale: false };
      this.tenants.set(name, tenant);
      this.byNode.set(tenant.node, tenant);
      for (let cut = name.lastIndexOf('/'); cut > 0; cut = name.lastIndexOf('/', cut - 1)) this.follow(name.slice(0, cut));
    }
    return tenant;
  }

  /** Re-links tenant `name` to its sorter leaf, which moves when the tenant gains sub-roles. */
  private follow(name: string): void {
    const tenant = this.tenants.get(name);
    if (tenant === undefined) return;
    const node = this.sorter.node(name);
    if (node === tenant.node) return;
    this.byNode.delete(tenant.node);
    tenant.node = node;
    this.byNode.set(node, tenant);
  }
}

export const drfOrder: PartFactory<QueueOrder> = {
  description: "Dominant Resource Fairness task by task: the tenant (role path) with the lowest weighted, hierarchical dominant share goes next, as Mesos' DRFSorter orders roles.",
  options: { ...sorterOptions, quota: quotaOption },
  cost: 'O(depth × (D + log T)) per placement or finish for T tenants; O(depth) to pick the next tenant (plus O(Q × D) per task with Q quota roles)',
  create: (ctx: PolicyContext, options: Options) => new DrfOrder(ctx, sorterConfig('queue order "drf"', options, ctx.view.resources), quotaConfig('queue order "drf"', options, ctx.view.resources)),
};
