// An ordered set of numbers kept in sorted chunks of one typed array: cheap updates, ordered scans.
import { ensureLength } from '../typed-array.js';

/** Default chunk size: chunks hold CHUNK to 2 × CHUNK keys (fewer only while the set is small). */
const CHUNK = 256;
/** Chunk places made at first; the stores double when they run out. */
const FIRST_PLACES = 4;

/**
 * A sorted set of distinct numbers supporting insert, remove and scans from a bound.
 *
 * The keys live in chunks of one Float64Array, each chunk in a fixed place of `span` numbers; the
 * chunks' order is kept apart from their places (`chunkOrder`), so a chunk that splits or empties
 * moves no keys but its own. Hot scans read these stores directly (see room-scan.ts); everything
 * else goes through the methods.
 *
 * Optionally each chunk also carries a vector of `width` numbers, an upper bound on some
 * per-key vector its owner keeps elsewhere (the free-ordered machine indexes keep each chunk's
 * maximum free room, so a scan can skip chunks where nothing has room). The set keeps the bound
 * valid across inserts and splits; the owner raises it when a present key's vector grows
 * ({@link raise}) and may tighten it to an exact maximum ({@link setBound}).
 */
export class SortedKeys {
  /** Numbers per chunk place: a chunk may hold 2 × chunk + 1 keys for a moment before it splits. */
  readonly span: number;
  /** Keys: the chunk in place p holds `chunkLengths[p]` keys from p × span, ascending. */
  private keys: Float64Array<ArrayBuffer>;
  private lengths: Int32Array<ArrayBuffer>;
  /** Per place p, the bound vector at p × width. */
  private bounds: Float64Array<ArrayBuffer>;
  /** The place of each chunk, in ascending key order, and each chunk's largest key. */
  private order: Int32Array<ArrayBuffer>;
  private maxes: Float64Array<ArrayBuffer>;
  private chunks = 0;
  /** Places emptied and free for reuse; places from `used` on were never used. */
  private readonly spare: number[] = [];
  private used = 0;
  private count = 0;
  /** With `idOf`: per key's id, the place of the chunk holding it (meaningful while the key is present). */
  private placeOf: Int32Array<ArrayBuffer> = new Int32Array(0);

  /**
   * @param width length of each chunk's bound vector, 0 for none; @param chunk chunk size.
   * @param idOf gives each key a small distinct integer (a machine's slot, say): with it the set
   * remembers where each key is, and finds it for {@link remove} and {@link raise} without a search
   * of the chunks.
   */
  constructor(readonly width = 0, private readonly chunk = CHUNK, private readonly idOf?: (key: number) => number) {
    if (!(Number.isInteger(chunk) && chunk >= 1)) throw new RangeError(`A SortedKeys chunk size must be a positive integer, got ${chunk}`);
    this.span = 2 * chunk + 1;
    this.keys = new Float64Array(FIRST_PLACES * this.span);
    this.lengths = new Int32Array(FIRST_PLACES);
    this.bounds = new Float64Array(FIRST_PLACES * width);
    this.order = new Int32Array(FIRST_PLACES);
    this.maxes = new Float64Array(FIRST_PLACES);
  }

  get size(): number {
    return this.count;
  }

  /** Number of chunks. */
  get chunkCount(): number {
    return this.chunks;
  }

  /** The key store (read only; replaced when it grows, so read it again after any insert). */
  get keyStore(): Float64Array {
    return this.keys;
  }

  /** Keys held per chunk place (read only, like {@link keyStore}). */
  get chunkLengths(): Int32Array {
    return this.lengths;
  }

  /** Chunk places in ascending key order, the first {@link chunkCount} entries (read only, like {@link keyStore}). */
  get chunkOrder(): Int32Array {
    return this.order;
  }

  /** Bound vectors, `width` numbers per chunk place (read only, like {@link keyStore}; see {@link setBound}). */
  get boundStore(): Float64Array {
    return this.bounds;
  }

