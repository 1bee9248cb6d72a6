// The read-only ClusterView policies see, backed by the live Cluster and its indexes.
import type { Micros } from '../engine/time.js';
import type { ClusterView } from '../policy.js';
import type { GroupPower } from '../power/spec.js';
import type { Attributes, Constraint } from './constraints.js';
import { Cluster, GROW_LOG, SLOT_SPAN, type FreeOrder } from './cluster.js';
import { scanWithRoom, type KeyLayout } from './room-scan.js';
import type { TaskView } from './task.js';
import { copyFew } from '../typed-array.js';

/** Free orders' keys: the slot itself, or counted from the top so that going down meets low slots first. */
const IN_SLOT_ORDER: KeyLayout = { reversed: false, slots: null };
const FROM_TOP: KeyLayout = { reversed: true, slots: null };

/** How many demands that fitted nowhere `fitByFree` remembers with their growth count. */
const FAILURES = 8;

/** True if `a[at…at+n)` equals `b[0…n)`. */
function sameVector(a: Float64Array, at: number, b: Float64Array, n: number): boolean {
  for (let d = 0; d < n; d++) if (a[at + d] !== b[d]) return false;
  return true;
}

/** Implements {@link ClusterView} over a cluster; `clock` supplies the simulated time. */
export class LiveClusterView implements ClusterView {
  private scanOrder: FreeOrder | null = null;
  private scanVisit: (machine: number) => boolean = () => true;
  private scanFloor = 0;
  private stoppedShort = false;
  private fitTask: TaskView | null = null;
  /** The cluster's free orders by dimension, ascending-slot ties (up) and from-top ties (down), once asked for. */
  private readonly ordersUp: (FreeOrder | undefined)[] = [];
  private readonly ordersDown: (FreeOrder | undefined)[] = [];
  private readonly acceptKeyUp = (key: number): boolean => this.scanVisit(Cluster.slotOfKey(this.scanOrder as FreeOrder, key));
  private readonly acceptKeyDown = (key: number): boolean => {
    if (key < this.scanFloor) return (this.stoppedShort = true);
    return this.scanVisit(Cluster.slotOfKey(this.scanOrder as FreeOrder, key));
  };
  private readonly constraintsHold = (m: number): boolean => this.cluster.fits(m, (this.fitTask as TaskView).demand, (this.fitTask as TaskView).constraints);
  /** The room scans visit only machines with room: a task without constraints takes the first. */
  private readonly anyMachine = (): boolean => true;
  /** The latest demands `fitByFree` found no machine for: values, constraints, dimension, direction (1 up) and growth count. */
  private readonly failedDemand: Float64Array;
  private readonly failedConstraints: (readonly Constraint[])[] = [];
  private readonly failedDim = new Int32Array(FAILURES);
  private readonly failedUp = new Uint8Array(FAILURES);
  private readonly failedGrew = new Float64Array(FAILURES);
  private failures = 0;
  private nextFailure = -1;

  constructor(private readonly cluster: Cluster, private readonly clock: () => Micros) {
    this.failedDemand = new Float64Array(FAILURES * cluster.dims);
  }

