// The indexed mode of the fenzo placement: per capacity class, machines ordered by free room in one dimension.
import { lowerBound, SortedKeys } from '../../src/model/sorted-keys.js';
import type { TaskView } from '../../src/model/task.js';
import type { ClusterView } from '../../src/policy.js';
import { LazyIndex } from './lazy-index.js';
import { compareNames, nameOrder } from './names.js';
import type { Calculator } from './fitness.js';
import type { RuleState } from './rules.js';

/** Packed keys are free × SPAN + rank (the host-name position), exact while free < 2^32. */
const SPAN = 2 ** 21;
const CHUNK = 32;

interface CapacityClass {
  readonly capacity: number;
  readonly keys: SortedKeys;
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
  private readonly exact: Float64Array;

  constructor(private readonly view: ClusterView, private readonly dim: number, private readonly spread: boolean) {
    super();
    this.dims = view.resources.names.length;
    this.exact = new Float64Array(this.dims);
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

  best(task: TaskView, calc: Calculator, rules: RuleState): number {
    this.flush();
    let best = -1;
    let bestScore = -Infinity;
    for (const cls of this.classes) {
      const m = this.scan(cls, task, calc, rules);
      if (m < 0) continue;
      const score = (50 + calc.fitness(task, m) * 35) / 100;
      if (score > bestScore || (score === bestScore && compareNames(this.view.machineId(m), this.view.machineId(best)) < 0)) {
        bestScore = score;
        best = m;
      }
    }
    return best;
  }

  private scan(cls: CapacityClass, task: TaskView, calc: Calculator, rules: RuleState): number {
    const demand = task.demand;
    const keys = cls.keys;
    const chunks = keys.sortedChunks;
    const dims = this.dims;
    const view = this.view;
    const floor = (demand[this.dim] as number) * SPAN;
    const step = this.spread ? -1 : 1;
    const exact = this.exact;
    let c = step === 1 ? keys.chunkFor(floor) : chunks.length - 1;
    let i = step === 1 && c < chunks.length ? lowerBound(chunks[c] as readonly number[], floor) : -1;
    for (; c >= 0 && c < chunks.length; c += step, i = -1) {
      const chunk = chunks[c] as readonly number[];
      const bound = keys.bound(c);
      let d = 0;
      while (d < dims && (bound[d] as number) >= (demand[d] as number)) d++;
      if (d < dims) {
        if (step === -1 && (chunk[0] as number) < floor) return -1;
        continue;
      }
      const whole = i <= 0;
      if (i < 0) i = step === 1 ? 0 : chunk.length - 1;
      exact.fill(-Infinity);
      for (; i >= 0 && i < chunk.length; i += step) {
        const key = chunk[i] as number;
        if (key < floor) return -1;
        const m = this.slotOf(key);
        let room = true;
        for (let k = 0; k < dims; k++) {
          const q = view.free(m, k);
          if (q < (demand[k] as number)) room = false;
          if (q > (exact[k] as number)) exact[k] = q;
        }
        if (room && view.isUp(m) && !rules.locked(m) && calc.fitness(task, m) !== 0) return m;
      }
      if (whole) keys.setBound(c, exact);
    }
    return -1;
  }

  private slotOf(key: number): number {
    const low = key - Math.floor(key / SPAN) * SPAN;
    return this.byRank[this.spread ? SPAN - 1 - low : low] as number;
  }

  private byRank = new Int32Array(0);

  private rebuild(): void {
    const view = this.view;
    const n = view.size;
    this.byRank = nameOrder(view);
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
        this.classes.push({ capacity, keys: new SortedKeys(this.dims, CHUNK) });
      }
      this.classOf[m] = c;
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
    const key = this.view.free(m, this.dim) * SPAN + (this.spread ? SPAN - 1 - rank : rank);
    this.keyOf[m] = key;
    cls.keys.insert(key, this.vectors, base);
  }
}
