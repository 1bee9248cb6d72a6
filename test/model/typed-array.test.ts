import { describe, expect, it } from 'vitest';
import { copyFew, ensureLength, fillFew } from '../../src/typed-array.js';

describe('typed-array helpers', () => {
  it('ensureLength keeps an array long enough and otherwise at least doubles it, keeping the items', () => {
    const a = Int32Array.of(1, 2, 3);
    expect(ensureLength(a, 3)).toBe(a);
    const b = ensureLength(a, 4);
    expect(Array.from(b)).toEqual([1, 2, 3, 0, 0, 0]);
    expect(ensureLength(a, 10).length).toBe(10);
  });

  it('fillFew sets exactly the range asked, the whole array by default', () => {
    const a = Float64Array.of(1, 2, 3, 4, 5);
    fillFew(a, -Infinity, 1, 3);
    expect(Array.from(a)).toEqual([1, -Infinity, -Infinity, 4, 5]);
    fillFew(a, 7);
    expect(Array.from(a)).toEqual([7, 7, 7, 7, 7]);
  });

  it('copyFew copies the whole source at the offset, nothing else', () => {
    const a = new Float64Array(6);
    copyFew(a, Float64Array.of(1, 2, 3), 2);
    expect(Array.from(a)).toEqual([0, 0, 1, 2, 3, 0]);
    copyFew(a, Float64Array.of(9));
    expect(Array.from(a)).toEqual([9, 0, 1, 2, 3, 0]);
  });
});
