// Machines grouped by their exact free quantity on one dimension, each group a bitset of slots.
import { QuantityTable } from './quantity-table.js';
import { lowerBoundIn } from './sorted-keys.js';
import { copyFew, fillFew } from '../typed-array.js';

/** Bytes of bitsets a FreeBuckets may hold: it takes fewer buckets on larger clusters. */
const BITSET_BYTES = 8 << 20;
/** Most buckets (distinct quantities) a FreeBuckets holds at once, whatever the cluster's size. */
export const MAX_BUCKETS = 256;
/** Fewer buckets than this are not worth having: the caller keeps sorted keys instead. */
const MIN_BUCKETS = 16;

/**
 * An ordered index of machines by free quantity on one dimension, for workloads whose machines
 * share few distinct quantities (whole cores, GiB steps). Each distinct quantity has a bucket: a
 * bitset of its machines' slots with a summary word per 32 words, and a bound on its machines'
 * free room per dimension (raised as machines join or gain room, tightened to the exact maximum
 * when a scan passes the whole bucket). Moving a machine is a bit cleared and a bit set, where
 * sorted keys take two binary searches and shifts. Scans go bucket by bucket in quantity order
 * and, within a bucket, by ascending slot. A bucket that empties stays open, passed over by scans,
 * until a new quantity needs a bucket and none is spare: quantities often empty and fill again
 * soon. A new quantity when every bucket holds machines is refused ({@link add} returns false):
 * the owner then falls back to sorted keys.
 */
export class FreeBuckets {
  /** The buckets this instance may hold. */
  private readonly limit: number;
  /** Open buckets' quantities ascending (emptied ones included until reclaimed), and each one's bucket. */
  private readonly values: Float64Array;
  private readonly order: Int32Array;
  private live = 0;
  private readonly bucketByValue: QuantityTable;
  private readonly spare: number[] = [];
  /** Words of slot bits per bucket, and summary words per bucket (bit j of summary word i: word 32i + j is not 0). */
  private readonly wordCount: number;
  private readonly summaryCount: number;
  private readonly words: Int32Array;
  private readonly summaries: Int32Array;
  private readonly sizes: Int32Array;
  private readonly bounds: Float64Array;
  private readonly valueOfBucket: Float64Array;
  /** Per slot, its bucket, or -1. */
  private readonly bucketOf: Int32Array;
  private readonly exact: Float64Array;

  /** Whether a cluster of `slots` machines may use buckets at all. */
  static fits(slots: number): boolean {
    return bucketLimit(slots) >= MIN_BUCKETS;
  }

  constructor(private readonly dims: number, slots: number, limit = MAX_BUCKETS) {
    this.wordCount = Math.max(1, Math.ceil(slots / 32));
    this.summaryCount = Math.ceil(this.wordCount / 32);
    this.limit = Math.min(limit, bucketLimit(slots));
    if (!(this.limit >= 1)) throw new RangeError(`FreeBuckets needs room for at least one bucket, got ${this.limit}`);
    this.values = new Float64Array(this.limit);
    this.order = new Int32Array(this.limit);
    this.bucketByValue = new QuantityTable(this.limit);
    this.words = new Int32Array(this.limit * this.wordCount);
    this.summaries = new Int32Array(this.limit * this.summaryCount);
    this.sizes = new Int32Array(this.limit);
    this.bounds = new Float64Array(this.limit * dims);
    this.valueOfBucket = new Float64Array(this.limit);
    this.bucketOf = new Int32Array(slots).fill(-1);
    for (let b = this.limit - 1; b >= 0; b--) this.spare.push(b);
    this.exact = new Float64Array(dims);
  }

  /** The quantity machine `m` is held at, or NaN if it is not held. */
  quantityOf(m: number): number {
    const b = this.bucketOf[m] as number;
    return b < 0 ? NaN : (this.valueOfBucket[b] as number);
  }

  /** Takes machine `m` out (nothing if it is not held). */
  remove(m: number): void {
    const b = this.bucketOf[m] as number;
    if (b < 0) return;
    this.bucketOf[m] = -1;
    const i = b * this.wordCount + (m >>> 5);
    const word = (this.words[i] as number) & ~(1 << (m & 31));
    this.words[i] = word;
    if (word === 0) {
      const j = b * this.summaryCount + (m >>> 10);
      this.summaries[j] = (this.summaries[j] as number) & ~(1 << ((m >>> 5) & 31));
    }
    const size = (this.sizes[b] as number) - 1;
    this.sizes[b] = size;
    // an emptied bucket stays in the order until a new quantity needs its place (see open): a
    // quantity often empties and fills again soon. Its bound starts afresh for its next machines.
    if (size === 0) fillFew(this.bounds, -Infinity, b * this.dims, (b + 1) * this.dims);
  }

  /**
   * Holds machine `m` (not held now) at quantity `q`, its free vector at `vector[offset…)`; false
   * if `q` needed a bucket and none is left (nothing changes then).
   */
  add(m: number, q: number, vector: Float64Array, offset: number): boolean {
    let b = this.bucketByValue.get(q);
    if (b < 0) {
      b = this.open(q);
      if (b < 0) return false;
    }
    this.bucketOf[m] = b;
    const i = b * this.wordCount + (m >>> 5);
    const word = this.words[i] as number;
    if (word === 0) {
      const j = b * this.summaryCount + (m >>> 10);
      this.summaries[j] = (this.summaries[j] as number) | (1 << ((m >>> 5) & 31));
    }
    this.words[i] = word | (1 << (m & 31));
    this.sizes[b] = (this.sizes[b] as number) + 1;
    this.raise(m, vector, offset);
    return true;
  }

