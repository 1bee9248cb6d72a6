import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QuantityTable } from '../../src/model/quantity-table.js';

describe('QuantityTable', () => {
  it('answers as a Map does through adds, lookups and removals in bulk', () => {
    const quantity = fc.oneof(fc.integer({ min: 0, max: 40 }).map((q) => q * 1000), fc.double({ noNaN: true }), fc.constantFrom(0, -0, 0.5, 2 ** 40, -1));
    const op = fc.oneof(
      { weight: 4, arbitrary: fc.record({ op: fc.constant('add' as const), q: quantity }) },
      { weight: 4, arbitrary: fc.record({ op: fc.constant('get' as const), q: quantity }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('keep' as const), parity: fc.integer({ min: 0, max: 1 }) }) },
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const capacity = 24;
        const table = new QuantityTable(capacity);
        const model = new Map<number, number>();
        let next = 0;
        for (const o of ops) {
          if (o.op === 'add') {
            if (model.has(o.q) || model.size === capacity) continue;
            table.add(o.q, next);
            model.set(o.q, next++);
          } else if (o.op === 'get') {
            expect(table.get(o.q)).toBe(model.get(o.q) ?? -1);
          } else {
            table.keepOnly((v) => v % 2 === o.parity);
            for (const [q, v] of [...model]) if (v % 2 !== o.parity) model.delete(q);
          }
        }
        for (const [q, v] of model) expect(table.get(q)).toBe(v);
      }),
      { numRuns: 300 },
    );
  });

  it('takes 0 and -0 as one key, and refuses more keys than its capacity', () => {
    // a table large enough that the sign bit of -0 would send it to another place than 0's
    const large = new QuantityTable(20_000);
    large.add(-0, 3);
    expect(large.get(0)).toBe(3);
    const table = new QuantityTable(2);
    table.add(0, 3);
    expect(table.get(-0)).toBe(3);
    table.add(7, 4);
    expect(table.get(8)).toBe(-1);
    expect(() => table.add(9, 5)).toThrow(/at most 2 keys/);
  });
});
