import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/engine/engine.js';

describe('Engine', () => {
  it('orders same-time events by rank, then by insertion', () => {
    const engine = new Engine<number>([2, 0, 1]);
    const log: string[] = [];
    engine.schedule(5, 0, 1);
    engine.schedule(5, 1, 2);
    engine.schedule(5, 2, 3);
    engine.schedule(5, 1, 4);
    engine.schedule(3, 0, 5);
    engine.run((e) => log.push(`${e.time}:${e.kind}:${e.a}`));
    expect(log).toEqual(['3:0:5', '5:1:2', '5:1:4', '5:2:3', '5:0:1']);
  });
});
