// Mesos' hierarchical allocator: whole-agent offers in DRF order, quota stages, decline filters.
// Cost per allocation run: O(A × (R log R + F log F)) for A candidate agents, R roles, F frameworks per role.
// Simplified away (see docs/drf.md): reservations, revocable and shared resources, maintenance, regions.
import type { Micros } from '../../src/engine/time.js';
import { DrfSorter, type SorterNode, type TieBreak } from './sorter.js';

/** An offer: `resources` of agent `agent` to framework `framework` in role `role`. */
export interface Offer {
  readonly framework: string;
  readonly role: string;
  readonly agent: number;
  readonly resources: Float64Array;
}

/** Quota of a top-level role: per dimension, a guarantee (0 = none) and a limit (Infinity = none). */
export interface Quota {
  readonly guarantees: Float64Array;
  readonly limits: Float64Array;
}

export interface AllocatorConfig {
  readonly dims: number;
  readonly excluded: readonly boolean[];
  readonly tieBreak: TieBreak;
  readonly weights: ReadonlyMap<string, number>;
  /** Mesos' allocation interval: filters last at least this long. */
  readonly interval: Micros;
  /** Offerable only if some set is met in full: each set lists [dimension, quantity]; empty = any non-empty offer. */
  readonly minAllocatable: readonly (readonly (readonly [number, number])[])[];
}

interface Framework {
  readonly id: string;
  readonly role: string;
  /** The top-level role, which holds the quota. */
  readonly top: string;
  readonly node: SorterNode;
  /** Per agent: live decline filters. */
  readonly filters: Map<number, Filter[]>;
}

interface Filter {
  readonly refused: Float64Array;
  readonly from: Micros;
  readonly until: Micros;
  /** Batch runs completed when it was installed: it also covers the next one (MESOS-4302). */
  readonly batches: number;
}

interface Agent {
  readonly total: Float64Array;
  /** Offered or allocated and not yet recovered. */
  readonly used: Float64Array;
}

/**
 * The allocator of Mesos' HierarchicalDRFAllocator as `../shared/reference/drf.md` §2 describes it:
 * a role sorter (weights, hierarchy) and a framework sorter per role, both against the cluster total;
 * offered counts as allocated until recovered; stage 1 satisfies quota guarantees (offers chopped to
 * them), stage 2 offers each agent's whole remainder, chopped by limits and by the headroom unmet
 * guarantees need; declines install (framework, agent) filters with a superset test.
 */
export class HierarchicalAllocator {
  readonly roles: DrfSorter;
  private readonly frameworkSorters = new Map<string, DrfSorter>();
  private readonly frameworks = new Map<string, Framework>();
  private readonly agents: (Agent | undefined)[] = [];
  private readonly quotas = new Map<string, Quota>();
  private readonly total: Float64Array;
  private batches = 0;

  constructor(private readonly config: AllocatorConfig) {
    this.roles = new DrfSorter(config.dims, config.excluded, config.tieBreak);
    for (const [path, weight] of config.weights) this.roles.setWeight(path, weight);
    this.total = new Float64Array(config.dims);
  }

  hasFramework(id: string): boolean {
    return this.frameworks.has(id);
  }

  addFramework(id: string, role: string): void {
    if (!this.roles.has(role)) {
      this.roles.add(role);
      this.roles.activate(role);
    }
    let sorter = this.frameworkSorters.get(role);
    if (sorter === undefined) {
      sorter = new DrfSorter(this.config.dims, this.config.excluded, this.config.tieBreak);
      sorter.setTotal(this.total);
      this.frameworkSorters.set(role, sorter);
    }
    const node = sorter.add(id);
    sorter.activateNode(node);
    this.frameworks.set(id, { id, role, top: role.split('/')[0] as string, node, filters: new Map() });
  }

  /** A framework leaves (it holds nothing); a role without frameworks leaves the role sorter. */
  removeFramework(id: string): void {
    const fw = this.framework(id);
    const sorter = this.frameworkSorters.get(fw.role) as DrfSorter;
    sorter.remove(id);
    this.frameworks.delete(id);
    if (sorter.root.children.size === 0) {
      this.frameworkSorters.delete(fw.role);
      this.roles.remove(fw.role);
    }
  }

  /** Suppress (false) or revive (true) a framework's offers; reviving clears its filters. */
  setActive(id: string, active: boolean): void {
    const fw = this.framework(id);
    const sorter = this.frameworkSorters.get(fw.role) as DrfSorter;
    if (active) {
      fw.filters.clear();
      sorter.activateNode(fw.node);
    } else {
      sorter.deactivateNode(fw.node);
    }
  }

  setQuota(role: string, quota: Quota): void {
    this.quotas.set(role, quota);
  }

  setWeight(role: string, weight: number): void {
    this.roles.setWeight(role, weight);
  }

  /** An agent joins with `total`; `used` maps frameworks to resources they already hold there. */
  addAgent(agent: number, total: Float64Array, used: ReadonlyMap<string, Float64Array> = new Map()): void {
    const a: Agent = { total: Float64Array.from(total), used: new Float64Array(this.config.dims) };
    this.agents[agent] = a;
    this.addTotal(total, 1);
    for (const [id, resources] of used) this.hold(this.framework(id), a, resources);
  }

