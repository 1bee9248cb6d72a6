// The discrete-event core: a clock and an event queue ordered by (time, rank, sequence).
import { EventHeap } from './event-heap.js';
import type { Micros } from './time.js';

/**
 * One scheduled event as a handler sees it. The engine refills one record for every event, so a
 * handler must copy what it needs and never keep a reference to the record.
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

/** A slot's fields in {@link Engine}'s `fields`: its order first, as the heaps read orders at a slot's position. */
const SLOT_FIELDS = 4;
const FIELD_KIND = 1;
const FIELD_A = 2;
const FIELD_B = 3;

/**
 * A deterministic event loop. Events at the same time fire in rank order (a fixed table by kind,
 * given at construction), then in insertion order; no two events ever compare equal.
 *
 * Two heaps hold the waiting events: one for the current instant and one for later. Events for
 * the current instant (a scheduling round after an arrival, say) are common and would otherwise
 * climb the whole big heap; their small heap is merged with the big one when firing. Order, kind
 * and payload live in slots that stay put while heap entries move; nothing is allocated per event.
 */
export class Engine<K extends number> {
  private readonly later = new EventHeap();
  private readonly current = new EventHeap();
  /**
   * Each slot's order, kind and payload side by side (the order at 4 × slot, then kind, a, b): the
   * event on top of a big queue was scheduled long ago, and one cache line brings all of it back.
   */
  private fields: Float64Array = new Float64Array(1024 * SLOT_FIELDS);
  /** Slots not in use, each as its position in `fields`, as a stack: the top is at index capacity − 1 − waiting. */
  private freeSlots: Int32Array = Int32Array.from({ length: 1024 }, (_, i) => (1023 - i) * SLOT_FIELDS);
  /** The record handed to handlers, refilled for every event. */
  private readonly event: EngineEvent<K> = { time: 0, kind: 0 as K, a: 0, b: 0, order: 0 };
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
    return this.later.size + this.current.size;
  }

  /** Schedules an event; scheduling into the past is a bug and throws. */
  schedule(time: Micros, kind: K, a = 0, b = 0): void {
    if (!(time >= this.clock) || !Number.isSafeInteger(time)) {
      throw new RangeError(`Cannot schedule event kind ${kind} at ${time} µs: the clock is at ${this.clock} µs`);
    }
    const rank = this.ranks[kind];
    if (rank === undefined) throw new RangeError(`Event kind ${kind} has no rank`);
    const waiting = this.later.size + this.current.size;
    if (waiting === this.freeSlots.length) this.grow();
    const at = this.freeSlots[this.freeSlots.length - 1 - waiting] as number;
    const fields = this.fields;
    fields[at] = rank * SEQUENCE_SPAN + this.sequence++;
    fields[at + FIELD_KIND] = kind;
    fields[at + FIELD_A] = a;
    fields[at + FIELD_B] = b;
    (time === this.clock ? this.current : this.later).push(time, at, fields);
  }

  /** Time of the next event, or undefined when none is waiting. */
  peekTime(): Micros | undefined {
    if (this.current.size > 0) return this.clock;
    return this.later.size > 0 ? this.later.topTime : undefined;
  }

  /** Fires the next event; returns false when the queue is empty. Handlers must not call step or run. */
  step(handle: (event: EngineEvent<K>) => void): boolean {
    const later = this.later;
    const current = this.current;
    let heap: EventHeap;
    if (current.size === 0) {
      if (later.size === 0) return false;
      heap = later;
    } else {
      // current holds only events at the clock; later's top is at the clock or after
      const fields = this.fields;
      heap = later.size > 0 && later.topTime === this.clock && (fields[later.topSlot] as number) < (fields[current.topSlot] as number) ? later : current;
    }
    const at = heap.topSlot;
    const fields = this.fields;
    const event = this.event;
    event.time = heap.topTime;
    event.order = fields[at] as number;
    event.kind = ((fields[at + FIELD_KIND] as number) | 0) as K;
    event.a = fields[at + FIELD_A] as number;
    event.b = fields[at + FIELD_B] as number;
    heap.pop(fields);
    this.freeSlots[this.freeSlots.length - 1 - later.size - current.size] = at;
    this.clock = event.time;
    this.fired++;
    handle(event);
    return true;
  }

  /**
   * Fires events in order while their time is at most `until` and `keepGoing` allows;
   * returns the number fired. The clock never passes the last fired event.
   */
  run(handle: (event: EngineEvent<K>) => void, until: Micros = Infinity, keepGoing?: () => boolean): number {
    const start = this.fired;
    for (;;) {
      const next = this.peekTime();
      if (next === undefined || next > until) break;
      if (keepGoing !== undefined && !keepGoing()) break;
      this.step(handle);
    }
    return this.fired - start;
  }

  /** Moves the clock forward to `time` without firing anything (e.g. to a horizon). */
  advanceTo(time: Micros): void {
    if (time < this.clock) throw new RangeError(`Cannot move the clock back from ${this.clock} µs to ${time} µs`);
    const next = this.peekTime();
    if (next !== undefined && next < time) {
      throw new RangeError(`Cannot move the clock to ${time} µs past a waiting event at ${next} µs`);
    }
    this.clock = time;
  }

  /** Doubles the slots; the queue is full, so the free stack becomes just the new slots. */
  private grow(): void {
    const old = this.freeSlots.length;
    const n = 2 * old;
    const fields = new Float64Array(n * SLOT_FIELDS);
    fields.set(this.fields);
    this.fields = fields;
    this.freeSlots = new Int32Array(n);
    for (let i = 0; i < old; i++) this.freeSlots[i] = (n - 1 - i) * SLOT_FIELDS;
  }
}
