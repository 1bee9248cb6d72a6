// Segment tree over machine slots holding the per-dimension maximum free quantity of each subtree.
// First-fit finds the lowest slot that fits in O(D log N) when nothing else rejects the candidates.

/**
 * Each leaf holds one machine's free vector (-1 everywhere for a down or absent machine); each
 * inner node the per-dimension maximum of its children. A subtree whose maxima do not cover a
 * demand cannot hold a machine that fits it, which prunes the search.
 */
export class MaxFreeTree {
  private size = 1;
  private max: Float64Array;
  /** Set only on a tree made by {@link deferred} and not yet read: updates are skipped until then. */
  private fillLeaves: ((tree: MaxFreeTree) => void) | null = null;

  constructor(private readonly dims: number, slots: number) {
    while (this.size < Math.max(1, slots)) this.size *= 2;
    this.max = new Float64Array(2 * this.size * dims).fill(-1);
  }

  /**
   * A tree that skips every update until it is first read (mayFit, rootMax, firstFit, collect),
   * when `fillLeaves` sets every leaf through {@link rebuild}: an owner whose readers may never
   * come pays nothing for the upkeep.
   */
  static deferred(dims: number, slots: number, fillLeaves: (tree: MaxFreeTree) => void): MaxFreeTree {
    const tree = new MaxFreeTree(dims, slots);
    tree.fillLeaves = fillLeaves;
    return tree;
  }

  /** True once the tree is kept up to date: always, unless {@link deferred} and not yet read. */
  get isKept(): boolean {
    return this.fillLeaves === null;
  }

  /** Makes room for at least `slots` machines, keeping current leaves. */
  grow(slots: number): void {
    if (slots <= this.size) return;
    const old = this.max;
    const oldSize = this.size;
    while (this.size < slots) this.size *= 2;
    this.max = new Float64Array(2 * this.size * this.dims).fill(-1);
    // a deferred tree not yet read has nothing to keep: its first read sets every leaf
    if (this.fillLeaves !== null) return;
    this.max.set(old.subarray(oldSize * this.dims, 2 * oldSize * this.dims), this.size * this.dims);
    for (let node = this.size - 1; node >= 1; node--) this.pull(node);
  }

  /**
   * Sets every leaf below `slots` from the free vectors (`dims` numbers per slot in `free`; a slot
   * whose `up` is not 1 is absent) and the inner nodes from the leaves: O(N), for a tree not kept
   * up to date until now.
   */
  rebuild(free: Float64Array, up: Uint8Array, slots: number): void {
    // flat loops over locals, no calls: this runs once, before the JIT has optimized anything
    const d = this.dims;
    const max = this.max;
    max.fill(-1);
    for (let m = 0; m < slots; m++) {
      if (up[m] !== 1) continue;
      const leaf = (this.size + m) * d;
      for (let k = 0; k < d; k++) max[leaf + k] = free[m * d + k] as number;
    }
    for (let out = (this.size - 1) * d; out >= d; out -= d) {
      const left = 2 * out;
      for (let k = 0; k < d; k++) {
        const l = max[left + k] as number;
        const r = max[left + d + k] as number;
        max[out + k] = l > r ? l : r;
      }
    }
  }

  /** Sets a machine's leaf from its free vector (`free` at `offset`), or marks it absent. */
  update(slot: number, free: Float64Array, offset: number, present: boolean): void {
    if (this.fillLeaves !== null) return;
    const d = this.dims;
    let node = this.size + slot;
    const base = node * d;
    for (let k = 0; k < d; k++) this.max[base + k] = present ? (free[offset + k] as number) : -1;
    node >>= 1;
    // once a node's maxima come out unchanged, so do all its ancestors'
    while (node >= 1 && this.pull(node)) node >>= 1;
  }

  /** True if some machine may fit the demand (necessary, not sufficient across dimensions). */
  mayFit(demand: Float64Array): boolean {
    if (this.fillLeaves !== null) this.keep();
    return this.covers(1, demand);
  }

  /** The per-dimension maximum free over all present machines (-1 if none). */
  rootMax(dim: number): number {
    if (this.fillLeaves !== null) this.keep();
    return this.max[this.dims + dim] as number;
  }

  /**
   * The lowest slot at or after `from` whose free vector covers `demand` and that `accept` allows,
   * or -1. `accept` sees only slots that already fit.
   */
  firstFit(demand: Float64Array, from: number, accept?: (slot: number) => boolean): number {
    if (this.fillLeaves !== null) this.keep();
    if (from >= this.size || !this.covers(1, demand)) return -1;
    // depth-first, left before right, without recursion; `span` is the number of leaves under `node`
    let node = 1;
    let span = this.size;
    for (;;) {
      if (span === 1) {
        const slot = node - this.size;
        if (accept === undefined || accept(slot)) return slot;
      } else {
        const left = 2 * node;
        span >>= 1;
        // the left subtree's last slot is (left + 1) × span − 1 − size
        if ((left + 1) * span - 1 - this.size >= from && this.covers(left, demand)) {
          node = left;
          continue;
        }
        if (this.covers(left + 1, demand)) {
          node = left + 1;
          continue;
        }
        span <<= 1;
      }
      // climb out of exhausted subtrees; from a left child, try its right sibling
      for (;;) {
        if (node === 1) return -1;
        const fromLeft = (node & 1) === 0;
        node >>= 1;
        span <<= 1;
        if (fromLeft && this.covers(2 * node + 1, demand)) {
          node = 2 * node + 1;
          span >>= 1;
          break;
        }
      }
    }
  }

  /** Writes into `out` every slot that fits (up to out.length) in slot order; returns the count. */
  collect(demand: Float64Array, out: Int32Array, accept?: (slot: number) => boolean): number {
    if (this.fillLeaves !== null) this.keep();
    return this.gather(1, 0, this.size - 1, demand, out, 0, accept);
  }

  /** The first read of a deferred tree: its leaves set from its owner, and kept from now on. */
  private keep(): void {
    const fillLeaves = this.fillLeaves as (tree: MaxFreeTree) => void;
    // kept from here on, so that the callback's own reads (if any) see the tree as kept
    this.fillLeaves = null;
    fillLeaves(this);
  }

  private covers(node: number, demand: Float64Array): boolean {
    const base = node * this.dims;
    for (let k = 0; k < this.dims; k++) if ((this.max[base + k] as number) < (demand[k] as number)) return false;
    // a leaf of an absent machine holds -1, which never covers even a zero demand
    return (this.max[base] as number) >= 0;
  }

  /** Recomputes a node from its children; returns true if any of its maxima changed. */
  private pull(node: number): boolean {
    const d = this.dims;
    const out = node * d;
    const left = 2 * node * d;
    const right = left + d;
    let changed = false;
    for (let k = 0; k < d; k++) {
      const l = this.max[left + k] as number;
      const r = this.max[right + k] as number;
      const m = l > r ? l : r;
      if (this.max[out + k] !== m) {
        this.max[out + k] = m;
        changed = true;
      }
    }
    return changed;
  }

  private gather(node: number, lo: number, hi: number, demand: Float64Array, out: Int32Array, count: number, accept?: (slot: number) => boolean): number {
    if (count >= out.length || !this.covers(node, demand)) return count;
    if (lo === hi) {
      if (accept === undefined || accept(lo)) out[count++] = lo;
      return count;
    }
    const mid = (lo + hi) >> 1;
    count = this.gather(2 * node, lo, mid, demand, out, count, accept);
    return this.gather(2 * node + 1, mid + 1, hi, demand, out, count, accept);
  }
}
