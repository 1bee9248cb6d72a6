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

  /**
   * The `qs`-th quantiles (ascending, each in [0, 1]) as {@link quantile} defines them, found by
   * selection on a copy in O(n) per quantile instead of sorting all samples in O(n log n).
   */
  quantiles(qs: readonly number[]): (number | null)[] {
    const n = this.count;
    if (n === 0) return qs.map(() => null);
    const a = this.values.slice(0, n);
    let from = 0;
    return qs.map((q) => {
      const h = (n - 1) * q;
      const lo = Math.floor(h);
      select(a, lo, from, n - 1);
      from = lo;
      const low = a[lo] as number;
      if (lo + 1 >= n || h === lo) return low;
      // every value after lo is ≥ a[lo]; the next order statistic is the least of them
      let next = a[lo + 1] as number;
      for (let i = lo + 2; i < n; i++) if ((a[i] as number) < next) next = a[i] as number;
      return low + (h - lo) * (next - low);
    });
  }

  mean(): number | null {
    return meanOf(this.values.subarray(0, this.count));
  }
}

/** The mean of `values` summed in order, or null when there are none. */
export function meanOf(values: Float64Array): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] as number;
  return sum / values.length;
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

/**
 * Rearranges a[left..right] so that a[k] holds the value it would hold if sorted, with no greater
 * value before it and no lesser after (Hoare's quickselect, median-of-three pivots; many equal
 * values, common in waits, split evenly). NaN-free input.
 */
function select(a: Float64Array, k: number, left: number, right: number): void {
  while (right > left) {
    const mid = (left + right) >> 1;
    // order a[left], a[mid], a[right]; the median becomes the pivot
    if ((a[mid] as number) < (a[left] as number)) swap(a, mid, left);
    if ((a[right] as number) < (a[left] as number)) swap(a, right, left);
    if ((a[right] as number) < (a[mid] as number)) swap(a, right, mid);
    const pivot = a[mid] as number;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    // now a[left..j] ≤ pivot ≤ a[i..right], and anything strictly between j and i equals the pivot
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i] as number;
  a[i] = a[j] as number;
  a[j] = t;
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
