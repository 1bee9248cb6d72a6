import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventHeap } from '../../src/engine/event-heap.js';

/** Pushes and pops through the heap and through a sorted list, and returns both pop sequences. */
function replay(ops: readonly (number | null)[]): { heap: number[]; reference: number[] } {
  const orders = new Float64Array(ops.length);
  const times = new Float64Array(ops.length);
  const heap = new EventHeap();
  const waiting: number[] = [];
  const out = { heap: [] as number[], reference: [] as number[] };
  let slot = 0;
  const pop = (): void => {
    out.heap.push(heap.topSlot);
    expect(heap.topTime).toBe(times[heap.topSlot]);
    heap.pop(orders);
    waiting.sort((a, b) => (times[a] as number) - (times[b] as number) || (orders[a] as number) - (orders[b] as number));
    out.reference.push(waiting.shift() as number);
  };
  for (const op of ops) {
    if (op === null) {
      if (heap.size > 0) pop();
      continue;
    }
    times[slot] = op;
    // orders are unique, and not in slot order, so ties on time test the tie-break
    orders[slot] = (slot * 7919) % 104_729;
    heap.push(op, slot, orders);
    waiting.push(slot);
    slot++;
  }
  while (heap.size > 0) pop();
  return out;
}

describe('EventHeap', () => {
  it('pops by time, then by order, through any mix of pushes and pops', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 40 }), { freq: 3 }), { maxLength: 300 }), (ops) => {
        const { heap, reference } = replay(ops);
        expect(heap).toEqual(reference);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps its order when it grows past its first room', () => {
    // 3,000 entries: past the first 1,024 of room, a tree of twelve levels
    const ops: (number | null)[] = [];
    let x = 12345;
    for (let i = 0; i < 3000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      ops.push(x % 500);
      if (i % 5 === 4) ops.push(null);
    }
    const { heap, reference } = replay(ops);
    expect(heap).toHaveLength(3000);
    expect(heap).toEqual(reference);
  });
});
