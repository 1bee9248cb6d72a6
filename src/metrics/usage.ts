// Exact time integrals of allocation per machine, per tenant and for the whole cluster.
import type { Micros } from '../engine/time.js';
import type { Cluster } from '../model/cluster.js';
import { PowerMeter } from '../power/meter.js';
import { ensureLength } from '../typed-array.js';

// A machine's numbers, side by side so that accounting a machine touches one or two cache lines
// instead of one per number: when it was last accounted, µs up, µs with at least one task running,
// task attempts started there, then ∫ allocated dt per dimension (base unit × µs).
const LAST = 0;
const UP = 1;
const BUSY = 2;
const STARTED = 3;
const ALLOCATED = 4;

/**
 * Allocation is piecewise constant between events, so integrals are exact when every change is
 * preceded by a `touch` of what changes. Accounting starts at `start` (the first submission).
 */
export class UsageLedger {
  private readonly dims: number;
  /** Per machine, `stride` numbers from m × stride: see LAST … ALLOCATED. */
  private machines = new Float64Array(0);
  private readonly stride: number;
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
    this.stride = ALLOCATED + this.dims;
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
    this.accountFrom(0, start);
  }

  /** Starts accounting machine `m` at `time` (a machine that joined during the run). */
  restartMachine(m: number, time: Micros): void {
    this.machines[m * this.stride + LAST] = time;
  }

  get from(): Micros {
    return this.start;
  }

  /** Accounts machine `m` and the cluster up to `now`; call before changing either. */
  touch(m: number, now: Micros): void {
    const c = this.cluster;
    const mine = this.machines;
    const at = m * this.stride;
    const dt = now - (mine[at + LAST] as number);
    if (dt > 0) {
      if (c.up[m] === 1) mine[at + UP] = (mine[at + UP] as number) + dt;
      if ((c.running[m] as number) > 0) {
        mine[at + BUSY] = (mine[at + BUSY] as number) + dt;
        const base = m * this.dims;
        for (let d = 0; d < this.dims; d++) {
          const used = (c.capacity[base + d] as number) - (c.free[base + d] as number);
          mine[at + ALLOCATED + d] = (mine[at + ALLOCATED + d] as number) + used * dt;
        }
      }
      if (this.meter !== null) this.meter.accrue(m, dt);
      mine[at + LAST] = now;
    }
    this.touchCluster(now);
  }

  /** Counts a task attempt starting on `m`. */
  countStart(m: number): void {
    const at = m * this.stride + STARTED;
    this.machines[at] = (this.machines[at] as number) + 1;
  }

  /** Machine `m`'s µs up so far (as of its last `touch`). */
  upTime(m: number): number {
    return this.machines[m * this.stride + UP] as number;
  }

  /** Machine `m`'s µs with at least one task running. */
  busy(m: number): number {
    return this.machines[m * this.stride + BUSY] as number;
  }

  /** Task attempts started on machine `m`. */
  started(m: number): number {
    return this.machines[m * this.stride + STARTED] as number;
  }

  /** Machine `m`'s ∫ allocated dt of resource `d` (base unit × µs). */
  allocated(m: number, d: number): number {
    return this.machines[m * this.stride + ALLOCATED + d] as number;
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
    const known = this.machines.length / this.stride;
    if (slots <= known) return;
    this.machines = ensureLength(this.machines, slots * this.stride);
    this.accountFrom(known, this.start);
  }

  /** Sets the last-accounted time of machine `from` and of every later one the array has room for to `time`. */
  private accountFrom(from: number, time: Micros): void {
    for (let m = from; m * this.stride < this.machines.length; m++) this.machines[m * this.stride + LAST] = time;
  }
}
