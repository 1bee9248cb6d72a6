// Growing typed arrays by doubling, for tables indexed by a dense number; filling and copying a few numbers.

type Typed = Float64Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>;

/** `array` if it holds at least `length` items, else a copy at least twice as long (zero-filled past the old items). */
export function ensureLength<T extends Typed>(array: T, length: number): T {
  if (length <= array.length) return array;
  const out = new (array.constructor as new (n: number) => T)(Math.max(length, 2 * array.length));
  out.set(array);
  return out;
}

/**
 * Sets `array[from…to)` to `value`. A plain loop: for the few numbers of a resource vector, several
 * times cheaper than the `fill` builtin, whose call costs more than the work (about 4 against 15 ns
 * for three numbers), and hot paths do it per round or per bucket visited.
 */
export function fillFew(array: Float64Array, value: number, from = 0, to = array.length): void {
  for (let i = from; i < to; i++) array[i] = value;
}

/** Copies `source` into `target` from `offset` on: a plain loop, cheaper than `set` for a few numbers (see {@link fillFew}). */
export function copyFew(target: Float64Array, source: Float64Array, offset = 0): void {
  for (let i = 0; i < source.length; i++) target[offset + i] = source[i] as number;
}
