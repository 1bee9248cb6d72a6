// Exact time integrals of allocation per machine, per tenant and for the whole cluster.
import type { Micros } from '../engine/time.js';
import type { Cluster } from '../model/cluster.js';
import { PowerMeter } from '../power/meter.js';

/**
 * Allocation is piecewise constant between events, so integrals are exact when every change is
 * preceded by a `touch` of what changes. Accounting starts at `start` (the first submission).
 */
export class UsageLedger {
  private readonly dims: number;
  private last = new Float64Array(0);
  /** Per machine and dimension: ∫ allocated dt (base unit × µs). */
  allocated = new Float64Array(0);
  /** Per machine: µs with at least one task running, and µs up. */
  busy = new Float64Array(0);
  upTime = new Float64Array(0);
  /** Per machine: task attempts started there. */
  started = new Float64Array(0);
  /** Cluster-wide per dimension: ∫ allocated dt and ∫ capacity-up dt. */
  readonly clusterAllocated: Float64Array;
  readonly clusterCapacity: Float64Array;
  private clusterLast = 0;
  private readonly tenants: TenantUsage[] = [];
  private tenantIndex = new Map<string, number>();
  /** Energy accounting, or null when no machine group has a power model. */
  readonly meter: PowerMeter | null;

  constructor(private readonly cluster: Cluster, private start: Micros) {
    this.dims = cluster.dims;
    this.clusterAllocated = new Float64Array(this.dims);
    this.clusterCapacity = new Float64Array(this.dims);
    this.clusterLast = start;
    this.meter = PowerMeter.for(cluster);
    this.ensure(cluster.size);
  }

  /** Restarts accounting at `start` (before anything was allocated). */
  restart(start: Micros): void {
    this.start = start;
    this.clusterLast = start;
    this.last.fill(start);
  }

  /** Starts accounting machine `m` at `time` (a machine that joined during the run). */
  restartMachine(m: number, time: Micros): void {
    this.last[m] = time;
  }

  get from(): Micros {
    return this.start;
  }

  /** Accounts machine `m` and the cluster up to `now`; call before changing either. */
  touch(m: number, now: Micros): void {
    const c = this.cluster;
    const dt = now - (this.last[m] as number);
    if (dt > 0) {
      if (c.up[m] === 1) this.upTime[m] = (this.upTime[m] as number) + dt;
      if ((c.running[m] as number) > 0) {
        this.busy[m] = (this.busy[m] as number) + dt;
        const base = m * this.dims;
        for (let d = 0; d < this.dims; d++) {
          const used = (c.capacity[base + d] as number) - (c.free[base + d] as number);
          this.allocated[base + d] = (this.allocated[base + d] as number) + used * dt;
        }
      }
      if (this.meter !== null) this.meter.accrue(m, dt);
      this.last[m] = now;
    }
    this.touchCluster(now);
  }

  /** Counts a task attempt starting on `m`. */
  countStart(m: number): void {
    this.started[m] = (this.started[m] as number) + 1;
  }

  touchCluster(now: Micros): void {
    const dt = now - this.clusterLast;
    if (dt <= 0) return;
    const c = this.cluster;
    for (let d = 0; d < this.dims; d++) {
      this.clusterAllocated[d] = (this.clusterAllocated[d] as number) + (c.allocated[d] as number) * dt;
      this.clusterCapacity[d] = (this.clusterCapacity[d] as number) + (c.totalCapacity[d] as number) * dt;
    }
    this.clusterLast = now;
  }

  /** The dense index of `tenant`, registering it on first sight. */
  tenant(name: string): number {
    let i = this.tenantIndex.get(name);
    if (i === undefined) {
      i = this.tenants.length;
      this.tenantIndex.set(name, i);
      this.tenants.push({ name, allocated: new Float64Array(this.dims), share: 0, integral: 0, last: this.start, shares: new Float64Array(this.dims), shareIntegrals: new Float64Array(this.dims) });
    }
    return i;
  }

  /** Adds (sign +1) or removes (-1) `demand` from tenant `t` at `now`, integrating its dominant share. */
  tenantChange(t: number, demand: Float64Array, sign: 1 | -1, now: Micros): void {
    const usage = this.tenants[t] as TenantUsage;
    integrate(usage, now);
    let share = 0;
    const total = this.cluster.totalCapacity;
    for (let d = 0; d < this.dims; d++) {
      const a = (usage.allocated[d] as number) + sign * (demand[d] as number);
      usage.allocated[d] = a;
      const cap = total[d] as number;
      usage.shares[d] = cap > 0 ? a / cap : 0;
      if (cap > 0 && a / cap > share) share = a / cap;
    }
    usage.share = share;
  }

  /** Brings every machine, tenant and the cluster up to `now`. */
  finish(now: Micros): void {
    this.ensure(this.cluster.size);
    for (let m = 0; m < this.cluster.size; m++) this.touch(m, now);
    this.touchCluster(now);
    for (const usage of this.tenants) integrate(usage, now);
  }

  /** Each tenant's time-averaged dominant share over [start, now], in order of first sight. */
  tenantShares(now: Micros): { name: string; share: number }[] {
    const span = now - this.start;
    return this.tenants.map((u) => ({ name: u.name, share: span > 0 ? u.integral / span : 0 }));
  }

  /** Tenants seen so far, in order of first sight: name, allocation and shares now (allocation ÷ capacity up at their last change). */
  get tenantUsage(): readonly Readonly<TenantUsage>[] {
    return this.tenants;
  }

  /** Each tenant's time-averaged share of every resource over [start, now] (call after `finish(now)`). */
  tenantResourceShares(now: Micros): Float64Array[] {
    const span = now - this.start;
    return this.tenants.map((u) => u.shareIntegrals.map((x) => (span > 0 ? x / span : 0)));
  }

  /** Makes room for machines added since construction. */
  ensure(slots: number): void {
    this.meter?.ensure(slots);
    if (slots <= this.last.length) return;
    const n = Math.max(slots, 2 * this.last.length);
    const grow = (a: Float64Array, per: number, fill = 0): Float64Array<ArrayBuffer> => {
      const out = new Float64Array(n * per).fill(fill);
      out.set(a);
      return out;
    };
    const oldLength = this.last.length;
    this.last = grow(this.last, 1);
    this.last.fill(this.start, oldLength);
    this.allocated = grow(this.allocated, this.dims);
    this.busy = grow(this.busy, 1);
    this.upTime = grow(this.upTime, 1);
    this.started = grow(this.started, 1);
  }
}

export interface TenantUsage {
  readonly name: string;
  readonly allocated: Float64Array;
  /** Dominant share (unweighted, flat) since the tenant's last change. */
  share: number;
  integral: number;
  last: Micros;
  /** Per resource: allocated ÷ capacity up, since the last change, and its time integral. */
  readonly shares: Float64Array;
  readonly shareIntegrals: Float64Array;
}

function integrate(usage: TenantUsage, now: Micros): void {
  const dt = now - usage.last;
  usage.integral += usage.share * dt;
  for (let d = 0; d < usage.shares.length; d++) usage.shareIntegrals[d] = (usage.shareIntegrals[d] as number) + (usage.shares[d] as number) * dt;
  usage.last = now;
}
