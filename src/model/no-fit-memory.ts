// Demands known to fit on no machine right now, so that tasks left waiting are turned down in O(D).
import { satisfies, type Attributes, type Constraint } from './constraints.js';
import { copyFew } from '../typed-array.js';

/** How many demands are remembered; the oldest is forgotten first. */
const CAPACITY = 16;

/**
 * Holds demands (with their constraints) that a full search found no machine for. Allocating only
 * shrinks free room, so each stays unplaceable until some machine gains room: the cluster reports
 * every such machine, and the entries it now fits are forgotten. A demand at least as large in
 * every dimension, with the same constraints (by identity), is then known not to fit either.
 */
export class NoFitMemory {
  private readonly demands: Float64Array;
  private readonly constraints: (readonly Constraint[])[] = [];
  private next = 0;

  constructor(private readonly dims: number) {
    this.demands = new Float64Array(CAPACITY * dims);
  }

  /** True if a remembered demand no larger in any dimension, with the same constraints, fits nowhere. */
  covers(demand: Float64Array, constraints: readonly Constraint[]): boolean {
    const dims = this.dims;
    for (let e = 0; e < this.constraints.length; e++) {
      if (this.constraints[e] !== constraints) continue;
      let d = 0;
      while (d < dims && (demand[d] as number) >= (this.demands[e * dims + d] as number)) d++;
      if (d === dims) return true;
    }
    return false;
  }

  /** Records that `demand` with `constraints` fits on no machine. */
  remember(demand: Float64Array, constraints: readonly Constraint[]): void {
    const e = this.constraints.length < CAPACITY ? this.constraints.length : this.next;
    this.next = (e + 1) % CAPACITY;
    this.constraints[e] = constraints;
    copyFew(this.demands, demand, e * this.dims);
  }

  /** A machine gained room (a release, or it came up): forgets what now fits there. */
  machineGrew(free: Float64Array, offset: number, attributes: Attributes): void {
    const dims = this.dims;
    for (let e = this.constraints.length - 1; e >= 0; e--) {
      let d = 0;
      while (d < dims && (this.demands[e * dims + d] as number) <= (free[offset + d] as number)) d++;
      if (d === dims && satisfies(attributes, this.constraints[e] as readonly Constraint[])) this.forget(e);
    }
  }

  /** Moves the last entry into slot `e`. */
  private forget(e: number): void {
    const last = this.constraints.length - 1;
    this.constraints[e] = this.constraints[last] as readonly Constraint[];
    this.demands.copyWithin(e * this.dims, last * this.dims, (last + 1) * this.dims);
    this.constraints.length = last;
  }
}
