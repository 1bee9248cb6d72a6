// Growing typed arrays by doubling, for tables indexed by a dense number.

type Typed = Float64Array<ArrayBuffer> | Int32Array<ArrayBuffer> | Uint8Array<ArrayBuffer>;

/** `array` if it holds at least `length` items, else a copy at least twice as long (zero-filled past the old items). */
export function ensureLength<T extends Typed>(array: T, length: number): T {
  if (length <= array.length) return array;
  const out = new (array.constructor as new (n: number) => T)(Math.max(length, 2 * array.length));
  out.set(array);
  return out;
}
