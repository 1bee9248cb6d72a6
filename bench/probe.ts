// The machine's memory latency at one moment: the benchmark runner takes it before each run, so that
// a run slowed by a slow machine (this project's is a shared virtual machine) can be told apart.
import { xorshift32 } from '../src/xorshift.js';

/** Bytes the probe's cycle spans: well past the caches, so that nearly every load goes to memory. */
export const PROBE_BYTES = 32 << 20;
/** Dependent loads per measurement: about 0.1–0.2 s on the project's machine. */
export const PROBE_LOADS = 1_000_000;

/**
 * One random cycle through all the slots of an Int32Array of {@link PROBE_BYTES} (Sattolo's
 * shuffle from a fixed seed, so every probe walks the same cycle). {@link measure} follows it, each
 * load's address coming from the one before, so the loads cannot overlap and the time per load is
 * the memory's latency (TLB misses included), not its bandwidth.
 */
export class MemoryProbe {
  private readonly next: Int32Array;
  /** Where the walk stands: each measurement goes on from the last (and the result is kept live). */
  private at = 0;

  constructor(bytes = PROBE_BYTES) {
    const n = Math.floor(bytes / 4);
    if (!(n >= 2)) throw new RangeError(`A memory probe needs at least 8 bytes, got ${bytes}`);
    const next = new Int32Array(n);
    for (let i = 0; i < n; i++) next[i] = i;
    // Sattolo: swapping each slot with one strictly before it leaves a single cycle
    let state = 0x2545f491;
    for (let i = n - 1; i > 0; i--) {
      state = xorshift32(state);
      const j = (state >>> 0) % i;
      const t = next[i] as number;
      next[i] = next[j] as number;
      next[j] = t;
    }
    this.next = next;
  }

  /** The slot after `i` on the cycle (for tests). */
  after(i: number): number {
    return this.next[i] as number;
  }

  /** Nanoseconds per load over `loads` dependent loads, now. */
  measure(loads = PROBE_LOADS): number {
    const next = this.next;
    let p = this.at;
    const started = process.hrtime.bigint();
    for (let i = 0; i < loads; i++) p = next[p] as number;
    const ns = Number(process.hrtime.bigint() - started);
    this.at = p;
    return ns / loads;
  }
}