  removeAgent(agent: number): void {
    const a = this.agents[agent];
    if (a === undefined) return;
    this.agents[agent] = undefined;
    this.addTotal(a.total, -1);
    for (const fw of this.frameworks.values()) fw.filters.delete(agent);
  }

  isAgent(agent: number): boolean {
    return this.agents[agent] !== undefined;
  }

  /** Sets what an agent has offered or allocated, e.g. from the simulation's view before a run. */
  setUsed(agent: number, used: Float64Array): void {
    (this.agents[agent] as Agent).used.set(used);
  }

  /** What agent `agent` has neither offered nor allocated. */
  available(agent: number, out: Float64Array): Float64Array {
    const a = this.agents[agent] as Agent;
    for (let d = 0; d < this.config.dims; d++) out[d] = (a.total[d] as number) - (a.used[d] as number);
    return out;
  }

  /**
   * Resources come back from a framework (declined, or its task ended). `refuse` (µs) installs a
   * filter of max(refuse, interval); null or 0 installs none. No allocation runs (Mesos waits for the next).
   */
  recover(id: string, agent: number, resources: Float64Array, refuse: Micros | null, now: Micros): void {
    const fw = this.framework(id);
    const a = this.agents[agent];
    if (a !== undefined) for (let d = 0; d < this.config.dims; d++) a.used[d] = (a.used[d] as number) - (resources[d] as number);
    this.roles.unallocated(fw.role, resources);
    (this.frameworkSorters.get(fw.role) as DrfSorter).change(fw.node, resources, -1, false);
    if (refuse === null || refuse <= 0 || a === undefined) return;
    const filter: Filter = { refused: Float64Array.from(resources), from: now, until: now + Math.max(refuse, this.config.interval), batches: this.batches };
    const list = fw.filters.get(agent);
    if (list === undefined) fw.filters.set(agent, [filter]);
    else list.push(filter);
  }

