// Elektron's capping inputs: the cluster mean over the last few samples, and each node's recent mean.

/** A ring of the last `size` readings; the mean is over however many exist while fewer do. */
export class MeanWindow {
  private readonly values: Float64Array;
  private count = 0;
  private next = 0;
  private sum = 0;

  constructor(size: number) {
    this.values = new Float64Array(size);
  }

  push(value: number): void {
    if (this.count === this.values.length) this.sum -= this.values[this.next] as number;
    else this.count++;
    this.values[this.next] = value;
    this.sum += value;
    this.next = (this.next + 1) % this.values.length;
  }

  get mean(): number {
    return this.count === 0 ? 0 : this.sum / this.count;
  }
}

/** A node and its mean power over the node window. */
export interface NodePower {
  readonly id: string;
  readonly watts: number;
}

/** Descending power, ties by id: the order in which Elektron looks for victims (its tie order is Go's, made stable here). */
export function byPowerDescending(a: NodePower, b: NodePower): number {
  return b.watts - a.watts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A capping decision: set `id` to `pct` % of its maximum power (100 = uncapped). */
export interface CapAction {
  readonly kind: 'cap' | 'uncap';
  readonly id: string;
  readonly pct: number;
}
