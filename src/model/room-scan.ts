// Scans a free-ordered key set for a machine with room for a demand, skipping whole chunks by their bound.
import { SLOT_SPAN } from './cluster.js';
import { lowerBound, type SortedKeys } from './sorted-keys.js';

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
  const chunks = keys.sortedChunks;
  const { reversed, slots } = layout;
  if (scratch.length !== dims) scratch = new Float64Array(dims);
  // a local: the module binding would be reloaded at every use in the loop below
  const exact = scratch;
  let c = step === 1 ? keys.chunkFor(floor) : chunks.length - 1;
  let i = step === 1 && c < chunks.length ? lowerBound(chunks[c] as readonly number[], floor) : -1;
  for (; c >= 0 && c < chunks.length; c += step, i = -1) {
    const chunk = chunks[c] as readonly number[];
    const bound = keys.bound(c);
    let d = 0;
    while (d < dims && (bound[d] as number) >= (demand[d] as number)) d++;
    if (d < dims) {
      // nothing in this chunk has room; going down, it may still hold the stopping key
      if (step === -1 && (chunk[0] as number) < floor) return -1;
      continue;
    }
    const whole = i <= 0;
    if (i < 0) i = step === 1 ? 0 : chunk.length - 1;
    exact.fill(-Infinity);
    for (; i >= 0 && i < chunk.length; i += step) {
      const key = chunk[i] as number;
      if (key < floor) return -1;
      // exact for keys below 2^53 (SLOT_SPAN is a power of two), and much cheaper than a float `%`
      const low = key - Math.floor(key / SLOT_SPAN) * SLOT_SPAN;
      const position = reversed ? SLOT_SPAN - 1 - low : low;
      const m = slots === null ? position : (slots[position] as number);
      const base = m * dims;
      let fitsAll = true;
      for (let k = 0; k < dims; k++) {
        const q = free[base + k] as number;
        if (q < (demand[k] as number)) fitsAll = false;
        if (q > (exact[k] as number)) exact[k] = q;
      }
      if (fitsAll && visit(m)) return m;
    }
    if (whole) keys.setBound(c, exact);
  }
  return -1;
}
