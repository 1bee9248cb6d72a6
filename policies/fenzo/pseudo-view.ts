// Clones of one machine shape as a cluster view: the optimizing shortfall evaluator's pseudo scheduling round.
import type { Micros } from '../../src/engine/time.js';
import { satisfies, type Attributes } from '../../src/model/constraints.js';
import type { ResourceSpace } from '../../src/model/resources.js';
import type { TaskView } from '../../src/model/task.js';
import type { ClusterView } from '../../src/policy.js';

/**
 * `count` empty machines shaped like `capacity` with `attributes`, named `<group>-pseudo-<i>` (zero
 * padded, so name order is slot order). Enough of {@link ClusterView} for the fenzo placement's
 * exact mode; the free-ordered scans, which only the indexed mode and other placements use, are
 * plain linear scans here.
 */
export class PseudoView implements ClusterView {
  private readonly freeRoom: Float64Array;
  private readonly running: Int32Array;
  private readonly dims: number;
  private readonly width: number;
  /** Clones only ever lose room here. */
  readonly grew = 0;
  grownMachine(): number {
    return -1;
  }

  constructor(
    readonly now: Micros,
    readonly resources: ResourceSpace,
    private readonly shape: Float64Array,
    private readonly attrs: Attributes,
    private readonly groupName: string,
    readonly size: number,
  ) {
    this.dims = resources.names.length;
    this.freeRoom = new Float64Array(size * this.dims);
    for (let m = 0; m < size; m++) this.freeRoom.set(shape, m * this.dims);
    this.running = new Int32Array(size);
    this.width = String(Math.max(0, size - 1)).length;
  }

  get groups(): readonly string[] {
    return [this.groupName];
  }
  isUp(): boolean {
    return true;
  }
  machineId(m: number): string {
    return `${this.groupName}-pseudo-${String(m).padStart(this.width, '0')}`;
  }
  group(): string {
    return this.groupName;
  }
  attributes(): Attributes {
    return this.attrs;
  }
  /** Pseudo machines draw no power: the shortfall evaluator counts machines, not watts. */
  power(): undefined {
    return undefined;
  }
  speed(): number {
    return 1;
  }
  capacity(_m: number, d: number): number {
    return this.shape[d] as number;
  }
  free(m: number, d: number): number {
    return this.freeRoom[m * this.dims + d] as number;
  }
  runningCount(m: number): number {
    return this.running[m] as number;
  }
  totalCapacity(d: number): number {
    return (this.shape[d] as number) * this.size;
  }
  fits(task: TaskView, m: number): boolean {
    for (let d = 0; d < this.dims; d++) if ((this.freeRoom[m * this.dims + d] as number) < (task.demand[d] as number)) return false;
    return satisfies(this.attrs, task.constraints);
  }
  mayFit(task: TaskView): boolean {
    return this.firstFit(task) >= 0;
  }
  firstFit(task: TaskView, from = 0): number {
    for (let m = from; m < this.size; m++) if (this.fits(task, m)) return m;
    return -1;
  }
  scanByFreeUp(dim: number, atLeast: number, visit: (machine: number) => boolean): number {
    return this.scan(dim, atLeast, visit, 1);
  }
  scanByFreeDown(dim: number, atLeast: number, visit: (machine: number) => boolean): number {
    return this.scan(dim, atLeast, visit, -1);
  }
  fitByFree(task: TaskView, dim: number, direction: 'up' | 'down'): number {
    return this.scan(dim, task.demand[dim] as number, (m) => this.fits(task, m), direction === 'up' ? 1 : -1);
  }
  collectFits(task: TaskView, out: Int32Array): number {
    let n = 0;
    for (let m = 0; m < this.size && n < out.length; m++) if (this.fits(task, m)) out[n++] = m;
    return n;
  }

  /** Takes the task's demand from clone `m` (the pseudo round applies its own placements). */
  allocate(task: TaskView, m: number): void {
    for (let d = 0; d < this.dims; d++) this.freeRoom[m * this.dims + d] = (this.freeRoom[m * this.dims + d] as number) - (task.demand[d] as number);
    this.running[m] = (this.running[m] as number) + 1;
  }

  /** Clones that received at least one task. */
  used(): number {
    let n = 0;
    for (const r of this.running) if (r > 0) n++;
    return n;
  }

  private scan(dim: number, atLeast: number, visit: (machine: number) => boolean, step: 1 | -1): number {
    const slots = Array.from({ length: this.size }, (_, m) => m).filter((m) => this.free(m, dim) >= atLeast);
    slots.sort((a, b) => step * (this.free(a, dim) - this.free(b, dim)) || a - b);
    for (const m of slots) if (visit(m)) return m;
    return -1;
  }
}
