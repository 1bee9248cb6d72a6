// Exact time integrals of allocation per machine, per tenant and for the whole cluster.
import type { Micros } from '../engine/time.js';
import type { Cluster } from '../model/cluster.js';
import { PowerMeter } from '../power/meter.js';
import { ensureLength } from '../typed-array.js';

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
  /** Tenant names in order of first sight; tenant i's numbers are at `i × tenantStride` in `tenantData`. */
  private readonly names: string[] = [];
  private tenantIndex = new Map<string, number>();
  /** Per tenant: allocated × D, share of each resource × D, its integral × D, then dominant share, its integral, last change. */
  private tenantData = new Float64Array(0);
  private readonly tenantStride: number;
  /** Energy accounting, or null when no machine group has a power model. */
  readonly meter: PowerMeter | null;

  constructor(private readonly cluster: Cluster, private start: Micros) {
    this.dims = cluster.dims;
    this.tenantStride = 3 * this.dims + 3;
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
      i = this.names.length;
      this.tenantIndex.set(name, i);
      this.names.push(name);
      this.tenantData = ensureLength(this.tenantData, this.names.length * this.tenantStride);
      this.tenantData[i * this.tenantStride + 3 * this.dims + 2] = this.start;
    }
    return i;
  }

  /** Adds (sign +1) or removes (-1) `demand` from tenant `t` at `now`, integrating its dominant share. */
  tenantChange(t: number, demand: Float64Array, sign: 1 | -1, now: Micros): void {
    const data = this.tenantData;
    const base = t * this.tenantStride;
    const dims = this.dims;
    this.integrate(t, now);
    let share = 0;
    const total = this.cluster.totalCapacity;
    for (let d = 0; d < dims; d++) {
      const a = (data[base + d] as number) + sign * (demand[d] as number);
      data[base + d] = a;
      const cap = total[d] as number;
      const s = cap > 0 ? a / cap : 0;
      data[base + dims + d] = s;
      if (s > share) share = s;
    }
    data[base + 3 * dims] = share;
  }

  /** Brings every machine, tenant and the cluster up to `now`. */
  finish(now: Micros): void {
    this.ensure(this.cluster.size);
    for (let m = 0; m < this.cluster.size; m++) this.touch(m, now);
    this.touchCluster(now);
    for (let t = 0; t < this.names.length; t++) this.integrate(t, now);
  }

  /** Each tenant's time-averaged dominant share over [start, now], in order of first sight. */
  tenantShares(now: Micros): { name: string; share: number }[] {
    const span = now - this.start;
    return this.names.map((name, t) => ({ name, share: span > 0 ? (this.tenantData[t * this.tenantStride + 3 * this.dims + 1] as number) / span : 0 }));
  }

  /** Tenants seen so far, in order of first sight (index = tenant number). */
  get tenants(): readonly string[] {
    return this.names;
  }

  /** Tenant `t`'s dominant share (unweighted, flat) since its last change. */
  tenantShare(t: number): number {
    return this.tenantData[t * this.tenantStride + 3 * this.dims] as number;
  }

  /** Tenant `t`'s allocation of resource `d` now. */
  tenantAllocated(t: number, d: number): number {
    return this.tenantData[t * this.tenantStride + d] as number;
  }

  /** Tenant `t`'s allocation of resource `d` ÷ capacity up at its last change. */
  tenantResourceShare(t: number, d: number): number {
    return this.tenantData[t * this.tenantStride + this.dims + d] as number;
  }

  /** Each tenant's time-averaged share of every resource over [start, now] (call after `finish(now)`). */
  tenantResourceShares(now: Micros): Float64Array[] {
    const span = now - this.start;
    const dims = this.dims;
    return this.names.map((_, t) => {
      const from = t * this.tenantStride + 2 * dims;
      return this.tenantData.slice(from, from + dims).map((x) => (span > 0 ? x / span : 0));
    });
  }

  /** Integrates tenant `t`'s shares up to `now`. */
  private integrate(t: number, now: Micros): void {
    const data = this.tenantData;
    const dims = this.dims;
    const base = t * this.tenantStride;
    const at = base + 3 * dims;
    const dt = now - (data[at + 2] as number);
    data[at + 1] = (data[at + 1] as number) + (data[at] as number) * dt;
    for (let d = 0; d < dims; d++) data[base + 2 * dims + d] = (data[base + 2 * dims + d] as number) + (data[base + dims + d] as number) * dt;
    data[at + 2] = now;
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
