// Scans a free-ordered key set for a machine with room for a demand, skipping whole chunks by their bound.
import { SLOT_SPAN } from './cluster.js';
import { lowerBoundIn, type SortedKeys } from './sorted-keys.js';
import { fillFew } from '../typed-array.js';

/** How keys map to machines: key = quantity × SLOT_SPAN + low, low = position or SLOT_SPAN − 1 − position. */
export interface KeyLayout {
  /** True when low = SLOT_SPAN − 1 − position. */
  readonly reversed: boolean;
  /** Machine slot by position, or null when the position is the slot. */
  readonly slots: Int32Array | null;
}

/** The maximum free room seen in the chunk being scanned (scratch, remade when the width changes). */
let scratch = new Float64Array(0);

/**
 * Visits, in key order from `floor` (`step` 1: keys ≥ `floor` ascending; -1: from the top down to
 * `floor`), the machines whose free vector (`free`, `dims` numbers per slot) has room for `demand`
 * in every dimension, until `visit` returns true; returns that machine or -1. Best-fit passed over
 * ~140 machines per task in the benchmark that are tight on its fit dimension but lack room on
 * another, so whole chunks whose bound on free room falls short are skipped, and the room test is
 * done inline on the raw keys and free array rather than through callbacks. A chunk scanned end
 * to end without a pick gets its bound tightened to the exact maximum on the way.
 */
export function scanWithRoom(keys: SortedKeys, layout: KeyLayout, floor: number, demand: Float64Array, free: Float64Array, dims: number, visit: (machine: number) => boolean, step: 1 | -1): number {
  if (keys.width !== dims) throw new RangeError(`A room scan over ${dims} dimensions needs bounds of that width, got ${keys.width}`);
  const { reversed, slots } = layout;
  // locals: the stores are not replaced during a scan (only inserts grow them)
  const store = keys.keyStore;
  const lengths = keys.chunkLengths;
  const order = keys.chunkOrder;
  const bounds = keys.boundStore;
  const span = keys.span;
  const count = keys.chunkCount;
  if (scratch.length !== dims) scratch = new Float64Array(dims);
  // a local: the module binding would be reloaded at every use in the loop below
  const exact = scratch;
  let c = step === 1 ? keys.chunkFor(floor) : count - 1;
  // the first chunk may be entered part-way (going up, at the first key ≥ floor)
  let i = -1;
  if (step === 1 && c < count) {
    const base = (order[c] as number) * span;
    i = lowerBoundIn(store, base, base + (lengths[order[c] as number] as number), floor) - base;
  }
  for (; c >= 0 && c < count; c += step, i = -1) {
    const p = order[c] as number;
    const base = p * span;
    const n = lengths[p] as number;
    const b = p * dims;
    let d = 0;
    while (d < dims && (bounds[b + d] as number) >= (demand[d] as number)) d++;
    if (d < dims) {
      // nothing in this chunk has room; going down, it may still hold the stopping key
      if (step === -1 && (store[base] as number) < floor) return -1;
      continue;
    }
    const whole = i <= 0;
    if (i < 0) i = step === 1 ? 0 : n - 1;
    fillFew(exact, -Infinity);
    for (; i >= 0 && i < n; i += step) {
      const key = store[base + i] as number;
      if (key < floor) return -1;
      // keyPosition / keyPositionFromTop written out: calling them here measured 3–9 % more CPU on
      // best-fit and fenzo-indexed. Exact for keys below 2^53 (SLOT_SPAN is a power of two).
      const low = key - Math.floor(key / SLOT_SPAN) * SLOT_SPAN;
      const position = reversed ? SLOT_SPAN - 1 - low : low;
      const m = slots === null ? position : (slots[position] as number);
      const at = m * dims;
      let fitsAll = true;
      for (let k = 0; k < dims; k++) {
        const q = free[at + k] as number;
        if (q < (demand[k] as number)) fitsAll = false;
        if (q > (exact[k] as number)) exact[k] = q;
      }
      if (fitsAll && visit(m)) return m;
    }
    if (whole) keys.setBound(c, exact);
  }
  return -1;
}
