// An ordered set of numbers kept in sorted chunks: O(√n)-ish updates with tiny constants, ordered scans.

/** Default chunk size: chunks hold CHUNK to 2 × CHUNK keys (fewer only while the set is small). */
const CHUNK = 256;

/**
 * A sorted set of distinct numbers supporting insert, remove and scans from a bound.
 *
 * Optionally each chunk also carries a vector of `width` numbers, an upper bound on some
 * per-key vector its owner keeps elsewhere (the free-ordered machine indexes keep each chunk's
 * maximum free room, so a scan can skip chunks where nothing has room). The set keeps the bound
 * valid across inserts and splits; the owner raises it when a present key's vector grows
 * ({@link raise}) and may tighten it to an exact maximum ({@link setBound}).
 */
export class SortedKeys {
  private chunks: number[][] = [];
  private maxes: number[] = [];
  /** Per chunk, its bound vector (empty arrays when width is 0). */
  private bounds: Float64Array[] = [];
  private count = 0;

  /** @param width length of each chunk's bound vector, 0 for none; @param chunk chunk size. */
  constructor(private readonly width = 0, private readonly chunk = CHUNK) {}

  get size(): number {
    return this.count;
  }

  /** Inserts `key`; with bounds, `vector[offset…offset+width)` is its vector, folded into its chunk's bound. */
  insert(key: number, vector?: Float64Array, offset = 0): void {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      this.maxes.push(key);
      this.bounds.push(new Float64Array(this.width).fill(-Infinity));
      this.count++;
      this.raiseChunk(0, vector, offset);
      return;
    }
    let c = this.chunkFor(key);
    if (c === this.chunks.length) c--;
    const chunk = this.chunks[c] as number[];
    // shifted by hand: splice would allocate its (empty) result array on every update
    const at = lowerBound(chunk, key);
    chunk.push(key);
    for (let j = chunk.length - 1; j > at; j--) chunk[j] = chunk[j - 1] as number;
    chunk[at] = key;
    this.maxes[c] = chunk[chunk.length - 1] as number;
    this.count++;
    this.raiseChunk(c, vector, offset);
    if (chunk.length > 2 * this.chunk) {
      const tail = chunk.splice(this.chunk);
      this.chunks.splice(c + 1, 0, tail);
      this.maxes.splice(c, 1, chunk[chunk.length - 1] as number, tail[tail.length - 1] as number);
      // an upper bound of the whole chunk bounds each half
      this.bounds.splice(c + 1, 0, (this.bounds[c] as Float64Array).slice());
    }
  }

  /** Removes `key`; returns false if it was not present. */
  remove(key: number): boolean {
    const c = this.chunkFor(key);
    const chunk = this.chunks[c];
    if (chunk === undefined) return false;
    const i = lowerBound(chunk, key);
    if (chunk[i] !== key) return false;
    for (let j = i + 1; j < chunk.length; j++) chunk[j - 1] = chunk[j] as number;
    chunk.pop();
    this.count--;
    if (chunk.length === 0) {
      this.chunks.splice(c, 1);
      this.maxes.splice(c, 1);
      this.bounds.splice(c, 1);
    } else {
      this.maxes[c] = chunk[chunk.length - 1] as number;
    }
    return true;
  }

  /** The vector of present `key` grew to `vector[offset…)`: raises its chunk's bound to cover it. */
  raise(key: number, vector: Float64Array, offset: number): void {
    const c = this.chunkFor(key);
    if (c < this.chunks.length) this.raiseChunk(c, vector, offset);
  }

  /** Visits keys ≥ `bound` in ascending order until `visit` returns true; returns that key or -1. */
  findUp(bound: number, visit: (key: number) => boolean): number {
    const first = this.chunkFor(bound);
    for (let c = first; c < this.chunks.length; c++) {
      const chunk = this.chunks[c] as number[];
      for (let i = c === first ? lowerBound(chunk, bound) : 0; i < chunk.length; i++) {
        const key = chunk[i] as number;
        if (visit(key)) return key;
      }
    }
    return -1;
  }

  /** Visits keys in descending order, from the largest, until `visit` returns true; returns that key or -1. */
  findDown(visit: (key: number) => boolean): number {
    for (let c = this.chunks.length - 1; c >= 0; c--) {
      const chunk = this.chunks[c] as number[];
      for (let i = chunk.length - 1; i >= 0; i--) {
        const key = chunk[i] as number;
        if (visit(key)) return key;
      }
    }
    return -1;
  }

  /**
   * The sorted chunks themselves, for callers whose per-key test is too hot for a callback
   * (concatenated, they are the keys in ascending order). Read only; valid until the next update.
   */
  get sortedChunks(): readonly (readonly number[])[] {
    return this.chunks;
  }

  /** Chunk `c`'s bound vector (see the class comment). Read only; valid until the next update. */
  bound(c: number): Float64Array {
    return this.bounds[c] as Float64Array;
  }

  /** Sets chunk `c`'s bound to `vector` (its owner computed the exact maximum over the chunk's keys). */
  setBound(c: number, vector: Float64Array): void {
    (this.bounds[c] as Float64Array).set(vector);
  }

  /** Index of the first chunk whose max is ≥ key (chunks.length if none). */
  chunkFor(key: number): number {
    return lowerBound(this.maxes, key);
  }

  private raiseChunk(c: number, vector: Float64Array | undefined, offset: number): void {
    if (this.width === 0) return;
    if (vector === undefined) throw new RangeError('A SortedKeys with bounds needs a vector for each key');
    const bound = this.bounds[c] as Float64Array;
    for (let k = 0; k < this.width; k++) {
      const v = vector[offset + k] as number;
      if (v > (bound[k] as number)) bound[k] = v;
    }
  }
}

/** The first index in [0, `end`) whose value is ≥ `key` (`end` if none); the values there must ascend. */
export function lowerBound(values: readonly number[], key: number, end = values.length): number {
  let lo = 0;
  let hi = end;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
