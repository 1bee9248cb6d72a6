// Summary statistics with written definitions: means, percentiles (numpy's "linear"), Jain's index.

/** A growable list of float64 samples. */
export class Samples {
  private values: Float64Array;
  private count = 0;

  /** @param capacity initial room; keep it small when there are many lists (one per tenant). */
  constructor(capacity = 1024) {
    this.values = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  push(value: number): void {
    if (this.count === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2);
      bigger.set(this.values);
      this.values = bigger;
    }
    this.values[this.count++] = value;
  }

  /** The samples sorted ascending (a copy). */
  sorted(): Float64Array {
    return this.values.slice(0, this.count).sort();
  }

  mean(): number | null {
    if (this.count === 0) return null;
    let sum = 0;
    for (let i = 0; i < this.count; i++) sum += this.values[i] as number;
    return sum / this.count;
  }
}

/**
 * The q-th quantile (0 ≤ q ≤ 1) of ascending `sorted` values by linear interpolation between
 * closest ranks — numpy.percentile's default, so pandas/numpy users get the same number.
 */
export function quantile(sorted: Float64Array, q: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  return a + (h - lo) * ((sorted[hi] as number) - a);
}

/** Jain's fairness index (Σx)² / (n Σx²); 1 is perfectly even; null when there is nothing to compare. */
export function jainIndex(values: readonly number[]): number | null {
  let sum = 0;
  let squares = 0;
  for (const x of values) {
    sum += x;
    squares += x * x;
  }
  return values.length === 0 || squares === 0 ? null : (sum * sum) / (values.length * squares);
}
