// Summary statistics with written definitions: means, percentiles (numpy's "linear"), Jain's index.
import { quantilesStreamed, select, type BlockSource } from './selection.js';
import { SpillFile } from './spill.js';
import { xorshift32 } from '../xorshift.js';

/** Values a sample list keeps in memory before it moves them to its scratch file (8 MiB). */
export const SAMPLES_IN_MEMORY = 1 << 20;

/**
 * Values after which a list with a scratch file takes all its room in memory at once instead of
 * doubling. Each doubling copied the values so far into fresh memory in one go, every page of it
 * a page fault (about 14 µs each on the project's machine), and a run's lists of waits and
 * slowdowns, the same length, doubled at the same value: the thread writing tasks.arrow stalled
 * for tens of milliseconds while the simulation, its ring full, waited for it. Room taken and not
 * written costs no memory: the system maps a page at its first write.
 */
export const WHOLE_ROOM_AFTER = 1 << 16;

/** The room a growing list of `length` values (now full) takes next, at most `limit`. */
export function nextRoom(length: number, limit: number): number {
  return Math.min(length >= WHOLE_ROOM_AFTER && limit !== Infinity ? limit : 2 * length, limit);
}

/** Where a long sample list may put what does not fit in memory. */
export interface SpillTarget {
  /** The scratch file's path; it must not exist. */
  readonly path: string;
  /** Values kept in memory at most (default {@link SAMPLES_IN_MEMORY}). */
  readonly memoryLimit?: number | undefined;
}

/**
 * A growable list of float64 samples. With a {@link SpillTarget}, memory stays bounded however many
 * samples come: each time the in-memory part reaches the limit it is appended to the scratch file,
 * and percentiles are then selected exactly from file and memory together (see `selectStreamed`).
 * Call `dispose` when done, to delete the scratch file.
 */
export class Samples {
  private values: Float64Array;
  private count = 0;
  private total = 0;
  private file: SpillFile | null = null;
  private readonly limit: number;

  /** @param capacity initial room; keep it small when there are many lists (one per tenant). */
  constructor(capacity = 1024, private readonly spill: SpillTarget | null = null) {
    this.limit = spill === null ? Infinity : Math.max(1, spill.memoryLimit ?? SAMPLES_IN_MEMORY);
    this.values = new Float64Array(Math.min(capacity, this.limit));
  }

  get size(): number {
    return this.count + (this.file?.length ?? 0);
  }

  push(value: number): void {
    if (this.count === this.values.length) {
      if (this.count >= this.limit) {
        this.file ??= new SpillFile((this.spill as SpillTarget).path);
        this.file.append(this.values, this.count);
        this.count = 0;
      } else {
        const bigger = new Float64Array(nextRoom(this.values.length, this.limit));
        bigger.set(this.values);
        this.values = bigger;
      }
    }
    this.values[this.count++] = value;
    // summed in arrival order, as a loop over the list would, so the mean has the same bits
    this.total += value;
  }

  /** The samples sorted ascending (a copy); only for lists that never spilled. */
  sorted(): Float64Array {
    if (this.file !== null) throw new Error(`sorted() on a sample list spilled to ${this.file.path}; use quantiles()`);
    return this.values.slice(0, this.count).sort();
  }

  /**
   * The `qs`-th quantiles (ascending, each in [0, 1]) as {@link quantile} defines them, found by
   * selection in O(n) per quantile instead of sorting all samples in O(n log n): in memory, or,
   * once the list has spilled, by radix selection over the file and the memory part. Selection
   * rearranges the values in memory, which changes nothing the list reports (it is a multiset:
   * the sum is kept as they came), and spares a copy: a fresh 8 MiB array for a full list costs
   * more in page faults than the selection itself.
   */
  quantiles(qs: readonly number[]): (number | null)[] {
    const n = this.size;
    if (n === 0) return qs.map(() => null);
    if (this.file !== null) return this.streamedQuantiles(qs, n);
    return quantilesInPlace(this.values, 0, n, qs);
  }

