// The read-only ClusterView policies see, backed by the live Cluster and its indexes.
import type { Micros } from '../engine/time.js';
import type { ClusterView } from '../policy.js';
import type { GroupPower } from '../power/spec.js';
import type { Attributes } from './constraints.js';
import { Cluster, SLOT_SPAN, type FreeOrder } from './cluster.js';
import { lowerBound } from './sorted-keys.js';
import type { TaskView } from './task.js';

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
  /** Scratch for {@link scanWithRoom}: the maximum free room seen in the chunk being scanned. */
  private exactBound = new Float64Array(0);
  private readonly acceptKeyUp = (key: number): boolean => this.scanVisit(Cluster.slotOfKey(this.scanOrder as FreeOrder, key));
  private readonly acceptKeyDown = (key: number): boolean => {
    if (key < this.scanFloor) return (this.stoppedShort = true);
    return this.scanVisit(Cluster.slotOfKey(this.scanOrder as FreeOrder, key));
  };
  private readonly constraintsHold = (m: number): boolean => this.cluster.fits(m, (this.fitTask as TaskView).demand, (this.fitTask as TaskView).constraints);

  constructor(private readonly cluster: Cluster, private readonly clock: () => Micros) {}

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
  collectFits(task: TaskView, out: Int32Array): number {
    if (task.constraints.length === 0) return this.cluster.tree.collect(task.demand, out);
    this.fitTask = task;
    return this.cluster.tree.collect(task.demand, out, this.constraintsHold);
  }
  scanByFreeUp(dim: number, atLeast: number, visit: (machine: number) => boolean, roomFor?: Float64Array): number {
    const order = (this.ordersUp[dim] ??= this.cluster.freeOrder(dim, false));
    if (roomFor !== undefined) return this.scanWithRoom(order, atLeast * SLOT_SPAN, roomFor, visit, 1);
    this.scanOrder = order;
    this.scanVisit = visit;
    const key = order.keys.findUp(atLeast * SLOT_SPAN, this.acceptKeyUp);
    return key < 0 ? -1 : Cluster.slotOfKey(order, key);
  }
  scanByFreeDown(dim: number, atLeast: number, visit: (machine: number) => boolean, roomFor?: Float64Array): number {
    const order = (this.ordersDown[dim] ??= this.cluster.freeOrder(dim, true));
    if (roomFor !== undefined) return this.scanWithRoom(order, atLeast * SLOT_SPAN, roomFor, visit, -1);
    this.scanOrder = order;
    this.scanVisit = visit;
    this.scanFloor = atLeast * SLOT_SPAN;
    this.stoppedShort = false;
    const key = order.keys.findDown(this.acceptKeyDown);
    return key < 0 || this.stoppedShort ? -1 : Cluster.slotOfKey(order, key);
  }

  /**
   * The scans above when only machines with room for `demand` may be visited. Best-fit passed over
   * ~140 machines per task in the benchmark that are tight on its fit dimension but lack room on another, so
   * whole chunks of the order whose bound on free room falls short are skipped, and the room test
   * is done here inline on the raw keys and free array rather than through callbacks. A chunk
   * scanned end to end without a pick gets its bound tightened to the exact maximum on the way.
   * `step` 1 scans keys ≥ `floor` ascending; -1 scans from the top down to `floor`.
   */
  private scanWithRoom(order: FreeOrder, floor: number, demand: Float64Array, visit: (machine: number) => boolean, step: 1 | -1): number {
    const keys = order.keys;
    const chunks = keys.sortedChunks;
    const free = this.cluster.free;
    const dims = this.cluster.dims;
    const fromTop = order.lowSlotsFirstFromTop;
    let exact = this.exactBound;
    if (exact.length !== dims) exact = this.exactBound = new Float64Array(dims);
    let c = step === 1 ? keys.chunkFor(floor) : chunks.length - 1;
    let i = step === 1 && c < chunks.length ? lowerBound(chunks[c] as readonly number[], floor) : -1;
    for (; c >= 0 && c < chunks.length; c += step, i = -1) {
      const chunk = chunks[c] as readonly number[];
      const bound = keys.bound(c);
      let d = 0;
      while (d < dims && (bound[d] as number) >= (demand[d] as number)) d++;
      if (d < dims) {
        // nothing in this chunk has room; going down, it may still hold the stopping key
        if (step === -1 && (chunk[0] as number) < floor) return -1;
        continue;
      }
      const whole = i <= 0;
      if (i < 0) i = step === 1 ? 0 : chunk.length - 1;
      exact.fill(-Infinity);
      for (; i >= 0 && i < chunk.length; i += step) {
        const key = chunk[i] as number;
        if (key < floor) return -1;
        // Cluster.slotOfKey, inlined
        const low = key - Math.floor(key / SLOT_SPAN) * SLOT_SPAN;
        const m = fromTop ? SLOT_SPAN - 1 - low : low;
        const base = m * dims;
        let fitsAll = true;
        for (let k = 0; k < dims; k++) {
          const q = free[base + k] as number;
          if (q < (demand[k] as number)) fitsAll = false;
          if (q > (exact[k] as number)) exact[k] = q;
        }
        if (fitsAll && visit(m)) return m;
      }
      if (whole) keys.setBound(c, exact);
    }
    return -1;
  }
}
