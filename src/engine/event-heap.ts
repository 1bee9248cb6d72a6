// A binary min-heap of event slots keyed by (time, order), in typed arrays: the engine's queue.

/**
 * Entries are (time, slot) pairs ordered by time, then by `orders[slot]` (unique per event, so no
 * two compare equal). The order lives with the caller's per-slot payload and is read only on
 * time ties, which keeps the entries that move small.
 */
export class EventHeap {
  private times: Float64Array = new Float64Array(1024);
  private slots: Int32Array = new Int32Array(1024);
  size = 0;

  /** Time of the least entry; only meaningful when size > 0. */
  get topTime(): number {
    return this.times[0] as number;
  }

  /** Slot of the least entry; only meaningful when size > 0. */
  get topSlot(): number {
    return this.slots[0] as number;
  }

  /** Adds `slot` at `time`; `orders[slot]` must already hold its order. */
  push(time: number, slot: number, orders: Float64Array): void {
    if (this.size === this.times.length) this.grow();
    this.rise(this.size++, time, slot, orders);
  }

  /**
   * Removes the least entry (read it first with the top getters). Bottom-up: the hole sinks along
   * the lesser children to a leaf, then the last entry rises from there; it usually belongs near
   * the bottom, which saves a comparison per level over the textbook sift-down.
   */
  pop(orders: Float64Array): void {
    const n = --this.size;
    if (n === 0) return;
    const times = this.times;
    const slots = this.slots;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n) {
        const lt = times[child] as number;
        const rt = times[child + 1] as number;
        if (rt < lt || (rt === lt && (orders[slots[child + 1] as number] as number) < (orders[slots[child] as number] as number))) child++;
      }
      times[i] = times[child] as number;
      slots[i] = slots[child] as number;
      i = child;
    }
    this.rise(i, times[n] as number, slots[n] as number, orders);
  }

  /** Places (time, slot) in the hole at `i`, moving parents down until its place is found. */
  private rise(i: number, time: number, slot: number, orders: Float64Array): void {
    const times = this.times;
    const slots = this.slots;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = times[parent] as number;
      // the orders are read only on a tie: the rising entry's slot is usually out of the cache
      if (pt < time || (pt === time && (orders[slots[parent] as number] as number) < (orders[slot] as number))) break;
      times[i] = pt;
      slots[i] = slots[parent] as number;
      i = parent;
    }
    times[i] = time;
    slots[i] = slot;
  }

  private grow(): void {
    const n = 2 * this.times.length;
    const times = new Float64Array(n);
    times.set(this.times);
    this.times = times;
    const slots = new Int32Array(n);
    slots.set(this.slots);
    this.slots = slots;
  }
}