  get now(): Micros {
    return this.clock();
  }
  get resources() {
    return this.cluster.resources;
  }
  get size(): number {
    return this.cluster.size;
  }
  isUp(m: number): boolean {
    return this.cluster.up[m] === 1;
  }
  machineId(m: number): string {
    return this.cluster.ids[m] as string;
  }
  get groups(): readonly string[] {
    return this.cluster.groupNames;
  }
  group(m: number): string {
    return this.cluster.groupNames[this.cluster.groupOf[m] as number] as string;
  }
  attributes(m: number): Attributes {
    return this.cluster.attributes[m] as Attributes;
  }
  speed(m: number): number {
    return this.cluster.speed[m] as number;
  }
  capacity(m: number, d: number): number {
    return this.cluster.capacity[m * this.cluster.dims + d] as number;
  }
  free(m: number, d: number): number {
    return this.cluster.free[m * this.cluster.dims + d] as number;
  }
  runningCount(m: number): number {
    return this.cluster.running[m] as number;
  }
  power(m: number): GroupPower | undefined {
    return this.cluster.spec.groups[this.cluster.groupOf[m] as number]?.power;
  }
  totalCapacity(d: number): number {
    return this.cluster.totalCapacity[d] as number;
  }
  fits(task: TaskView, m: number): boolean {
    return m >= 0 && m < this.cluster.size && this.cluster.fits(m, task.demand, task.constraints);
  }
  get grew(): number {
    return this.cluster.grew;
  }
  grownMachine(k: number): number {
    return this.cluster.grownMachine(k);
  }
  mayFit(task: TaskView): boolean {
    return this.cluster.tree.mayFit(task.demand);
  }
  firstFit(task: TaskView, from = 0): number {
    // tasks left waiting are asked about round after round: answer known misfits at once
    const noFit = this.cluster.noFit;
    if (noFit.covers(task.demand, task.constraints)) return -1;
    let m: number;
    if (task.constraints.length === 0) {
      m = this.cluster.tree.firstFit(task.demand, from);
    } else {
      this.fitTask = task;
      m = this.cluster.tree.firstFit(task.demand, from, this.constraintsHold);
    }
    if (m < 0 && from === 0) noFit.remember(task.demand, task.constraints);
    return m;
  }
  fitByFree(task: TaskView, dim: number, direction: 'up' | 'down'): number {
    const cluster = this.cluster;
    const noFit = cluster.noFit;
    const { demand, constraints } = task;
    if (noFit.covers(demand, constraints)) return -1;
    // asked again about a demand that fitted nowhere at some growth count: only machines that
    // grew since can fit it now, and the latest growths are logged
    const entry = this.failureEntry(demand, constraints, dim, direction);
    if (entry >= 0 && cluster.grew - (this.failedGrew[entry] as number) <= GROW_LOG) {
      const m = this.bestGrownSince(this.failedGrew[entry] as number, demand, constraints, dim, direction);
      if (m < 0) {
        noFit.remember(demand, constraints);
        this.rememberFailure(entry, demand, constraints, dim, direction);
      }
      return m;
    }
    // no first-fit search to rule out "nothing fits": a scan from the task's own demand up (or
    // down to it) passes every machine with room, so it fails exactly when first-fit would. The
    // max-free tree's root rules a misfit out in O(D), but is read only where the run keeps the
    // tree anyway: best-fit alone never reads it, and so pays nothing for its upkeep
    let m = -1;
    if (!cluster.tree.isKept || cluster.tree.mayFit(demand)) {
      // only constraintsHold reads the task: a store of a task's record (usually a young object)
      // into this long-lived view costs a write-barrier call, so it is made only when needed
      let visit: (machine: number) => boolean = this.anyMachine;
      if (constraints.length > 0) {
        this.fitTask = task;
        visit = this.constraintsHold;
      }
      const atLeast = demand[dim] as number;
      m = direction === 'up' ? this.scanByFreeUp(dim, atLeast, visit, demand) : this.scanByFreeDown(dim, atLeast, visit, demand);
    }
    if (m < 0) {
      noFit.remember(demand, constraints);
      this.rememberFailure(entry, demand, constraints, dim, direction);
    }
    return m;
  }
  collectFits(task: TaskView, out: Int32Array): number {
    if (task.constraints.length === 0) return this.cluster.tree.collect(task.demand, out);
    this.fitTask = task;
    return this.cluster.tree.collect(task.demand, out, this.constraintsHold);
  }
  scanByFreeUp(dim: number, atLeast: number, visit: (machine: number) => boolean, roomFor?: Float64Array): number {
    const order = (this.ordersUp[dim] ??= this.cluster.freeOrder(dim, false));
    const keys = this.cluster.settled(order);
    if (order.buckets !== null) return order.buckets.scan(atLeast, 1, visit, roomFor, this.cluster.free);
    if (roomFor !== undefined) return scanWithRoom(keys, order.lowSlotsFirstFromTop ? FROM_TOP : IN_SLOT_ORDER, atLeast * SLOT_SPAN, roomFor, this.cluster.free, this.cluster.dims, visit, 1);
    this.scanOrder = order;
    this.scanVisit = visit;
    const key = keys.findUp(atLeast * SLOT_SPAN, this.acceptKeyUp);
    return key < 0 ? -1 : Cluster.slotOfKey(order, key);
  }
  /** The entry of the failure memory for this demand, dimension and direction, or -1. */
  private failureEntry(demand: Float64Array, constraints: readonly Constraint[], dim: number, direction: 'up' | 'down'): number {
    const dims = this.cluster.dims;
    const up = direction === 'up' ? 1 : 0;
    for (let e = 0; e < this.failures; e++) {
      if (this.failedConstraints[e] === constraints && this.failedDim[e] === dim && this.failedUp[e] === up && sameVector(this.failedDemand, e * dims, demand, dims)) return e;
    }
    return -1;
  }

  /** Notes that `fitByFree` found no machine for this demand now (at the current growth count), in `entry` if it has one (else a new or the oldest entry). */
  private rememberFailure(entry: number, demand: Float64Array, constraints: readonly Constraint[], dim: number, direction: 'up' | 'down'): void {
    let e = entry;
    if (e < 0) {
      if (this.failures < FAILURES) e = this.failures++;
      else e = this.nextFailure = (this.nextFailure + 1) % FAILURES;
    }
    copyFew(this.failedDemand, demand, e * this.cluster.dims);
    this.failedConstraints[e] = constraints;
    this.failedDim[e] = dim;
    this.failedUp[e] = direction === 'up' ? 1 : 0;
    this.failedGrew[e] = this.cluster.grew;
  }

  /** Best-fit (up) or worst-fit (down) among the machines that grew since growth `since`: the others still have no room. */
  private bestGrownSince(since: number, demand: Float64Array, constraints: readonly Constraint[], dim: number, direction: 'up' | 'down'): number {
    const cluster = this.cluster;
    let best = -1;
    let bestFree = 0;
    for (let k = since; k < cluster.grew; k++) {
      const m = cluster.grownMachine(k);
      if (m < 0 || !cluster.fits(m, demand, constraints)) continue;
      const q = cluster.free[m * cluster.dims + dim] as number;
      if (best < 0 || (direction === 'up' ? q < bestFree : q > bestFree) || (q === bestFree && m < best)) {
        best = m;
        bestFree = q;
      }
    }
    return best;
  }

  scanByFreeDown(dim: number, atLeast: number, visit: (machine: number) => boolean, roomFor?: Float64Array): number {
    const order = (this.ordersDown[dim] ??= this.cluster.freeOrder(dim, true));
    const keys = this.cluster.settled(order);
    if (order.buckets !== null) return order.buckets.scan(atLeast, -1, visit, roomFor, this.cluster.free);
    if (roomFor !== undefined) return scanWithRoom(keys, order.lowSlotsFirstFromTop ? FROM_TOP : IN_SLOT_ORDER, atLeast * SLOT_SPAN, roomFor, this.cluster.free, this.cluster.dims, visit, -1);
    this.scanOrder = order;
    this.scanVisit = visit;
    this.scanFloor = atLeast * SLOT_SPAN;
    this.stoppedShort = false;
    const key = keys.findDown(this.acceptKeyDown);
    return key < 0 || this.stoppedShort ? -1 : Cluster.slotOfKey(order, key);
  }
}
