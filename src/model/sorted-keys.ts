// An ordered set of numbers kept in sorted chunks: O(√n)-ish updates with tiny constants, ordered scans.

const CHUNK = 256;

/** A sorted set of distinct numbers supporting insert, remove and scans from a bound. */
export class SortedKeys {
  private chunks: number[][] = [];
  private maxes: number[] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  insert(key: number): void {
    if (this.chunks.length === 0) {
      this.chunks.push([key]);
      this.maxes.push(key);
      this.count++;
      return;
    }
    let c = this.chunkFor(key);
    if (c === this.chunks.length) c--;
    const chunk = this.chunks[c] as number[];
    chunk.splice(lowerBound(chunk, key), 0, key);
    this.maxes[c] = chunk[chunk.length - 1] as number;
    this.count++;
    if (chunk.length > 2 * CHUNK) {
      const tail = chunk.splice(CHUNK);
      this.chunks.splice(c + 1, 0, tail);
      this.maxes.splice(c, 1, chunk[chunk.length - 1] as number, tail[tail.length - 1] as number);
    }
  }

  /** Removes `key`; returns false if it was not present. */
  remove(key: number): boolean {
    const c = this.chunkFor(key);
    const chunk = this.chunks[c];
    if (chunk === undefined) return false;
    const i = lowerBound(chunk, key);
    if (chunk[i] !== key) return false;
    chunk.splice(i, 1);
    this.count--;
    if (chunk.length === 0) {
      this.chunks.splice(c, 1);
      this.maxes.splice(c, 1);
    } else {
      this.maxes[c] = chunk[chunk.length - 1] as number;
    }
    return true;
  }

  /** Visits keys ≥ `bound` in ascending order until `visit` returns true; returns that key or -1. */
  findUp(bound: number, visit: (key: number) => boolean): number {
    const first = this.chunkFor(bound);
    for (let c = first; c < this.chunks.length; c++) {
      const chunk = this.chunks[c] as number[];
      for (let i = c === first ? lowerBound(chunk, bound) : 0; i < chunk.length; i++) {
        const key = chunk[i] as number;
        if (visit(key)) return key;
      }
    }
    return -1;
  }

  /** Visits keys in descending order, from the largest, until `visit` returns true; returns that key or -1. */
  findDown(visit: (key: number) => boolean): number {
    for (let c = this.chunks.length - 1; c >= 0; c--) {
      const chunk = this.chunks[c] as number[];
      for (let i = chunk.length - 1; i >= 0; i--) {
        const key = chunk[i] as number;
        if (visit(key)) return key;
      }
    }
    return -1;
  }

  /** Index of the first chunk whose max is ≥ key (chunks.length if none). */
  private chunkFor(key: number): number {
    return lowerBound(this.maxes, key);
  }
}

function lowerBound(values: readonly number[], key: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((values[mid] as number) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
