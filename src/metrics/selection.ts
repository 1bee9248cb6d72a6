// Order statistics without a full sort: quickselect in memory, and radix selection over values read in blocks.
import { endianness } from 'node:os';

/**
 * Rearranges a[left..right] so that a[k] holds the value it would hold if sorted, with no greater
 * value before it and no lesser after (Hoare's quickselect, median-of-three pivots; many equal
 * values, common in waits, split evenly). NaN-free input.
 */
export function select(a: Float64Array, k: number, left: number, right: number): void {
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

/** Visits every value of a multiset once, a block at a time, in the same order on every call. */
export type BlockSource = (visit: (values: Float64Array, count: number) => void) => void;

// one float64 seen as two uint32 words; which word holds the sign depends on the byte order
const word = new Float64Array(1);
const words = new Uint32Array(word.buffer);
const LOW = endianness() === 'LE' ? 0 : 1;
const HIGH = 1 - LOW;
const DIGITS = 4;
const RADIX = 1 << 16;

/**
 * The k-th smallest (0-based) of the `n` values `source` yields, exactly, holding at most
 * `memoryLimit` of them at once. Each float64 maps to a 64-bit key in the same order (sign bit
 * flipped for positives, every bit for negatives; -0 counts as 0); each pass over the source counts
 * the candidates by the next 16 bits of their key and keeps the bucket holding rank k. As soon as
 * the candidates fit in `memoryLimit`, one more pass gathers them and quickselect finishes; after
 * four passes the key itself is the value. NaN-free input.
 */
export function selectStreamed(source: BlockSource, n: number, k: number, memoryLimit: number): number {
  if (!(k >= 0 && k < n)) throw new RangeError(`rank ${k} outside 0..${n - 1}`);
  const counts = new Float64Array(RADIX);
  let rank = k;
  let candidates = n;
  // the key bits fixed so far: `high` and `low` words, of which the first `pass` digits count
  let high = 0;
  let low = 0;
  for (let pass = 0; pass < DIGITS; pass++) {
    const matches = prefixTest(pass, high, low);
    if (candidates <= memoryLimit) {
      const picked = new Float64Array(candidates);
      let m = 0;
      source((values, count) => {
        for (let i = 0; i < count; i++) {
          const v = values[i] as number;
          keyOf(v);
          if (matches()) picked[m++] = v === 0 ? 0 : v;
        }
      });
      select(picked, rank, 0, m - 1);
      return picked[rank] as number;
    }
    counts.fill(0);
    source((values, count) => {
      for (let i = 0; i < count; i++) {
        keyOf(values[i] as number);
        if (matches()) {
          const j = digit(pass);
          counts[j] = (counts[j] as number) + 1;
        }
      }
    });
    let d = 0;
    while (rank >= (counts[d] as number)) rank -= counts[d++] as number;
    candidates = counts[d] as number;
    if (pass === 0) high = (d << 16) >>> 0;
    else if (pass === 1) high = (high | d) >>> 0;
    else if (pass === 2) low = (d << 16) >>> 0;
    else low = (low | d) >>> 0;
  }
  return valueOf(high, low);
}

/**
 * The `qs`-th quantiles (each in [0, 1]) of the `n` values `source` yields, by linear interpolation
 * between closest ranks as `quantile` in stats.ts defines them, each order statistic found by
 * {@link selectStreamed}.
 */
export function quantilesStreamed(source: BlockSource, n: number, qs: readonly number[], memoryLimit: number): (number | null)[] {
  if (n === 0) return qs.map(() => null);
  return qs.map((q) => {
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    const low = selectStreamed(source, n, lo, memoryLimit);
    if (lo + 1 >= n || h === lo) return low;
    return low + (h - lo) * (selectStreamed(source, n, lo + 1, memoryLimit) - low);
  });
}

/** Puts the order-preserving key of `v` into `words` (high word, low word). */
function keyOf(v: number): void {
  word[0] = v === 0 ? 0 : v;
  const h = words[HIGH] as number;
  if (h >>> 31 === 1) {
    words[HIGH] = ~h;
    words[LOW] = ~(words[LOW] as number);
  } else words[HIGH] = h | 0x80000000;
}

/** The value whose key is (`high`, `low`). */
function valueOf(high: number, low: number): number {
  if (high >>> 31 === 1) {
    words[HIGH] = high & 0x7fffffff;
    words[LOW] = low;
  } else {
    words[HIGH] = ~high;
    words[LOW] = ~low;
  }
  return word[0] as number;
}

/** Digit `pass` (0 = most significant 16 bits) of the key in `words`. */
function digit(pass: number): number {
  const w = (pass < 2 ? words[HIGH] : words[LOW]) as number;
  return pass % 2 === 0 ? w >>> 16 : w & 0xffff;
}

/** Whether the key in `words` starts with the first `pass` digits of (`high`, `low`). */
function prefixTest(pass: number, high: number, low: number): () => boolean {
  switch (pass) {
    case 0:
      return () => true;
    case 1:
      return () => (words[HIGH] as number) >>> 16 === high >>> 16;
    case 2:
      return () => words[HIGH] === high;
    default:
      return () => words[HIGH] === high && (words[LOW] as number) >>> 16 === low >>> 16;
  }
}
