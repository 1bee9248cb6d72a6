import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine, type EngineEvent } from '../../src/engine/engine.js';

/** Ranks of kinds 0..3: kind 2 fires first at an instant, then 3, then 0, then 1. */
const RANKS = [2, 3, 0, 1];

interface Planned {
  readonly time: number;
  readonly kind: number;
  /** Identifies the event in what fires. */
  readonly id: number;
}

function fire(engine: Engine<number>): number[] {
  const out: number[] = [];
  engine.run((e) => out.push(e.a));
  return out;
}

function scheduleAll(engine: Engine<number>, events: readonly Planned[]): void {
  for (const e of events) engine.schedule(e.time, e.kind, e.id);
}

const planned = (maxLength: number) =>
  fc
    .array(fc.record({ time: fc.integer({ min: 0, max: 5 }), kind: fc.integer({ min: 0, max: 3 }) }), { maxLength })
    .map((xs) => xs.map((x, id): Planned => ({ ...x, id })));

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

  it('pops events with distinct (time, kind) in one fixed order whatever the insertion order', () => {
    const distinct = fc
      .uniqueArray(fc.record({ time: fc.integer({ min: 0, max: 3 }), kind: fc.integer({ min: 0, max: 3 }) }), {
        selector: (e) => `${e.time}/${e.kind}`,
        minLength: 1,
        maxLength: 16,
      })
      .map((xs) => xs.map((x, id): Planned => ({ ...x, id })));
    fc.assert(
      fc.property(
        distinct.chain((events) => fc.tuple(fc.constant(events), fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }))),
        ([events, shuffled]) => {
          const a = new Engine<number>(RANKS);
          const b = new Engine<number>(RANKS);
          scheduleAll(a, events);
          scheduleAll(b, shuffled);
          const expected = [...events].sort((x, y) => x.time - y.time || (RANKS[x.kind] as number) - (RANKS[y.kind] as number)).map((e) => e.id);
          expect(fire(a)).toEqual(expected);
          expect(fire(b)).toEqual(expected);
        },
      ),
    );
  });

  it('pops by (time, rank, insertion) for any mix of equal keys', () => {
    fc.assert(
      fc.property(planned(60), (events) => {
        const engine = new Engine<number>(RANKS);
        scheduleAll(engine, events);
        // Array.prototype.sort is stable, so equal (time, rank) keep insertion order
        const expected = [...events].sort((x, y) => x.time - y.time || (RANKS[x.kind] as number) - (RANKS[y.kind] as number)).map((e) => e.id);
        expect(fire(engine)).toEqual(expected);
      }),
    );
  });

  it('fires an event scheduled at the current instant by a handler in rank order', () => {
    const engine = new Engine<number>(RANKS);
    const log: string[] = [];
    engine.schedule(4, 0, 1); // rank 2
    engine.schedule(4, 1, 2); // rank 3
    engine.run((e) => {
      log.push(`${e.time}:${e.a}`);
      if (e.a === 1) {
        engine.schedule(4, 3, 3); // rank 1: not before the one that already fired, but before id 2
        engine.schedule(6, 2, 4);
      }
    });
    expect(log).toEqual(['4:1', '4:3', '4:2', '6:4']);
  });

  it('throws RangeError when scheduling into the past, at a fractional or non-finite time, or an unknown kind', () => {
    const engine = new Engine<number>(RANKS);
    engine.schedule(10, 0);
    engine.step(() => undefined);
    expect(engine.now).toBe(10);
    expect(() => engine.schedule(9, 0)).toThrow(RangeError);
    expect(() => engine.schedule(9, 0)).toThrow(/9 µs.*clock is at 10 µs/);
    expect(() => engine.schedule(10.5, 0)).toThrow(RangeError);
    expect(() => engine.schedule(Number.NaN, 0)).toThrow(RangeError);
    expect(() => engine.schedule(Infinity, 0)).toThrow(RangeError);
    expect(() => engine.schedule(11, 4)).toThrow(RangeError);
    expect(engine.size).toBe(0);
    engine.schedule(10, 0);
    expect(engine.size).toBe(1);
  });

  it('run(until) fires events at or before until, stops there and leaves later events waiting', () => {
    const engine = new Engine<number>(RANKS);
    for (const t of [1, 5, 5, 7, 8, 20]) engine.schedule(t, 0, t);
    const fired: number[] = [];
    expect(engine.run((e) => fired.push(e.time), 7)).toBe(4);
    expect(fired).toEqual([1, 5, 5, 7]);
    expect(engine.now).toBe(7);
    expect(engine.size).toBe(2);
    expect(engine.peekTime()).toBe(8);
    expect(engine.run((e) => fired.push(e.time), 7)).toBe(0);
    expect(engine.run((e) => fired.push(e.time), 19)).toBe(1);
    expect(engine.now).toBe(8);
    expect(engine.run((e) => fired.push(e.time))).toBe(1);
    expect(fired).toEqual([1, 5, 5, 7, 8, 20]);
    expect(engine.peekTime()).toBeUndefined();
    expect(engine.step(() => undefined)).toBe(false);
  });

  it('run stops when keepGoing says so, before firing the next event', () => {
    const engine = new Engine<number>(RANKS);
    for (let t = 0; t < 10; t++) engine.schedule(t, 0);
    let fired = 0;
    expect(engine.run(() => fired++, Infinity, () => fired < 3)).toBe(3);
    expect(engine.size).toBe(7);
    expect(engine.peekTime()).toBe(3);
  });

  it('counts processed events across step and run', () => {
    const engine = new Engine<number>(RANKS);
    expect(engine.processed).toBe(0);
    for (let t = 0; t < 6; t++) engine.schedule(t, t % 4);
    engine.step(() => undefined);
    engine.step(() => undefined);
    expect(engine.processed).toBe(2);
    expect(engine.run(() => undefined, 3)).toBe(2);
    expect(engine.processed).toBe(4);
    engine.run(() => undefined);
    expect(engine.processed).toBe(6);
    engine.step(() => undefined);
    expect(engine.processed).toBe(6);
  });

  it('advanceTo moves the clock forward but never back nor past a waiting event', () => {
    const engine = new Engine<number>(RANKS);
    engine.schedule(10, 0);
    engine.advanceTo(10);
    expect(engine.now).toBe(10);
    expect(() => engine.advanceTo(11)).toThrow(RangeError);
    engine.run(() => undefined);
    engine.advanceTo(50);
    expect(engine.now).toBe(50);
    expect(() => engine.advanceTo(49)).toThrow(RangeError);
    expect(() => engine.schedule(49, 0)).toThrow(RangeError);
  });

  it('hands out no more distinct event records than were ever waiting at once', () => {
    type Op = { op: 'schedule'; dt: number; kind: number } | { op: 'step' };
    const ops = fc.array(
      fc.oneof(
        fc.record({ op: fc.constant('schedule' as const), dt: fc.integer({ min: 0, max: 3 }), kind: fc.integer({ min: 0, max: 3 }) }),
        fc.record({ op: fc.constant('step' as const) }),
      ),
      { maxLength: 300, size: 'max' },
    );
    fc.assert(
      fc.property(ops, (list: Op[]) => {
        const engine = new Engine<number>(RANKS);
        const seen = new Set<EngineEvent<number>>();
        let peak = 0;
        let id = 0;
        const firedIds: number[] = [];
        const handle = (e: EngineEvent<number>) => {
          seen.add(e);
          firedIds.push(e.a);
        };
        for (const o of list) {
          if (o.op === 'schedule') {
            engine.schedule(engine.now + o.dt, o.kind, id++);
            peak = Math.max(peak, engine.size);
          } else {
            engine.step(handle);
          }
        }
        engine.run(handle);
        expect(firedIds.length).toBe(id);
        expect(new Set(firedIds).size).toBe(id);
        expect(seen.size).toBeLessThanOrEqual(peak);
      }),
    );
  });

  it('keeps every waiting event whole when the queue grows past its first 1,024 slots', () => {
    // 3,000 events waiting at once, then fired: each comes back with its own kind and payload
    const engine = new Engine<number>(RANKS);
    const expected: string[] = [];
    let x = 7;
    const planned: { time: number; kind: number; a: number; b: number }[] = [];
    for (let i = 0; i < 3000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31;
      planned.push({ time: x % 700, kind: x % 4, a: i, b: -i - 0.5 });
    }
    for (const e of planned) engine.schedule(e.time, e.kind, e.a, e.b);
    expect(engine.size).toBe(3000);
    for (const e of [...planned].sort((p, q) => p.time - q.time || (RANKS[p.kind] as number) - (RANKS[q.kind] as number) || p.a - q.a)) expected.push(`${e.time}:${e.kind}:${e.a}:${e.b}`);
    const fired: string[] = [];
    engine.run((e) => fired.push(`${e.time}:${e.kind}:${e.a}:${e.b}`));
    expect(fired).toEqual(expected);
  });

  it('reuses a fired record for the next event, rewriting every field', () => {
    const engine = new Engine<number>(RANKS);
    const records: EngineEvent<number>[] = [];
    const snapshots: string[] = [];
    const handle = (e: EngineEvent<number>) => {
      records.push(e);
      snapshots.push(`${e.time}:${e.kind}:${e.a}:${e.b}`);
    };
    engine.schedule(1, 0, 7, 8);
    engine.step(handle);
    engine.schedule(2, 3, 9);
    engine.step(handle);
    expect(records[0]).toBe(records[1]);
    expect(snapshots).toEqual(['1:0:7:8', '2:3:9:0']);
  });
});
