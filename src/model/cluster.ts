// Live cluster state as a struct of arrays, with the indexes placements search instead of scanning.
import { satisfies, type Attributes, type Constraint } from './constraints.js';
import type { ClusterSpec } from './cluster-spec.js';
import { MaxFreeTree } from './max-free-tree.js';
import { NoFitMemory } from './no-fit-memory.js';
import type { ResourceSpace } from './resources.js';
import { SortedKeys } from './sorted-keys.js';
import { FreeBuckets, MAX_BUCKETS } from './free-buckets.js';
import { ensureLength } from '../typed-array.js';

/** Packed index keys are quantity × SLOT_SPAN + slot, exact while quantities stay below 2^32. */
export const SLOT_SPAN = 2 ** 21;
export const MAX_SLOTS = SLOT_SPAN;
/**
 * Keys per chunk of a free order. Small chunks make each chunk's bound on free room (which lets
 * best-fit skip runs of machines tight on other dimensions) precise, at little cost to updates.
 */
const ORDER_CHUNK = 32;
/** How many of the latest growths {@link Cluster.grownMachine} remembers (a power of two: the log is indexed by k & (GROW_LOG − 1)). */
export const GROW_LOG = 64;

/** The position (a slot, or a policy's rank of machines) in the low part of a packed key. */
export function keyPosition(key: number): number {
  // exact for keys below 2^53 (SLOT_SPAN is a power of two), and much cheaper than a float `%`
  return key - Math.floor(key / SLOT_SPAN) * SLOT_SPAN;
}

/** The position of a packed key whose low part is SLOT_SPAN − 1 − position (equal quantities scan lowest position first going down). */
export function keyPositionFromTop(key: number): number {
  return SLOT_SPAN - 1 - keyPosition(key);
}

/** Overrides for a machine that differs from its group (or whose group is not in the spec). */
export interface MachineOptions {
  readonly capacity?: Float64Array;
  readonly attributes?: Attributes;
  readonly speed?: number;
  /** False: the machine starts down (provisioning), to be brought up later. */
  readonly up?: boolean;
}

/**
 * Machines ordered by free quantity in one dimension; ties by slot, ascending or descending. The
 * order is brought up to date when it is read ({@link Cluster.settled}), not at every change: a
 * dimension few tasks are fitted on would otherwise be re-keyed at every start and finish.
 */
export interface FreeOrder {
  readonly dim: number;
  /** With `lowSlotsFirstFromTop`, equal quantities scan lowest slot first when going down. */
  readonly lowSlotsFirstFromTop: boolean;
  /**
   * Each chunk's bound is at least the per-dimension maximum free room of the machines in it. Current
   * only as returned by {@link Cluster.settled}.
   */
  readonly keys: SortedKeys;
  /** Per slot, the key the machine has in `keys`, or -1 when it has none (down, or not yet settled). */
  keyOf: Float64Array<ArrayBuffer>;
  /** Machines changed since the order was last settled, each once (`marked` flags them). */
  changed: Int32Array<ArrayBuffer>;
  changedCount: number;
  marked: Uint8Array<ArrayBuffer>;
  /**
   * While the machines hold few distinct quantities on the dimension, the order lives here instead
   * of in `keys` (which stays empty): see {@link FreeBuckets}. Null once a quantity found no bucket
   * left, or if the cluster is too large for buckets; `keys` holds the order from then on.
   */
  buckets: FreeBuckets | null;
}

/**
 * Machines live in dense slots in spec order (groups in file order, then index in group).
 * `capacity` and `free` hold D numbers per slot: slot m, dimension d is at m × D + d.
 */
