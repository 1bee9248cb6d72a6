// Segment tree over blocks of machine slots holding the per-dimension maximum free quantity of each subtree.
// First-fit finds the lowest slot that fits in O(D log N) when nothing else rejects the candidates.

/** Slots per block: the tree's lowest nodes each cover this many leaves, read one after another. */
const BLOCK = 8;

/**
 * Each leaf holds one machine's free vector (-1 everywhere for a down or absent machine). The
 * leaves come in blocks of {@link BLOCK}; each tree node holds the per-dimension maximum of its
 * subtree, the lowest nodes that of one block. A subtree whose maxima do not cover a demand cannot
 * hold a machine that fits it, which prunes the search; inside a block the leaves are read in
 * order. Without the three lowest levels of a per-leaf tree the nodes take an eighth of the
 * memory and stay in cache, and a block's leaves are adjacent.
 */
export class MaxFreeTree {
  /** Leaf slots (a power of two, at least one block) and blocks. */
  private size = BLOCK;
  private blocks = 1;
  private leaves: Float64Array;
  /** Node i at i × dims (1 is the root, 2i and 2i + 1 its children; block b is node blocks + b). */
  private max: Float64Array;
  /** Set only on a tree made by {@link deferred} and not yet read: updates are skipped until then. */
  private fillLeaves: ((tree: MaxFreeTree) => void) | null = null;

  constructor(private readonly dims: number, slots: number) {
    while (this.size < slots) this.size *= 2;
    this.blocks = this.size / BLOCK;
    this.leaves = new Float64Array(this.size * dims).fill(-1);
    this.max = new Float64Array(2 * this.blocks * dims).fill(-1);
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
    const old = this.leaves;
    while (this.size < slots) this.size *= 2;
    this.blocks = this.size / BLOCK;
    this.leaves = new Float64Array(this.size * this.dims).fill(-1);
    this.max = new Float64Array(2 * this.blocks * this.dims).fill(-1);
    // a deferred tree not yet read has nothing to keep: its first read sets every leaf
    if (this.fillLeaves !== null) return;
    this.leaves.set(old);
    this.pullAll();
  }

  /**
   * Sets every leaf below `slots` from the free vectors (`dims` numbers per slot in `free`; a slot
   * whose `up` is not 1 is absent) and the nodes from the leaves: O(N), for a tree not kept up to
   * date until now.
   */
  rebuild(free: Float64Array, up: Uint8Array, slots: number): void {
    const d = this.dims;
    const leaves = this.leaves;
    leaves.fill(-1);
    for (let m = 0; m < slots; m++) {
      if (up[m] !== 1) continue;
      for (let k = 0; k < d; k++) leaves[m * d + k] = free[m * d + k] as number;
    }
    this.pullAll();
  }

  /** Sets a machine's leaf from its free vector (`free` at `offset`), or marks it absent. */
  update(slot: number, free: Float64Array, offset: number, present: boolean): void {
    if (this.fillLeaves !== null) return;
    const d = this.dims;
    const leaves = this.leaves;
    const max = this.max;
    let node = this.blocks + Math.floor(slot / BLOCK);
    const at = node * d;
    let changed = false;
    for (let k = 0; k < d; k++) {
      const was = leaves[slot * d + k] as number;
      const v = present ? (free[offset + k] as number) : -1;
      leaves[slot * d + k] = v;
      const top = max[at + k] as number;
      if (v > top) {
        max[at + k] = v;
        changed = true;
      } else if (v < was && was === top) {
        // the block's maximum may have been this leaf's: read the block again
        const m = this.blockMax(node - this.blocks, k);
        if (m !== top) {
          max[at + k] = m;
          changed = true;
        }
      }
    }
    // up from the block's parent, each node from its children; once a node's maxima come out
    // unchanged, so do all its ancestors' (the loop is written out here: a call per level cost more)
    for (node >>= 1; changed && node >= 1; node >>= 1) {
      const out = node * d;
      const left = 2 * out;
      changed = false;
      for (let k = 0; k < d; k++) {
        const l = max[left + k] as number;
        const r = max[left + d + k] as number;
        const m = l > r ? l : r;
        if (max[out + k] !== m) {
          max[out + k] = m;
          changed = true;
        }
      }
    }
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
    // depth-first, left before right, without recursion; `span` is the number of blocks under `node`
    let node = 1;
    let span = this.blocks;
    for (;;) {
      if (span === 1) {
        const slot = this.firstInBlock(node - this.blocks, demand, from, accept);
        if (slot >= 0) return slot;
      } else {
        const left = 2 * node;
        span >>= 1;
        // the left subtree's last slot is ((left + 1) × span − blocks) × BLOCK − 1
        if (((left + 1) * span - this.blocks) * BLOCK - 1 >= from && this.covers(left, demand)) {
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
    return this.gather(1, 0, this.blocks - 1, demand, out, 0, accept);
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
    // an absent machine holds -1, which never covers even a zero demand
    return (this.max[base] as number) >= 0;
  }

  /** The lowest slot of block `b`, at or after `from`, that fits `demand` and `accept` allows, or -1. */
  private firstInBlock(b: number, demand: Float64Array, from: number, accept?: (slot: number) => boolean): number {
    for (let slot = Math.max(b * BLOCK, from); slot < (b + 1) * BLOCK; slot++) if (this.takes(slot, demand, accept)) return slot;
    return -1;
  }

  /** True if leaf `slot` covers `demand` (an absent machine's -1 never does) and `accept` allows it. */
  private takes(slot: number, demand: Float64Array, accept?: (slot: number) => boolean): boolean {
    const base = slot * this.dims;
    for (let k = 0; k < this.dims; k++) if ((this.leaves[base + k] as number) < (demand[k] as number)) return false;
    return accept === undefined || accept(slot);
  }

  /** The maximum of block `b`'s leaves in dimension `k`. */
  private blockMax(b: number, k: number): number {
    const d = this.dims;
    const leaves = this.leaves;
    let m = -1;
    for (let slot = b * BLOCK; slot < (b + 1) * BLOCK; slot++) {
      const v = leaves[slot * d + k] as number;
      if (v > m) m = v;
    }
    return m;
  }

  /** Sets every block's maxima from its leaves and every node above from its children. */
  private pullAll(): void {
    const d = this.dims;
    const max = this.max;
    for (let b = 0; b < this.blocks; b++) for (let k = 0; k < d; k++) max[(this.blocks + b) * d + k] = this.blockMax(b, k);
    for (let out = (this.blocks - 1) * d; out >= d; out -= d) {
      for (let k = 0; k < d; k++) {
        const l = max[2 * out + k] as number;
        const r = max[2 * out + d + k] as number;
        max[out + k] = l > r ? l : r;
      }
    }
  }

  /** Collects from the blocks `lo`..`hi` under `node`. */
  private gather(node: number, lo: number, hi: number, demand: Float64Array, out: Int32Array, count: number, accept?: (slot: number) => boolean): number {
    if (count >= out.length || !this.covers(node, demand)) return count;
    if (lo === hi) {
      for (let slot = lo * BLOCK; slot < (lo + 1) * BLOCK && count < out.length; slot++) if (this.takes(slot, demand, accept)) out[count++] = slot;
      return count;
    }
    const mid = (lo + hi) >> 1;
    count = this.gather(2 * node, lo, mid, demand, out, count, accept);
    return this.gather(2 * node + 1, mid + 1, hi, demand, out, count, accept);
  }
}