  /** Inserts `key`; with bounds, `vector[offset…offset+width)` is its vector, folded into its chunk's bound. */
  insert(key: number, vector?: Float64Array, offset = 0): void {
    if (this.width > 0 && vector === undefined) throw new RangeError('A SortedKeys with bounds needs a vector for each key');
    let c: number;
    if (this.chunks === 0) {
      c = 0;
      this.openChunk(0);
    } else {
      c = lowerBoundIn(this.maxes, 0, this.chunks, key);
      if (c === this.chunks) c--;
    }
    const p = this.order[c] as number;
    const keys = this.keys;
    const lengths = this.lengths;
    const base = p * this.span;
    const n = lengths[p] as number;
    const at = lowerBoundIn(keys, base, base + n, key);
    for (let j = base + n; j > at; j--) keys[j] = keys[j - 1] as number;
    keys[at] = key;
    lengths[p] = n + 1;
    this.maxes[c] = keys[base + n] as number;
    this.count++;
    if (this.idOf !== undefined) this.placeAt(this.idOf(key), p);
    if (vector !== undefined) this.raisePlace(p, vector, offset);
    if (n >= 2 * this.chunk) this.split(c);
  }

  /** Removes `key`; returns false if it was not present. */
  remove(key: number): boolean {
    const idOf = this.idOf;
    let c = -1;
    let p: number;
    if (idOf === undefined) {
      c = this.chunkFor(key);
      if (c === this.chunks) return false;
      p = this.order[c] as number;
    } else {
      const id = idOf(key);
      if (!(id >= 0 && id < this.placeOf.length)) return false;
      p = this.placeOf[id] as number;
    }
    const keys = this.keys;
    const lengths = this.lengths;
    const base = p * this.span;
    const end = base + (lengths[p] as number);
    const i = lowerBoundIn(keys, base, end, key);
    if (i === end || keys[i] !== key) return false;
    for (let j = i + 1; j < end; j++) keys[j - 1] = keys[j] as number;
    lengths[p] = end - base - 1;
    this.count--;
    // the chunk's place in the order matters only when its largest key goes
    if (i === end - 1) {
      if (c < 0) c = this.chunkFor(key);
      if (end - 1 === base) this.closeChunk(c);
      else this.maxes[c] = keys[end - 2] as number;
    }
    return true;
  }

  /** The vector of present `key` grew to `vector[offset…)`: raises its chunk's bound to cover it. */
  raise(key: number, vector: Float64Array, offset: number): void {
    if (this.idOf !== undefined) {
      this.raisePlace(this.placeOf[this.idOf(key)] as number, vector, offset);
      return;
    }
    const c = this.chunkFor(key);
    if (c < this.chunks) this.raisePlace(this.order[c] as number, vector, offset);
  }

  /** Visits keys ≥ `bound` in ascending order until `visit` returns true; returns that key or -1. */
  findUp(bound: number, visit: (key: number) => boolean): number {
    const first = this.chunkFor(bound);
    for (let c = first; c < this.chunks; c++) {
      const base = (this.order[c] as number) * this.span;
      const end = base + (this.lengths[this.order[c] as number] as number);
      for (let i = c === first ? lowerBoundIn(this.keys, base, end, bound) : base; i < end; i++) {
        const key = this.keys[i] as number;
        if (visit(key)) return key;
      }
    }
    return -1;
  }

  /** Visits keys in descending order, from the largest, until `visit` returns true; returns that key or -1. */
  findDown(visit: (key: number) => boolean): number {
    for (let c = this.chunks - 1; c >= 0; c--) {
      const base = (this.order[c] as number) * this.span;
      for (let i = base + (this.lengths[this.order[c] as number] as number) - 1; i >= base; i--) {
        const key = this.keys[i] as number;
        if (visit(key)) return key;
      }
    }
    return -1;
  }

  /** The keys chunk by chunk, in ascending order (a copy, for checks and tests). */
  chunkList(): number[][] {
    const out: number[][] = [];
    for (let c = 0; c < this.chunks; c++) {
      const base = (this.order[c] as number) * this.span;
      out.push(Array.from(this.keys.subarray(base, base + (this.lengths[this.order[c] as number] as number))));
    }
    return out;
  }