export class Cluster {
  readonly resources: ResourceSpace;
  readonly dims: number;
  readonly spec: ClusterSpec;
  readonly ids: string[] = [];
  /** Group names: the spec's groups in file order, then groups made during the run (e.g. `trace`). */
  readonly groupNames: string[];
  /** Up machines per group. */
  readonly upPerGroup: number[];
  readonly groupOf: number[] = [];
  readonly attributes: Attributes[] = [];
  capacity: Float64Array<ArrayBuffer>;
  free: Float64Array<ArrayBuffer>;
  speed: Float64Array<ArrayBuffer>;
  up: Uint8Array<ArrayBuffer>;
  /** Tasks running per machine. */
  running: Int32Array<ArrayBuffer>;
  /** Capacity and allocation summed over up machines, per dimension. */
  readonly totalCapacity: Float64Array;
  readonly allocated: Float64Array;
  /**
   * The max-free tree over the up machines (first-fit's index, and `mayFit`'s root check). Kept
   * up to date at every change from its first read on, when it is built in O(N): a run whose
   * policy never reads it (best-fit and worst-fit, whose free orders answer misfits themselves)
   * pays nothing for its upkeep.
   */
  readonly tree: MaxFreeTree;
  /** Demands that currently fit nowhere, kept true as machines gain room. */
  readonly noFit: NoFitMemory;
  /**
   * Counts the times any machine gained room, came up or changed attributes: while it stays the
   * same, allocations only take room away, so whatever fitted nowhere still fits nowhere.
   */
  grew = 0;
  /** Growth k happened on machine growLog[k & (GROW_LOG − 1)] (an integer mask: `%` on the double counts is slow). */
  private readonly growLog = new Int32Array(GROW_LOG);
  private readonly orders: FreeOrder[] = [];
  private readonly slotById = new Map<string, number>();
  private slots = 0;
  private upCount = 0;

  /**
   * @param freeBuckets most distinct quantities a free order keeps in buckets before it falls back to
   * sorted keys (0: sorted keys from the start; tests set it low to reach the fallback).
   */
  constructor(spec: ClusterSpec, private readonly freeBuckets = MAX_BUCKETS) {
    this.spec = spec;
    this.resources = spec.resources;
    this.dims = spec.resources.names.length;
    const n = spec.groups.reduce((sum, g) => sum + g.ids.length, 0);
    if (n > MAX_SLOTS) throw new RangeError(`A cluster may hold at most ${MAX_SLOTS} machines, got ${n}`);
    this.capacity = new Float64Array(n * this.dims);
    this.free = new Float64Array(n * this.dims);
    this.speed = new Float64Array(n);
    this.up = new Uint8Array(n);
    this.running = new Int32Array(n);
    this.totalCapacity = new Float64Array(this.dims);
    this.allocated = new Float64Array(this.dims);
    this.tree = MaxFreeTree.deferred(this.dims, n, (tree) => tree.rebuild(this.free, this.up, this.slots));
    this.noFit = new NoFitMemory(this.dims);
    this.groupNames = spec.groups.map((g) => g.name);
    this.upPerGroup = spec.groups.map(() => 0);
    spec.groups.forEach((group, g) => {
      for (const id of group.ids) this.addMachine(id, g);
    });
  }

  /** Number of machine slots ever created (up or down). */
  get size(): number {
    return this.slots;
  }

  get machinesUp(): number {
    return this.upCount;
  }

  /** The index of group `name`, made (with no machines) if the run has none of that name. */
  group(name: string): number {
    let g = this.groupNames.indexOf(name);
    if (g < 0) {
      g = this.groupNames.push(name) - 1;
      this.upPerGroup.push(0);
    }
    return g;
  }

  /** The slot of machine `id`, or -1. */
  slotOf(id: string): number {
    return this.slotById.get(id) ?? -1;
  }