  /** Held machine `m`'s free vector is now `vector[offset…)`: its bucket's bound covers it. */
  raise(m: number, vector: Float64Array, offset: number): void {
    const at = (this.bucketOf[m] as number) * this.dims;
    for (let k = 0; k < this.dims; k++) {
      const v = vector[offset + k] as number;
      if (v > (this.bounds[at + k] as number)) this.bounds[at + k] = v;
    }
  }

  /**
   * Visits the held machines with quantity ≥ `atLeast`, going up from it (`step` 1) or down to it
   * from the top (`step` -1), quantity by quantity and by ascending slot within one, until `visit`
   * returns true; returns that machine or -1. With `demand`, only machines whose free vector
   * (`free`, `dims` numbers per slot) has room for it in every dimension are visited, and whole
   * buckets whose bound falls short are skipped.
   */
  scan(atLeast: number, step: 1 | -1, visit: (m: number) => boolean, demand?: Float64Array, free?: Float64Array): number {
    for (let v = step === 1 ? lowerBoundIn(this.values, 0, this.live, atLeast) : this.live - 1; v >= 0 && v < this.live; v += step) {
      if ((this.values[v] as number) < atLeast) return -1;
      const b = this.order[v] as number;
      if (this.sizes[b] === 0) continue;
      const m = this.visitBucket(b, visit, demand, free);
      if (m >= 0) return m;
    }
    return -1;
  }

  /** The held machines of each quantity, ascending (a copy, for checks and tests). */
  list(): { quantity: number; machines: number[]; bound: number[] }[] {
    const out: { quantity: number; machines: number[]; bound: number[] }[] = [];
    for (let v = 0; v < this.live; v++) {
      const b = this.order[v] as number;
      if (this.sizes[b] === 0) continue;
      const machines: number[] = [];
      this.visitBucket(b, (m) => (machines.push(m), false));
      out.push({ quantity: this.values[v] as number, machines, bound: Array.from(this.bounds.subarray(b * this.dims, (b + 1) * this.dims)) });
    }
    return out;
  }

  /**
   * Visits bucket `b`'s machines by ascending slot until `visit` returns true; returns that
   * machine or -1. With `demand`, only machines with room for it (and none if the bucket's bound
   * falls short); a bucket scanned to its end then gets its bound tightened.
   */
  private visitBucket(b: number, visit: (m: number) => boolean, demand?: Float64Array, free?: Float64Array): number {
    const dims = this.dims;
    const at = b * dims;
    const withRoom = demand !== undefined && free !== undefined;
    // a local: the field would be reloaded at every use in the loop below
    const exact = this.exact;
    if (withRoom) {
      for (let k = 0; k < dims; k++) if ((this.bounds[at + k] as number) < (demand[k] as number)) return -1;
      fillFew(exact, -Infinity);
    }
    const summaries = b * this.summaryCount;
    const words = b * this.wordCount;
    for (let j = 0; j < this.summaryCount; j++) {
      for (let summary = this.summaries[summaries + j] as number; summary !== 0; summary &= summary - 1) {
        const w = (j << 5) + lowestBit(summary);
        for (let word = this.words[words + w] as number; word !== 0; word &= word - 1) {
          const m = (w << 5) + lowestBit(word);
          let fitsAll = true;
          if (withRoom) {
            const base = m * dims;
            for (let k = 0; k < dims; k++) {
              const q = free[base + k] as number;
              if (q < (demand[k] as number)) fitsAll = false;
              if (q > (exact[k] as number)) exact[k] = q;
            }
          }
          if (fitsAll && visit(m)) return m;
        }
      }
    }
    if (withRoom) copyFew(this.bounds, exact, at);
    return -1;
  }

  /** A bucket for quantity `q`, placed in the quantity order; -1 if none is left. */
  private open(q: number): number {
    if (this.spare.length === 0) this.reclaim();
    const b = this.spare.pop();
    if (b === undefined) return -1;
    const v = lowerBoundIn(this.values, 0, this.live, q);
    this.values.copyWithin(v + 1, v, this.live);
    this.order.copyWithin(v + 1, v, this.live);
    this.values[v] = q;
    this.order[v] = b;
    this.live++;
    this.bucketByValue.add(q, b);
    this.valueOfBucket[b] = q;
    fillFew(this.bounds, -Infinity, b * this.dims, (b + 1) * this.dims);
    return b;
  }

  /** Frees every emptied bucket (their bits are all clear already), keeping the others in order. */
  private reclaim(): void {
    let kept = 0;
    for (let v = 0; v < this.live; v++) {
      const b = this.order[v] as number;
      if (this.sizes[b] === 0) {
        this.spare.push(b);
      } else {
        this.values[kept] = this.values[v] as number;
        this.order[kept++] = b;
      }
    }
    this.live = kept;
    this.bucketByValue.keepOnly((b) => this.sizes[b] !== 0);
  }
}

/** Buckets whose bitsets for `slots` machines fit in {@link BITSET_BYTES}, at most {@link MAX_BUCKETS}. */
function bucketLimit(slots: number): number {
  return Math.min(MAX_BUCKETS, Math.floor(BITSET_BYTES / (4 * Math.max(1, Math.ceil(slots / 32)))));
}

/** The index (0–31) of the lowest set bit of a non-zero 32-bit word. */
function lowestBit(word: number): number {
  return 31 - Math.clz32(word & -word);
}
