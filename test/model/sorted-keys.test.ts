import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SortedKeys } from '../../src/model/sorted-keys.js';

type Op =
  | { op: 'insert'; key: number }
  | { op: 'remove'; key: number }
  | { op: 'removeRun'; from: number; count: number }
  | { op: 'up'; bound: number; mod: number }
  | { op: 'down'; mod: number };

const KEY_SPACE = 5000;
const key = fc.integer({ min: 0, max: KEY_SPACE });

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant('insert' as const), key }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('remove' as const), key }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('removeRun' as const), from: key, count: fc.integer({ min: 1, max: 700 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('up' as const), bound: fc.integer({ min: -10, max: KEY_SPACE + 10 }), mod: fc.integer({ min: 1, max: 400 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('down' as const), mod: fc.integer({ min: 1, max: 400 }) }) },
);

/** Index of the first element ≥ key in an ascending array. */
function lowerBound(xs: readonly number[], k: number): number {
  let i = 0;
  while (i < xs.length && (xs[i] as number) < k) i++;
  return i;
}

function removeKey(keys: SortedKeys, model: number[], k: number): void {
  const i = model.indexOf(k);
  expect(keys.remove(k)).toBe(i >= 0);
  if (i >= 0) model.splice(i, 1);
}

describe('SortedKeys against a sorted array', () => {
  // with idOf the set finds keys by where it put them, not by searching: both ways must agree
  it.each([
    ['searching for keys, chunks of 256', 256, undefined],
    ['finding keys by id, chunks of 256', 256, (k: number) => k],
    ['searching for keys, chunks of 4', 4, undefined],
    ['finding keys by id, chunks of 4', 4, (k: number) => k],
  ] as const)('agrees on insert, remove, findUp and findDown, across chunk splits and merges (%s)', (_, chunk, idOf) => {
    // a bulk preload well past two chunks (512 keys), inserted in random order
    const preload = fc.uniqueArray(key, { minLength: 0, maxLength: 1800, size: 'max' });
    fc.assert(
      fc.property(preload, fc.array(op, { maxLength: 200, size: 'max' }), (initial, ops) => {
        const keys = new SortedKeys(0, chunk, idOf);
        const model: number[] = [];
        const insert = (k: number) => {
          if (model.includes(k)) return; // a set of distinct keys: callers never insert a present key
          keys.insert(k);
          model.splice(lowerBound(model, k), 0, k);
        };
        for (const k of initial) insert(k);
        expect(keys.size).toBe(model.length);
        for (const o of ops) {
          switch (o.op) {
            case 'insert':
              insert(o.key);
              break;
            case 'remove':
              removeKey(keys, model, o.key);
              break;
            case 'removeRun': {
              const start = lowerBound(model, o.from);
              for (const k of model.slice(start, start + o.count)) removeKey(keys, model, k);
              break;
            }
            case 'up': {
              const visited: number[] = [];
              const found = keys.findUp(o.bound, (k) => {
                visited.push(k);
                return k % o.mod === 0;
              });
              const tail = model.slice(lowerBound(model, o.bound));
              const hit = tail.findIndex((k) => k % o.mod === 0);
              expect(found).toBe(hit < 0 ? -1 : tail[hit]);
              expect(visited).toEqual(hit < 0 ? tail : tail.slice(0, hit + 1));
              break;
            }
            case 'down': {
              const visited: number[] = [];
              const found = keys.findDown((k) => {
                visited.push(k);
                return k % o.mod === 0;
              });
              const reversed = [...model].reverse();
              const hit = reversed.findIndex((k) => k % o.mod === 0);
              expect(found).toBe(hit < 0 ? -1 : reversed[hit]);
              expect(visited).toEqual(hit < 0 ? reversed : reversed.slice(0, hit + 1));
              break;
            }
          }
          expect(keys.size).toBe(model.length);
        }
        const all: number[] = [];
        keys.findUp(-Infinity, (k) => {
          all.push(k);
          return false;
        });
        expect(all).toEqual(model);
      }),
      { numRuns: 60, endOnFailure: true },
    );
  });

  it('holds keys in order through ascending, descending and interleaved inserts of thousands of keys', () => {
    for (const order of ['up', 'down', 'zigzag'] as const) {
      const keys = new SortedKeys();
      const n = 3000;
      for (let i = 0; i < n; i++) {
        const k = order === 'up' ? i : order === 'down' ? n - i : i % 2 === 0 ? i : n * 2 - i;
        keys.insert(k * 2 ** 21 + (i % 7));
      }
      const seen: number[] = [];
      keys.findUp(0, (k) => {
        seen.push(k);
        return false;
      });
      expect(seen.length).toBe(n);
      expect(seen.every((k, i) => i === 0 || (seen[i - 1] as number) < k)).toBe(true);
      expect(keys.findUp(seen[1500] as number, () => true)).toBe(seen[1500]);
      expect(keys.findUp((seen[1500] as number) + 1, () => true)).toBe(seen[1501]);
    }
  });

  it('returns -1 and false on an empty set', () => {
    const keys = new SortedKeys();
    expect(keys.findUp(0, () => true)).toBe(-1);
    expect(keys.findDown(() => true)).toBe(-1);
    expect(keys.remove(3)).toBe(false);
    keys.insert(3);
    expect(keys.remove(3)).toBe(true);
    expect(keys.remove(3)).toBe(false);
    expect(keys.size).toBe(0);
    expect(keys.findDown(() => true)).toBe(-1);
  });

  it('keeps each chunk bound over its keys vectors through inserts, raises, removes and splits', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 99 })), { minLength: 50, maxLength: 600, size: 'max' }), (steps) => {
        const vectors = new Float64Array(301 * 2);
        const keys = new SortedKeys(2, 3, (k) => k);
        const present = new Set<number>();
        for (const [kind, k, v] of steps) {
          if (kind === 0 && !present.has(k)) {
            vectors[2 * k] = v;
            vectors[2 * k + 1] = 99 - v;
            keys.insert(k, vectors, 2 * k);
            present.add(k);
          } else if (kind === 1 && present.has(k)) {
            // the vector only grows while the key is present, and the owner says so
            vectors[2 * k] = Math.max(vectors[2 * k] as number, v);
            keys.raise(k, vectors, 2 * k);
          } else if (kind === 2) {
            expect(keys.remove(k)).toBe(present.delete(k));
          }
        }
        const chunks = keys.chunkList();
        expect(chunks.flat()).toEqual([...present].sort((a, b) => a - b));
        chunks.forEach((chunk, c) => {
          const bound = keys.bound(c);
          for (const k of chunk) for (let r = 0; r < 2; r++) expect(bound[r]).toBeGreaterThanOrEqual(vectors[2 * k + r] as number);
        });
      }),
      { numRuns: 200 },
    );
  });
});