  /**
   * Adds an empty machine to group `g` (a spec group's capacity, attributes and speed unless
   * overridden; groups made during the run need all three); returns its slot.
   */
  addMachine(id: string, g: number, options: MachineOptions = {}): number {
    const group = this.spec.groups[g];
    const capacity = options.capacity ?? group?.capacity;
    const attributes = options.attributes ?? group?.attributes ?? {};
    const speed = options.speed ?? group?.speed ?? 1;
    if (capacity === undefined || g >= this.groupNames.length) throw new RangeError(`Machine ${id} needs a capacity: group ${this.groupNames[g] ?? g} is not in the cluster spec`);
    if (this.slotById.has(id)) throw new RangeError(`Machine ${id} already exists`);
    const m = this.slots++;
    if (m >= MAX_SLOTS) throw new RangeError(`A cluster may hold at most ${MAX_SLOTS} machines`);
    this.ensureRoom(this.slots);
    this.ids.push(id);
    this.slotById.set(id, m);
    this.groupOf.push(g);
    this.attributes.push(attributes);
    this.capacity.set(capacity, m * this.dims);
    this.free.set(capacity, m * this.dims);
    this.speed[m] = speed;
    // a down machine's leaf is already absent (the tree grows with -1 leaves)
    if (options.up !== false) this.setUp(m, true);
    return m;
  }

  /**
   * Sets machine `m`'s capacity; its free room changes by the same amount per dimension. The caller
   * makes sure the running tasks still fit (free stays ≥ 0).
   */
  setCapacity(m: number, capacity: Float64Array): void {
    const base = m * this.dims;
    const up = this.up[m] === 1;
    let grew = false;
    for (let d = 0; d < this.dims; d++) {
      const delta = (capacity[d] as number) - (this.capacity[base + d] as number);
      if (delta > 0) grew = true;
      this.capacity[base + d] = capacity[d] as number;
      this.free[base + d] = (this.free[base + d] as number) + delta;
      if (up) this.totalCapacity[d] = (this.totalCapacity[d] as number) + delta;
    }
    this.reindex(m);
    if (up && grew) this.gained(m);
  }

  /** Replaces machine `m`'s attributes (constraints of later placements see the new ones). */
  setAttributes(m: number, attributes: Attributes): void {
    this.attributes[m] = attributes;
    if (this.up[m] === 1) this.gained(m);
  }

  /** Brings a machine up or down. A machine must be empty before it goes down. */
  setUp(m: number, up: boolean): void {
    if ((this.up[m] === 1) === up) return;
    if (!up && this.running[m] !== 0) throw new Error(`Machine ${this.ids[m]} still runs ${this.running[m]} tasks`);
    this.up[m] = up ? 1 : 0;
    this.upCount += up ? 1 : -1;
    const g = this.groupOf[m] as number;
    this.upPerGroup[g] = (this.upPerGroup[g] as number) + (up ? 1 : -1);
    const base = m * this.dims;
    for (let d = 0; d < this.dims; d++) this.totalCapacity[d] = (this.totalCapacity[d] as number) + (up ? 1 : -1) * (this.capacity[base + d] as number);
    this.reindex(m);
    if (up) this.gained(m);
  }

  /** True if machine `m` is up and has room for `demand` in every dimension. */
  hasRoom(m: number, demand: Float64Array): boolean {
    if (this.up[m] !== 1) return false;
    const base = m * this.dims;
    for (let d = 0; d < this.dims; d++) if ((this.free[base + d] as number) < (demand[d] as number)) return false;
    return true;
  }

  /** True if machine `m` is up, has room and satisfies the constraints. */
  fits(m: number, demand: Float64Array, constraints: readonly Constraint[]): boolean {
    return this.hasRoom(m, demand) && (constraints.length === 0 || satisfies(this.attributes[m] as Attributes, constraints));
  }

  /** Takes `demand` from machine `m`; the caller has checked that it fits. */
  allocate(m: number, demand: Float64Array): void {
    const base = m * this.dims;
    for (let d = 0; d < this.dims; d++) {
      const q = demand[d] as number;
      this.free[base + d] = (this.free[base + d] as number) - q;
      this.allocated[d] = (this.allocated[d] as number) + q;
    }
    this.running[m] = (this.running[m] as number) + 1;
    this.reindex(m, demand);
  }