  mean(): number | null {
    return this.size === 0 ? null : this.total / this.size;
  }

  /** Hands over the array that holds the values in memory, for scratch: the list is unusable afterwards. */
  release(): Float64Array {
    const values = this.values;
    this.values = new Float64Array(0);
    this.count = 0;
    return values;
  }

  /** Deletes the scratch file, if any; the list is unusable afterwards. */
  dispose(): void {
    this.file?.dispose();
  }

  private streamedQuantiles(qs: readonly number[], n: number): (number | null)[] {
    const file = this.file as SpillFile;
    const block = new Float64Array(Math.min(this.limit, 1 << 16));
    const source: BlockSource = (visit) => {
      file.forEachBlock(block, visit);
      visit(this.values, this.count);
    };
    return quantilesStreamed(source, n, qs, this.limit);
  }
}

/**
 * The `qs`-th quantiles (ascending, each in [0, 1]) of a[from..to), as {@link quantile} defines
 * them, found by selection (O(n) per quantile): the values are rearranged, not sorted.
 */
export function quantilesInPlace(a: Float64Array, from: number, to: number, qs: readonly number[]): (number | null)[] {
  const n = to - from;
  if (n === 0) return qs.map(() => null);
  // the least values first, when they are many (waits of 0 and slowdowns of 1 often are most of a
  // run's): the ranks they hold need no selection, and the others select among the rest only
  const least = leastFirst(a, from, to);
  let left = least;
  return qs.map((q) => {
    const h = (n - 1) * q;
    const lo = from + Math.floor(h);
    if (lo >= left) {
      select(a, lo, left, to - 1);
      left = lo;
    }
    const low = a[lo] as number;
    // every value after lo is ≥ a[lo]; the next order statistic is the least of them (lo's own at the end)
    let next = lo + 1 < to ? (a[lo + 1] as number) : low;
    if (lo + 1 >= least) for (let i = lo + 2; i < to; i++) if ((a[i] as number) < next) next = a[i] as number;
    // the same arithmetic as quantile(), to the sign of a zero
    return low + (h - (lo - from)) * (next - low);
  });
}

/**
 * When at least a sixteenth of a[from..to) holds its least value, moves those values to the front
 * (every other value after them, in no particular order) and returns the end of their run; else
 * returns `from`, the array untouched. A zero of either sign counts as the least zero.
 */
function leastFirst(a: Float64Array, from: number, to: number): number {
  let least = Infinity;
  let ties = 0;
  for (let i = from; i < to; i++) {
    const v = a[i] as number;
    if (v < least) {
      least = v;
      ties = 1;
    } else if (v === least) ties++;
  }
  if (ties * 16 < to - from) return from;
  let w = to;
  for (let i = to - 1; i >= from; i--) {
    const v = a[i] as number;
    if (v !== least) a[--w] = v;
  }
  a.fill(least, from, w);
  return w;
}

let warmedUp = false;

/**
 * Selects quantiles of a small made-up list enough times for the JIT to compile the selection;
 * returns true when it did so, false on later calls in the same thread (which return at once). A
 * run's percentiles are selected once, at its end, over up to a million values: cold, that
 * selection ran tens of milliseconds slower, while the simulation waited for it. The thread
 * writing tasks.arrow calls this when it first has nothing to do once past a run's start (see
 * task-rows.ts). It changes no figure: selection is a pure function of the values.
 */
export function warmUpQuantiles(): boolean {
  if (warmedUp) return false;
  warmedUp = true;
  const values = new Float64Array(1 << 13);
  let state = 0x2545f491;
  for (let round = 0; round < 64; round++) {
    for (let i = 0; i < values.length; i++) {
      // waits-like values with many ties
      state = xorshift32(state);
      values[i] = (state >>> 20) / 16;
    }
    quantilesInPlace(values, 0, values.length, [0.5, 0.95, 0.99]);
  }
  return true;
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