  /**
   * One allocation run at `now` over `candidates` (agent slots, in the order to visit; `shuffle`
   * reorders them for each stage). `batch` marks the periodic run. Returns the offers in order.
   */
  allocate(now: Micros, candidates: readonly number[], batch: boolean, shuffle: (agents: number[]) => void): Offer[] {
    if (batch) this.batches++;
    const dims = this.config.dims;
    const offers: Offer[] = [];
    const agents = candidates.filter((m) => this.agents[m] !== undefined);
    const consumed = new Map<string, Float64Array>();
    const required = new Float64Array(dims);
    for (const [role, quota] of [...this.quotas.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const c = this.subtreeAllocation(role);
      consumed.set(role, c);
      for (let d = 0; d < dims; d++) required[d] = (required[d] as number) + Math.max(0, (quota.guarantees[d] as number) - (c[d] as number));
    }
    const headroom = new Float64Array(dims);
    for (const a of this.agents) if (a !== undefined) for (let d = 0; d < dims; d++) headroom[d] = (headroom[d] as number) + (a.total[d] as number) - (a.used[d] as number);
    const available = new Float64Array(dims);
    const offer = new Float64Array(dims);

    const quotaOf = (fw: Framework): { quota: Quota; consumed: Float64Array } | undefined => {
      const quota = this.quotas.size === 0 ? undefined : this.quotas.get(fw.top);
      return quota === undefined ? undefined : { quota, consumed: consumed.get(fw.top) as Float64Array };
    };
    const record = (fw: Framework, agent: number, guaranteePart: Float64Array | null): void => {
      const q = quotaOf(fw);
      for (let d = 0; d < dims; d++) {
        const x = offer[d] as number;
        headroom[d] = (headroom[d] as number) - x;
        if (q !== undefined) {
          const unmet = Math.max(0, (q.quota.guarantees[d] as number) - (q.consumed[d] as number));
          const toward = guaranteePart !== null ? (guaranteePart[d] as number) : Math.min(unmet, x);
          required[d] = Math.max(0, (required[d] as number) - toward);
          q.consumed[d] = (q.consumed[d] as number) + x;
        }
      }
      const resources = Float64Array.from(offer);
      this.hold(fw, this.agents[agent] as Agent, resources);
      offers.push({ framework: fw.id, role: fw.role, agent, resources });
    };

    // Stage 1: quota guarantees, offers chopped to what is still unmet.
    if ([...this.quotas.values()].some((q) => q.guarantees.some((g) => g > 0))) {
      const order = agents.slice();
      shuffle(order);
      const guaranteePart = new Float64Array(dims);
      for (const agent of order) {
        for (const role of this.roles.sort()) {
          const sorter = this.frameworkSorters.get(role) as DrfSorter;
          const top = role.split('/')[0] as string;
          const quota = this.quotas.get(top);
          if (quota === undefined || role !== top) continue;
          sorter.walk(sorter.root, (leaf) => {
            const fw = this.frameworks.get(leaf.path) as Framework;
            const c = consumed.get(top) as Float64Array;
            let unmet = false;
            for (let d = 0; d < dims; d++) if ((quota.guarantees[d] as number) > (c[d] as number)) unmet = true;
            if (!unmet) return false;
            this.available(agent, available);
            if (isEmpty(available)) return false;
            let any = false;
            for (let d = 0; d < dims; d++) {
              const g = Math.min(available[d] as number, Math.max(0, (quota.guarantees[d] as number) - (c[d] as number)));
              guaranteePart[d] = g;
              if (g > 0) any = true;
            }
            if (!any) return true;
            for (let d = 0; d < dims; d++) {
              const g = guaranteePart[d] as number;
              let extra = (available[d] as number) - g;
              extra = Math.min(extra, Math.max(0, (quota.limits[d] as number) - (c[d] as number) - g));
              extra = Math.min(extra, Math.max(0, (headroom[d] as number) - (required[d] as number)));
              offer[d] = g + Math.max(0, extra);
            }
            if (!this.allocatable(offer) || this.filtered(fw, agent, offer, now, batch)) return true;
            record(fw, agent, guaranteePart);
            return true;
          });
        }
      }
    }

    // Stage 2: fair share, the whole remainder of each agent, chopped by limits and headroom.
    const order = agents.slice();
    shuffle(order);
    for (const agent of order) {
      this.available(agent, available);
      if (isEmpty(available)) continue;
      for (const role of this.roles.sort()) {
        const sorter = this.frameworkSorters.get(role) as DrfSorter;
        sorter.walk(sorter.root, (leaf) => {
          const fw = this.frameworks.get(leaf.path) as Framework;
          this.available(agent, available);
          if (isEmpty(available)) return false;
          const q = quotaOf(fw);
          const needHeadroom = required.some((r) => r > 0);
          for (let d = 0; d < dims; d++) {
            let x = available[d] as number;
            if (q !== undefined) x = Math.min(x, Math.max(0, (q.quota.limits[d] as number) - (q.consumed[d] as number)));
            if (needHeadroom) x = Math.min(x, Math.max(0, (headroom[d] as number) - (required[d] as number)));
            offer[d] = x;
          }
          if (isEmpty(offer) || !this.allocatable(offer) || this.filtered(fw, agent, offer, now, batch)) return true;
          record(fw, agent, null);
          return true;
        });
      }
    }
    return offers;
  }

  private hold(fw: Framework, a: Agent, resources: Float64Array): void {
    for (let d = 0; d < this.config.dims; d++) a.used[d] = (a.used[d] as number) + (resources[d] as number);
    this.roles.allocated(fw.role, resources);
    (this.frameworkSorters.get(fw.role) as DrfSorter).change(fw.node, resources, 1, true);
  }

  private allocatable(offer: Float64Array): boolean {
    if (isEmpty(offer)) return false;
    const sets = this.config.minAllocatable;
    if (sets.length === 0) return true;
    return sets.some((set) => set.every(([d, q]) => (offer[d] as number) >= q));
  }

  /** A filter blocks while it lasts, and in the first batch run after it was installed, if it refused at least the offer. */
  private filtered(fw: Framework, agent: number, offer: Float64Array, now: Micros, batch: boolean): boolean {
    const list = fw.filters.get(agent);
    if (list === undefined) return false;
    let blocked = false;
    let live = 0;
    for (const f of list) {
      const covers = (now >= f.from && now < f.until) || (batch && this.batches === f.batches + 1 && now > f.from);
      const pending = now < f.until || this.batches <= f.batches;
      if (pending) list[live++] = f;
      if (covers && offer.every((x, d) => x <= (f.refused[d] as number))) blocked = true;
    }
    list.length = live;
    if (live === 0) fw.filters.delete(agent);
    return blocked;
  }

  private framework(id: string): Framework {
    const fw = this.frameworks.get(id);
    if (fw === undefined) throw new Error(`Unknown framework ${JSON.stringify(id)}`);
    return fw;
  }

  private addTotal(resources: Float64Array, sign: 1 | -1): void {
    for (let d = 0; d < this.config.dims; d++) this.total[d] = (this.total[d] as number) + sign * (resources[d] as number);
    this.roles.setTotal(this.total);
    for (const sorter of this.frameworkSorters.values()) sorter.setTotal(this.total);
  }

  private subtreeAllocation(role: string): Float64Array {
    const out = new Float64Array(this.config.dims);
    for (const fw of this.frameworks.values()) {
      if (fw.role !== role && !fw.role.startsWith(`${role}/`)) continue;
      const sorter = this.frameworkSorters.get(fw.role) as DrfSorter;
      for (let d = 0; d < this.config.dims; d++) out[d] = (out[d] as number) + sorter.allocationOf(fw.node, d);
    }
    return out;
  }
}

/** Fisher-Yates shuffle driven by a seeded uniform stream: Mesos shuffles agents randomly, here reproducibly. */
export function shuffleWith(random: () => number): (items: number[]) => void {
  return (items) => {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = items[i] as number;
      items[i] = items[j] as number;
      items[j] = t;
    }
  };
}

function isEmpty(v: Float64Array): boolean {
  for (let d = 0; d < v.length; d++) if ((v[d] as number) > 0) return false;
  return true;
}