  /** Returns `demand` to machine `m`. */
  release(m: number, demand: Float64Array): void {
    const base = m * this.dims;
    for (let d = 0; d < this.dims; d++) {
      const q = demand[d] as number;
      this.free[base + d] = (this.free[base + d] as number) + q;
      this.allocated[d] = (this.allocated[d] as number) - q;
    }
    this.running[m] = (this.running[m] as number) - 1;
    this.reindex(m, demand, true);
    this.gained(m);
  }

  /** The machine of growth `k` (counting from 0, as `grew` does), or -1 if it is not among the latest. */
  grownMachine(k: number): number {
    return k < this.grew && k >= this.grew - GROW_LOG ? (this.growLog[k & (GROW_LOG - 1)] as number) : -1;
  }

  /** Machine `m` (up) gained room or changed attributes: demands that fit nowhere may fit now. */
  private gained(m: number): void {
    this.growLog[this.grew & (GROW_LOG - 1)] = m;
    this.grew++;
    this.noFit.machineGrew(this.free, m * this.dims, this.attributes[m] as Attributes);
  }

  /**
   * An index of up machines ordered by free quantity in dimension `dim`, kept current from now on.
   * Made on first request, shared by everyone asking for the same order.
   */
  freeOrder(dim: number, lowSlotsFirstFromTop: boolean): FreeOrder {
    const existing = this.orders.find((o) => o.dim === dim && o.lowSlotsFirstFromTop === lowSlotsFirstFromTop);
    if (existing !== undefined) return existing;
    const n = this.speed.length;
    const order: FreeOrder = { dim, lowSlotsFirstFromTop, keys: new SortedKeys(this.dims, ORDER_CHUNK, lowSlotsFirstFromTop ? keyPositionFromTop : keyPosition), keyOf: new Float64Array(n).fill(-1), changed: new Int32Array(n), changedCount: 0, marked: new Uint8Array(n), buckets: this.newBuckets(n) };
    this.orders.push(order);
    this.fillOrder(order);
    return order;
  }

  /**
   * Puts every machine of an empty `order` in it: straight into its buckets while they take every
   * quantity (settleBuckets, compiled early on this fill alone, used to deoptimise again and again as
   * a run's first changes came), else into sorted keys (see {@link dropBuckets}).
   */
  private fillOrder(order: FreeOrder): void {
    const buckets = order.buckets;
    if (buckets !== null) {
      const { dims, free, up } = this;
      let m = 0;
      while (m < this.slots && (up[m] !== 1 || buckets.add(m, free[m * dims + order.dim] as number, free, m * dims))) m++;
      if (m === this.slots) return;
    }
    this.dropBuckets(order);
  }

  /** `order` goes on in sorted keys, without buckets: every machine is marked for {@link settled} to key from scratch, each listed once. */
  private dropBuckets(order: FreeOrder): void {
    order.buckets = null;
    const { changed, marked } = order;
    for (let k = 0; k < order.changedCount; k++) marked[changed[k] as number] = 0;
    order.changedCount = 0;
    for (let m = 0; m < this.slots; m++) this.mark(order, m);
  }

  /** `order`, brought up to date with every machine change since it was last read: read it through this. */
  settled(order: FreeOrder): SortedKeys {
    if (order.buckets !== null && this.settleBuckets(order, order.buckets)) return order.keys;
    const { keys, keyOf, changed, marked } = order;
    const dims = this.dims;
    for (let i = 0; i < order.changedCount; i++) {
      const m = changed[i] as number;
      marked[m] = 0;
      const old = keyOf[m] as number;
      const key = this.up[m] === 1 ? this.orderKey(order, m) : -1;
      if (key !== old) {
        if (old >= 0) keys.remove(old);
        if (key >= 0) keys.insert(key, this.free, m * dims);
        keyOf[m] = key;
      } else if (key >= 0) {
        // same key, room changed in other dimensions: the chunk's bound must still cover it
        keys.raise(key, this.free, m * dims);
      }
    }
    order.changedCount = 0;
    return keys;
  }

