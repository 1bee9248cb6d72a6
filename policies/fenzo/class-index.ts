// The indexed mode of the fenzo placement: per capacity class, machines ordered by free room in one dimension.
import { keyPosition, keyPositionFromTop, SLOT_SPAN } from '../../src/model/cluster.js';
import { scanWithRoom, type KeyLayout } from '../../src/model/room-scan.js';
import { SortedKeys } from '../../src/model/sorted-keys.js';
import type { TaskView } from '../../src/model/task.js';
import type { ClusterView } from '../../src/policy.js';
import { LazyIndex } from './lazy-index.js';
import { compareNames, nameOrder } from './names.js';
import type { Calculator } from './fitness.js';
import type { RuleState } from './rules.js';

/** Packed keys are free × SLOT_SPAN + rank (the host-name position), exact while free < 2^32. */
const CHUNK = 32;

interface CapacityClass {
  readonly capacity: number;
  readonly keys: SortedKeys;
  /** The largest capacity of its machines in every dimension: a task demanding more fits none of them. */
  readonly most: Float64Array;
}

/**
 * For a single-resource packer or spreader on a task without constraints, the fitness on machines
 * of equal capacity in that dimension falls (packer) or rises (spreader) with free room, so the
 * best machine of a class is the first with room for the task in free order — ascending for a
 * packer, descending for a spreader — with equal free room going to the smaller host name (the
 * rank in the key). Each class's winner is scored with the exact mode's calculator, and the best
 * score across classes wins, ties to the smaller name: the exact mode's decision. A chunk whose
 * bound shows no room for the task in some dimension is skipped whole.
 */
export class ClassIndex extends LazyIndex {
  private classes: CapacityClass[] = [];
  private classOf = new Int32Array(0);
  private keyOf = new Float64Array(0);
  private rank = new Int32Array(0);
  private vectors = new Float64Array(0);
  private readonly dims: number;
  /** Slots by host-name rank, and how keys map to them. */
  private byRank = new Int32Array(0);
  private layout: KeyLayout = { reversed: false, slots: null };
  /** The search {@link accept} serves: its task, calculator and rules. */
  private task: TaskView | null = null;
  private calc: Calculator | null = null;
  private rules: RuleState | null = null;
  /** A machine with room that Fenzo would score: up, not locked, not vetoed by a 0 fitness. */
  private readonly accept = (m: number): boolean => this.view.fits(this.task as TaskView, m) && !(this.rules as RuleState).locked(m) && (this.calc as Calculator).fitness(this.task as TaskView, m) !== 0;

  constructor(private readonly view: ClusterView, private readonly dim: number, private readonly spread: boolean) {
    super();
    this.dims = view.resources.names.length;
    this.rebuild();
  }

  /** Re-keys machine `m`; a new machine or a changed capacity rebuilds the whole index. */
  protected update(m: number): void {
    if (this.view.size !== this.classOf.length || this.view.capacity(m, this.dim) !== this.classes[this.classOf[m] as number]?.capacity) {
      this.rebuild();
      return;
    }
    const cls = this.classes[this.classOf[m] as number] as CapacityClass;
    const old = this.keyOf[m] as number;
    if (old >= 0) cls.keys.remove(old);
    this.insert(m, cls);
  }

  /** Machine `m` itself changed: a capacity that grew in a dimension other than the index's raises its class's {@link CapacityClass.most}. */
  override reshaped(m: number): void {
    const cls = m < this.classOf.length ? this.classes[this.classOf[m] as number] : undefined;
    if (cls !== undefined) for (let d = 0; d < this.dims; d++) cls.most[d] = Math.max(cls.most[d] as number, this.view.capacity(m, d));
    this.touch(m);
  }

  best(task: TaskView, calc: Calculator, rules: RuleState): number {
    this.flush();
    this.task = task;
    this.calc = calc;
    this.rules = rules;
    let best = -1;
    let bestScore = -Infinity;
    for (const cls of this.classes) {
      if (!covers(cls.most, task.demand)) continue;
      const m = this.scan(cls, task);
      if (m < 0) continue;
      const score = (50 + calc.fitness(task, m) * 35) / 100;
      if (score > bestScore || (score === bestScore && compareNames(this.view.machineId(m), this.view.machineId(best)) < 0)) {
        bestScore = score;
        best = m;
      }
    }
    return best;
  }

  /** The first machine of `cls` in free order with room (by the index's free vectors) that {@link accept} takes. */
  private scan(cls: CapacityClass, task: TaskView): number {
    return scanWithRoom(cls.keys, this.layout, (task.demand[this.dim] as number) * SLOT_SPAN, task.demand, this.vectors, this.dims, this.accept, this.spread ? -1 : 1);
  }

  private rebuild(): void {
    const view = this.view;
    const n = view.size;
    this.byRank = nameOrder(view);
    this.layout = { reversed: this.spread, slots: this.byRank };
    this.rank = new Int32Array(n);
    this.byRank.forEach((m, r) => (this.rank[m] = r));
    this.classOf = new Int32Array(n);
    this.keyOf = new Float64Array(n).fill(-1);
    this.vectors = new Float64Array(n * this.dims);
    const byCapacity = new Map<number, number>();
    this.classes = [];
    for (let m = 0; m < n; m++) {
      const capacity = view.capacity(m, this.dim);
      let c = byCapacity.get(capacity);
      if (c === undefined) {
        c = this.classes.length;
        byCapacity.set(capacity, c);
        this.classes.push({ capacity, keys: new SortedKeys(this.dims, CHUNK, this.spread ? keyPositionFromTop : keyPosition), most: new Float64Array(this.dims) });
      }
      this.classOf[m] = c;
      const most = (this.classes[c] as CapacityClass).most;
      for (let d = 0; d < this.dims; d++) most[d] = Math.max(most[d] as number, view.capacity(m, d));
    }
    // classes in ascending capacity: a stable order independent of slot numbering
    const order = this.classes.map((_, c) => c).sort((a, b) => (this.classes[a] as CapacityClass).capacity - (this.classes[b] as CapacityClass).capacity);
    const renumber = new Int32Array(order.length);
    order.forEach((c, i) => (renumber[c] = i));
    this.classes = order.map((c) => this.classes[c] as CapacityClass);
    for (let m = 0; m < n; m++) this.classOf[m] = renumber[this.classOf[m] as number] as number;
    for (let m = 0; m < n; m++) this.insert(m, this.classes[this.classOf[m] as number] as CapacityClass);
  }

  private insert(m: number, cls: CapacityClass): void {
    if (!this.view.isUp(m)) {
      this.keyOf[m] = -1;
      return;
    }
    const base = m * this.dims;
    for (let d = 0; d < this.dims; d++) this.vectors[base + d] = this.view.free(m, d);
    const rank = this.rank[m] as number;
    const key = this.view.free(m, this.dim) * SLOT_SPAN + (this.spread ? SLOT_SPAN - 1 - rank : rank);
    this.keyOf[m] = key;
    cls.keys.insert(key, this.vectors, base);
  }
}

/** True if `most` is at least `demand` in every dimension. */
function covers(most: Float64Array, demand: Float64Array): boolean {
  for (let d = 0; d < most.length; d++) if ((demand[d] as number) > (most[d] as number)) return false;
  return true;
}
