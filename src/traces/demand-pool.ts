// Interning of task demand vectors: traces repeat a few shapes millions of times, and TaskSpec.demand is read-only.

/** Largest number of distinct vectors kept; past it new shapes are still returned, just not shared. */
const MAX_SHAPES = 1 << 16;

/**
 * Returns one shared Float64Array per distinct demand, so parsing a row allocates nothing for it.
 * Fill `scratch` (or any vector), then `intern()` it; the pool copies it only for a shape it has not seen.
 */
export class DemandPool {
  readonly scratch: Float64Array<ArrayBuffer>;
  /** Shapes by a hash of their values; a colliding shape replaces the old one (still correct, just less sharing). */
  private readonly shapes = new Map<number, Float64Array>();

  constructor(dims: number) {
    this.scratch = new Float64Array(dims);
  }

  intern(s: Float64Array<ArrayBufferLike>): Float64Array {
    let h = 0;
    for (let d = 0; d < s.length; d++) h = (Math.imul(h, 0x9e3779b1) + (s[d] as number)) | 0;
    const known = this.shapes.get(h);
    if (known !== undefined && sameValues(known, s)) return known;
    const copy = Float64Array.from(s);
    if (this.shapes.size < MAX_SHAPES || known !== undefined) this.shapes.set(h, copy);
    return copy;
  }
}

function sameValues(a: Float64Array<ArrayBufferLike>, b: Float64Array<ArrayBufferLike>): boolean {
  // 1 / x tells -0 from 0, so a shared vector is bit-for-bit the one the row would have made
  for (let d = 0; d < a.length; d++) if (a[d] !== b[d] || 1 / (a[d] as number) !== 1 / (b[d] as number)) return false;
  return true;
}
