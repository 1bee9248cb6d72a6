// An allocation-free hash from task uids to small positive integers, for per-task state that Maps would churn.

/**
 * Open-addressing hash from a non-negative integer key (a task uid, below 2^31) to a positive value;
 * linear probing, deletion by backward shift. It never shrinks, so a set of pending tasks that
 * grows and empties over and over allocates nothing once it has grown (a Map rehashes as it
 * shrinks and grows again).
 */
export class UidIndex {
  private keys = new Int32Array(16).fill(-1);
  private values = new Int32Array(16);
  private mask = 15;
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The value of `key`, or 0 when absent. */
  get(key: number): number {
    const keys = this.keys;
    for (let i = this.slot(key); ; i = (i + 1) & this.mask) {
      const k = keys[i] as number;
      if (k === key) return this.values[i] as number;
      if (k === -1) return 0;
    }
  }

  set(key: number, value: number): void {
    if (2 * (this.count + 1) > this.keys.length) this.rehash(2 * this.keys.length);
    let i = this.slot(key);
    while (this.keys[i] !== -1 && this.keys[i] !== key) i = (i + 1) & this.mask;
    if (this.keys[i] === -1) this.count++;
    this.keys[i] = key;
    this.values[i] = value;
  }

  delete(key: number): void {
    const keys = this.keys;
    let i = this.slot(key);
    while (keys[i] !== key) {
      if (keys[i] === -1) return;
      i = (i + 1) & this.mask;
    }
    // shift back every later key of the run whose home slot does not lie cyclically in (i, j]
    for (let j = (i + 1) & this.mask; keys[j] !== -1; j = (j + 1) & this.mask) {
      const home = this.slot(keys[j] as number);
      if (((j - home) & this.mask) >= ((j - i) & this.mask)) {
        keys[i] = keys[j] as number;
        this.values[i] = this.values[j] as number;
        i = j;
      }
    }
    keys[i] = -1;
    this.count--;
  }

  private slot(key: number): number {
    return Math.imul(key, 0x9e3779b1) & this.mask;
  }

  private rehash(capacity: number): void {
    const keys = this.keys;
    const values = this.values;
    this.keys = new Int32Array(capacity).fill(-1);
    this.values = new Int32Array(capacity);
    this.mask = capacity - 1;
    this.count = 0;
    for (let i = 0; i < keys.length; i++) if (keys[i] !== -1) this.set(keys[i] as number, values[i] as number);
  }
}
