// The discrete-event core: a clock and an event queue ordered by (time, rank, sequence).
import FastPriorityQueue from 'fastpriorityqueue';
import type { Micros } from './time.js';

/**
 * One scheduled event. Records are pooled and reused after their handler returns, so a handler
 * must copy what it needs and never keep a reference to the record.
 */
export interface EngineEvent<K extends number> {
  /** When the event fires. */
  time: Micros;
  /** What happened; the simulation defines the kinds and their ranks. */
  kind: K;
  /** First payload slot (an index into the simulation's tables, e.g. a task). */
  a: number;
  /** Second payload slot (e.g. a machine). */
  b: number;
  /** rank × 2^40 + insertion sequence: breaks every tie between events at the same time. */
  order: number;
}

const SEQUENCE_SPAN = 2 ** 40;

function before<K extends number>(x: EngineEvent<K>, y: EngineEvent<K>): boolean {
  return x.time < y.time || (x.time === y.time && x.order < y.order);
}

/**
 * A deterministic event loop. Events at the same time fire in rank order (a fixed table by kind,
 * given at construction), then in insertion order; no two events ever compare equal.
 */
export class Engine<K extends number> {
  private readonly queue = new FastPriorityQueue<EngineEvent<K>>(before);
  private readonly pool: EngineEvent<K>[] = [];
  private clock: Micros = 0;
  private sequence = 0;
  private fired = 0;

  /** @param ranks rank of each event kind, indexed by kind; lower ranks fire first. */
  constructor(private readonly ranks: readonly number[]) {}

  /** The current simulated time. */
  get now(): Micros {
    return this.clock;
  }

  /** How many events have fired so far. */
  get processed(): number {
    return this.fired;
  }

  /** How many events are waiting. */
  get size(): number {
    return this.queue.size;
  }

  /** Schedules an event; scheduling into the past is a bug and throws. */
  schedule(time: Micros, kind: K, a = 0, b = 0): void {
    if (!(time >= this.clock) || !Number.isSafeInteger(time)) {
      throw new RangeError(`Cannot schedule event kind ${kind} at ${time} µs: the clock is at ${this.clock} µs`);
    }
    const rank = this.ranks[kind];
    if (rank === undefined) throw new RangeError(`Event kind ${kind} has no rank`);
    const event = this.pool.pop() ?? { time: 0, kind, a: 0, b: 0, order: 0 };
    event.time = time;
    event.kind = kind;
    event.a = a;
    event.b = b;
    event.order = rank * SEQUENCE_SPAN + this.sequence++;
    this.queue.add(event);
  }

  /** Time of the next event, or undefined when none is waiting. */
  peekTime(): Micros | undefined {
    return this.queue.peek()?.time;
  }

  /** Fires the next event; returns false when the queue is empty. */
  step(handle: (event: EngineEvent<K>) => void): boolean {
    const event = this.queue.poll();
    if (event === undefined) return false;
    this.clock = event.time;
    this.fired++;
    handle(event);
    this.pool.push(event);
    return true;
  }

  /**
   * Fires events in order while their time is at most `until` and `keepGoing` allows;
   * returns the number fired. The clock never passes the last fired event.
   */
  run(handle: (event: EngineEvent<K>) => void, until: Micros = Infinity, keepGoing?: () => boolean): number {
    const start = this.fired;
    for (;;) {
      const next = this.queue.peek();
      if (next === undefined || next.time > until) break;
      if (keepGoing !== undefined && !keepGoing()) break;
      this.step(handle);
    }
    return this.fired - start;
  }

  /** Moves the clock forward to `time` without firing anything (e.g. to a horizon). */
  advanceTo(time: Micros): void {
    if (time < this.clock) throw new RangeError(`Cannot move the clock back from ${this.clock} µs to ${time} µs`);
    const next = this.queue.peek();
    if (next !== undefined && next.time < time) {
      throw new RangeError(`Cannot move the clock to ${time} µs past a waiting event at ${next.time} µs`);
    }
    this.clock = time;
  }
}
