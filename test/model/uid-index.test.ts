// The uid index against a Map, under random sets and deletes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UidIndex } from '../../src/model/uid-index.js';

describe('UidIndex', () => {
  it('agrees with a Map under sets and deletes, across growth and wrap-around probing', () => {
    const op = fc.oneof(
      fc.record({ op: fc.constant('set' as const), key: fc.nat(300), value: fc.integer({ min: 1, max: 1e6 }) }),
      fc.record({ op: fc.constant('delete' as const), key: fc.nat(300) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 500, size: 'max' }), (ops) => {
        const index = new UidIndex();
        const model = new Map<number, number>();
        for (const o of ops) {
          if (o.op === 'set') {
            index.set(o.key, o.value);
            model.set(o.key, o.value);
          } else {
            index.delete(o.key);
            model.delete(o.key);
          }
          expect(index.size).toBe(model.size);
        }
        for (let key = 0; key <= 300; key++) expect(index.get(key)).toBe(model.get(key) ?? 0);
      }),
    );
  });

  it('holds a sliding window of dense uids, as pending tasks are', () => {
    const index = new UidIndex();
    for (let uid = 0; uid < 5000; uid++) {
      index.set(uid, uid + 1);
      if (uid >= 100) index.delete(uid - 100);
    }
    expect(index.size).toBe(100);
    for (let uid = 4900; uid < 5000; uid++) expect(index.get(uid)).toBe(uid + 1);
    expect(index.get(4899)).toBe(0);
  });
});