  /**
   * Brings `order`'s buckets up to date; false if a quantity found no bucket left, after which the
   * order has fallen back to sorted keys, with every machine marked for `settled` to key.
   */
  private settleBuckets(order: FreeOrder, buckets: FreeBuckets): boolean {
    const { changed, marked } = order;
    const dims = this.dims;
    for (let i = 0; i < order.changedCount; i++) {
      const m = changed[i] as number;
      if (this.up[m] !== 1) {
        buckets.remove(m);
      } else {
        const q = this.free[m * dims + order.dim] as number;
        if (q === buckets.quantityOf(m)) {
          // same quantity, room changed in other dimensions: the bucket's bound must still cover it
          buckets.raise(m, this.free, m * dims);
        } else {
          buckets.remove(m);
          if (!buckets.add(m, q, this.free, m * dims)) {
            this.dropBuckets(order);
            return false;
          }
        }
      }
      marked[m] = 0;
    }
    order.changedCount = 0;
    return true;
  }

  /** Buckets for a free order over `slots` machines, or null where sorted keys serve better. */
  private newBuckets(slots: number): FreeBuckets | null {
    return this.freeBuckets > 0 && FreeBuckets.fits(slots) ? new FreeBuckets(this.dims, slots, this.freeBuckets) : null;
  }

  /** Notes that machine `m` must be re-keyed in `order` before the order is next read. */
  private mark(order: FreeOrder, m: number): void {
    if (order.marked[m] === 1) return;
    order.marked[m] = 1;
    order.changed[order.changedCount++] = m;
  }

  /** The packed key of machine `m` in `order`. */
  orderKey(order: FreeOrder, m: number): number {
    const q = this.free[m * this.dims + order.dim] as number;
    return q * SLOT_SPAN + (order.lowSlotsFirstFromTop ? SLOT_SPAN - 1 - m : m);
  }

  /** The slot a key of `order` stands for. */
  static slotOfKey(order: FreeOrder, key: number): number {
    return order.lowSlotsFirstFromTop ? keyPositionFromTop(key) : keyPosition(key);
  }

  /**
   * Machine `m`'s free room (or state) changed by `change` (unknown: anything may have): updates the
   * tree now (a deferred tree not yet read skips it), and marks `m` in the free orders where its key
   * moved, or, when its room `grew`, where a chunk's bound may no longer cover it (room taken away
   * elsewhere leaves the bounds valid).
   */
  private reindex(m: number, change?: Float64Array, grew = false): void {
    this.tree.update(m, this.free, m * this.dims, this.up[m] === 1);
    for (const order of this.orders) if (change === undefined || grew || change[order.dim] !== 0) this.mark(order, m);
  }

  private ensureRoom(slots: number): void {
    if (slots <= this.speed.length) return;
    const n = Math.max(slots, this.speed.length * 2);
    this.capacity = ensureLength(this.capacity, n * this.dims);
    this.free = ensureLength(this.free, n * this.dims);
    this.speed = ensureLength(this.speed, n);
    this.up = ensureLength(this.up, n);
    this.running = ensureLength(this.running, n);
    for (const order of this.orders) {
      const known = order.keyOf.length;
      order.keyOf = ensureLength(order.keyOf, n);
      order.keyOf.fill(-1, known);
      order.changed = ensureLength(order.changed, n);
      order.marked = ensureLength(order.marked, n);
      if (order.buckets !== null) {
        // bitsets sized for the old slots: new ones, filled again
        order.buckets = this.newBuckets(n);
        this.fillOrder(order);
      }
    }
    this.tree.grow(n);
  }
}
