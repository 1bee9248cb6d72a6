// Queue order "drf": per-task progressive filling over tenants by (weighted, hierarchical) dominant share.
// Cost: O(depth × (D + log T)) per placement, finish or tenant (de)activation; picking the next tenant
// is O(depth) through per-node heaps, never a scan of the T tenants. Simplifications: see below.
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
  /** Its oldest task did not fit and no room has grown since: out of the order until then. */
  blocked: boolean;
}

/**
 * The DRF paper's progressive filling, task by task: the tenant (a role path) with the lowest
 * dominant share offers its oldest pending task; each placement updates the shares before the
 * next pick. Shares are Mesos' DRFSorter's (cluster total of up machines as denominator, weights,
 * hierarchy, exclusions, tie-breaks). A tenant whose oldest task does not fit is skipped for the
 * rest of the round (the paper's practical variant: allocation continues with the next-lowest
 * share) and its later tasks wait behind it. Allocation is what the tenant's running tasks hold.
 * A skipped tenant stays out of the order until room grows (a task stops, a machine changes) and
 * its oldest task may fit somewhere again, or that task leaves: rounds after arrivals then cost
 * nothing for the tenants already known not to fit.
 * With quota, a round first fills roles whose guarantees are unmet (in DRF order, only with tasks
 * that advance a guarantee), then everyone; every task must stay within its role's limits and
 * leave the headroom unmet guarantees need (`QuotaBook`); a tenant held back by quota is skipped
 * for the round.
 */
export class DrfOrder implements QueueOrder {
  readonly sorter: DrfSorter;
  private readonly tenants = new Map<string, Tenant>();
  private readonly byNode = new Map<SorterNode, Tenant>();
  private readonly total: Float64Array;
  private readonly dims: number;
  private readonly owner = 'queue order "drf"';
  private blocked: Tenant[] = [];
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
    if (!tenant.blocked) this.sorter.activateNode(tenant.node);
  }

  remove(task: TaskView): void {
    const tenant = this.tenants.get(task.tenant);
    if (tenant === undefined) return;
    const head = tenant.queue.first();
    tenant.queue.remove(task);
    if (task.state === 'running') {
      this.sorter.change(tenant.node, task.demand, 1, true);
      this.quota?.change(tenant.quota, task.demand, 1);
    }
    if (tenant.blocked && head === task) {
      tenant.blocked = false;
      this.blocked = this.blocked.filter((t) => t !== tenant);
      this.sorter.activateNode(tenant.node);
    }
    if (tenant.queue.size === 0) this.sorter.deactivateNode(tenant.node);
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
    if (this.syncTotal() || this.roomGrew) this.unblock();
    const quota = this.quota;
    if (quota === null) {
      this.fill(visit, () => this.sorter.lowest(), null, []);
      return;
    }
    const skipped: Tenant[] = [];
    const unmet = quota.entries
      .filter((e) => quota.unmet(e))
      .map((e) => ({ e, node: this.sorter.find(e.role) }))
      .filter((x): x is { e: QuotaEntry; node: SorterNode } => x.node !== undefined && x.node.heapPos >= 0)
      .sort((a, b) => this.sorter.compare(a.node, b.node));
    let going = true;
    for (const { e, node } of unmet) {
      const stage1 = (task: TaskView, tenant: Tenant) => quota.advances(e, task.demand) && quota.admits(tenant.quota, task.demand, this.total);
      going = this.fill(visit, () => (quota.unmet(e) ? this.sorter.lowest(node) : undefined), stage1, skipped);
      if (!going) break;
    }
    for (const tenant of skipped) if (!tenant.blocked && tenant.queue.size > 0) this.sorter.activateNode(tenant.node);
    skipped.length = 0;
    if (going) this.fill(visit, () => this.sorter.lowest(), (task, tenant) => quota.admits(tenant.quota, task.demand, this.total), skipped);
    for (const tenant of skipped) if (!tenant.blocked && tenant.queue.size > 0) this.sorter.activateNode(tenant.node);
  }

  /**
   * Progressive filling over the tenants `next` yields: a tenant whose oldest task `allowed` refuses
   * sits out (into `skipped`), one whose oldest task was not placed is blocked. False if `visit` stopped.
   */
  private fill(visit: (task: TaskView) => boolean, next: () => SorterNode | undefined, allowed: ((task: TaskView, tenant: Tenant) => boolean) | null, skipped: Tenant[]): boolean {
    for (let leaf = next(); leaf !== undefined; leaf = next()) {
      const tenant = this.byNode.get(leaf) as Tenant;
      const task = tenant.queue.first() as TaskView;
      if (allowed !== null && !allowed(task, tenant)) {
        this.sorter.deactivateNode(leaf);
        skipped.push(tenant);
        continue;
      }
      const going = visit(task);
      if (tenant.queue.first() === task) {
        this.sorter.deactivateNode(leaf);
        tenant.blocked = true;
        this.blocked.push(tenant);
      }
      if (!going) return false;
    }
    return true;
  }

  /** Room grew: blocked tenants whose oldest task may now fit somewhere rejoin the order (O(D) each). */
  private unblock(): void {
    this.roomGrew = false;
    const view = this.ctx.view;
    let kept = 0;
    for (const tenant of this.blocked) {
      const head = tenant.queue.first();
      if (head !== undefined && !view.mayFit(head)) {
        this.blocked[kept++] = tenant;
        continue;
      }
      tenant.blocked = false;
      if (head !== undefined) this.sorter.activateNode(tenant.node);
    }
    this.blocked.length = kept;
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
      tenant = { node: this.sorter.add(name), queue: new FifoList(), blocked: false, quota: this.quota?.of(name) };
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