  /** Chunk `c`'s bound vector (a copy; see the class comment). */
  bound(c: number): Float64Array {
    const at = (this.order[c] as number) * this.width;
    return this.bounds.slice(at, at + this.width);
  }

  /** Sets chunk `c`'s bound to `vector` (its owner computed the exact maximum over the chunk's keys). */
  setBound(c: number, vector: Float64Array): void {
    this.bounds.set(vector, (this.order[c] as number) * this.width);
  }

  /** Index of the first chunk whose largest key is ≥ key ({@link chunkCount} if none). */
  chunkFor(key: number): number {
    return lowerBoundIn(this.maxes, 0, this.chunks, key);
  }

  private raisePlace(p: number, vector: Float64Array, offset: number): void {
    const bounds = this.bounds;
    const at = p * this.width;
    for (let k = 0; k < this.width; k++) {
      const v = vector[offset + k] as number;
      if (v > (bounds[at + k] as number)) bounds[at + k] = v;
    }
  }

  /** Splits the overfull chunk `c`: its upper keys go to a new chunk after it, which starts with its bound. */
  private split(c: number): void {
    const p = this.order[c] as number;
    const q = this.openChunk(c + 1);
    const keys = this.keys;
    const from = p * this.span + this.chunk;
    const moved = (this.lengths[p] as number) - this.chunk;
    keys.copyWithin(q * this.span, from, from + moved);
    if (this.idOf !== undefined) for (let j = q * this.span; j < q * this.span + moved; j++) this.placeAt(this.idOf(keys[j] as number), q);
    this.lengths[p] = this.chunk;
    this.lengths[q] = moved;
    this.maxes[c] = keys[from - 1] as number;
    this.maxes[c + 1] = keys[q * this.span + moved - 1] as number;
    // an upper bound of the whole chunk bounds each half
    this.bounds.copyWithin(q * this.width, p * this.width, (p + 1) * this.width);
  }

  private placeAt(id: number, p: number): void {
    if (!(Number.isInteger(id) && id >= 0)) throw new RangeError(`A SortedKeys key id must be a whole number ≥ 0, got ${id}`);
    // checked here first: this runs at every insert, and ensureLength is shared by every typed-array kind
    if (id >= this.placeOf.length) this.placeOf = ensureLength(this.placeOf, id + 1);
    this.placeOf[id] = p;
  }

  /** Makes an empty chunk at position `c` of the order (its bound at -∞); returns its place. */
  private openChunk(c: number): number {
    let p = this.spare.pop();
    if (p === undefined) {
      p = this.used++;
      if (p === this.lengths.length) this.growPlaces();
    }
    this.order = ensureLength(this.order, this.chunks + 1);
    this.maxes = ensureLength(this.maxes, this.chunks + 1);
    this.order.copyWithin(c + 1, c, this.chunks);
    this.maxes.copyWithin(c + 1, c, this.chunks);
    this.order[c] = p;
    this.chunks++;
    this.lengths[p] = 0;
    this.bounds.fill(-Infinity, p * this.width, (p + 1) * this.width);
    return p;
  }

  /** Drops the empty chunk at position `c` of the order; its place is kept for reuse. */
  private closeChunk(c: number): void {
    this.spare.push(this.order[c] as number);
    this.order.copyWithin(c, c + 1, this.chunks);
    this.maxes.copyWithin(c, c + 1, this.chunks);
    this.chunks--;
  }

  private growPlaces(): void {
    this.lengths = ensureLength(this.lengths, this.used);
    const places = this.lengths.length;
    this.keys = ensureLength(this.keys, places * this.span);
    this.bounds = ensureLength(this.bounds, places * this.width);
  }
}

/** The first index in [`from`, `to`) whose value is ≥ `key` (`to` if none); the values there must ascend. */
export function lowerBoundIn(values: Float64Array, from: number, to: number, key: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
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
