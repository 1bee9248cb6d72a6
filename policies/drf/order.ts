// Queue order "drf": per-task progressive filling over tenants by (weighted, hierarchical) dominant share.
// Cost: O(depth × (D + log T)) per placement, finish or tenant (de)activation; picking the next tenant
// is O(depth) through per-node heaps, never a scan of the T tenants. Simplifications: see below.
import type { Options, PartFactory, PolicyContext, QueueOrder } from '../../src/policy.js';
import type { TaskView } from '../../src/model/task.js';
import { FifoList } from '../fifo.js';
import { checkTenant, sorterConfig, sorterOptions, type SorterConfig } from './options.js';
import { DrfSorter, type SorterNode } from './sorter.js';

interface Tenant {
  /** Moves to a virtual leaf when a sub-role of this tenant appears. */
  node: SorterNode;
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

  constructor(private readonly ctx: PolicyContext, private readonly config: SorterConfig) {
    this.dims = ctx.view.resources.names.length;
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
    if (task.state === 'running') this.sorter.change(tenant.node, task.demand, 1, true);
    if (tenant.blocked && head === task) {
      tenant.blocked = false;
      this.blocked = this.blocked.filter((t) => t !== tenant);
      this.sorter.activateNode(tenant.node);
    }
    if (tenant.queue.size === 0) this.sorter.deactivateNode(tenant.node);
  }

  stopped(task: TaskView): void {
    const tenant = this.tenants.get(task.tenant);
    if (tenant !== undefined) this.sorter.change(tenant.node, task.demand, -1, false);
    this.roomGrew = true;
  }

  machineChanged(): void {
    this.roomGrew = true;
  }

  visit(visit: (task: TaskView) => boolean): void {
    if (this.syncTotal() || this.roomGrew) this.unblock();
    for (let leaf = this.sorter.lowest(); leaf !== undefined; leaf = this.sorter.lowest()) {
      const tenant = this.byNode.get(leaf) as Tenant;
      const task = tenant.queue.first() as TaskView;
      const going = visit(task);
      if (tenant.queue.first() === task) {
        this.sorter.deactivateNode(leaf);
        tenant.blocked = true;
        this.blocked.push(tenant);
      }
      if (!going) break;
    }
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

  /** The tenants seen so far with their current dominant share (for metrics and tests). */
  shares(): { tenant: string; share: number }[] {
    return [...this.tenants.entries()].map(([name, t]) => ({ tenant: name, share: t.node.share }));
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
      tenant = { node: this.sorter.add(name), queue: new FifoList(), blocked: false };
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
  options: sorterOptions,
  cost: 'O(depth × (D + log T)) per placement or finish for T tenants; O(depth) to pick the next tenant',
  create: (ctx: PolicyContext, options: Options) => new DrfOrder(ctx, sorterConfig('queue order "drf"', options, ctx.view.resources)),
};
