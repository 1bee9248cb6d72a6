// What the summary and tenant_summary.arrow count of each ended task attempt, gathered where
// tasks.arrow is written (in the helper thread on a large run) and handed over as plain figures.
import { join } from 'node:path';
import type { TaskState } from '../model/task.js';
import { quantilesStreamed, type BlockSource } from './selection.js';
import { SpillFile } from './spill.js';
import { nextRoom, quantilesInPlace, Samples, SAMPLES_IN_MEMORY } from './stats.js';
import type { TaskTimes } from './summary.js';
import { ensureLength } from '../typed-array.js';

/** Task states in code order, as the task ring carries them. */
export const STATES: readonly TaskState[] = ['waiting', 'running', 'finished', 'killed', 'preempted', 'unschedulable'];
const FINISHED = STATES.indexOf('finished');
const UNSCHEDULABLE = STATES.indexOf('unschedulable');

/** Mean and percentiles of one sample list (null when it is empty). */
export interface ListFigures {
  readonly mean: number | null;
  readonly p50: number | null;
  readonly p95: number | null;
  readonly p99: number | null;
}

/** Per tenant that had an attempt end, in no particular order: counts, and the mean and p95 of its waits (null if none started). */
export interface TenantFigures {
  readonly names: readonly string[];
  readonly tasks: readonly number[];
  readonly finished: readonly number[];
  readonly unschedulable: readonly number[];
  readonly waitMean: readonly (number | null)[];
  readonly waitP95: readonly (number | null)[];
}

/** Everything counted of the run's ended attempts; plain data, so it can come back from the helper thread. */
export interface AttemptFigures {
  readonly counts: Readonly<Record<TaskState, number>>;
  /** The latest end of a finished attempt (µs), -1 if none finished. */
  readonly lastFinish: number;
  readonly wait: ListFigures;
  readonly slowdown: ListFigures;
  readonly bounded: ListFigures;
  readonly tenants: TenantFigures;
}

/**
 * Counts ended attempts as tasks.arrow gets them, in the same order. Each sample list keeps at most
 * `memoryLimit` values in memory and moves the rest to a hidden scratch file in `scratchDir`
 * (`.<name>.samples`), so memory does not grow with the trace; {@link figures} or {@link dispose}
 * deletes those files.
 */
export class AttemptStats {
  private readonly counts = new Int32Array(STATES.length);
  private lastFinish = -1;
  private readonly waits: Samples;
  private readonly slowdowns: Samples;
  private readonly bounded: Samples;
  /** The tenants' own dense numbers: by the ledger's number (-1 until seen), and by name. */
  private byKey = new Int32Array(64).fill(-1);
  private readonly byName = new Map<string, number>();
  private readonly names: string[] = [];
  private tasks = new Int32Array(64);
  private finished = new Int32Array(64);
  private unschedulable = new Int32Array(64);
  /** Per tenant: how many waits, and their sum in the order attempts ended (the mean's numerator). */
  private waitCounts = new Int32Array(64);
  private waitSums = new Float64Array(64);
  /**
   * Every wait as a (tenant number, wait) pair in the order attempts ended: at most `limit` pairs
   * in memory, the earlier ones in the scratch file `.tenant-waits.samples`.
   */
  private log = new Float64Array(2 * 256);
  private logged = 0;
  private logFile: SpillFile | null = null;
  private readonly limit: number;

  constructor(private readonly scratchDir: string, memoryLimit = SAMPLES_IN_MEMORY) {
    this.limit = Math.max(1, memoryLimit);
    const samples = (name: string) => new Samples(1024, { path: join(scratchDir, `.${name}.samples`), memoryLimit });
    this.waits = samples('wait');
    this.slowdowns = samples('slowdown');
    this.bounded = samples('bounded-slowdown');
  }

  /** True if the tenant under the ledger's number `key` has been named to {@link ended} before. */
  knowsTenant(key: number): boolean {
    return key >= 0 && key < this.byKey.length && (this.byKey[key] as number) >= 0;
  }

  /**
   * Counts an attempt that ended as state `state` (a code of {@link STATES}) at `end` (-1 if it has
   * not), with these times, of the tenant under the ledger's number `key` (-1 if none) named
   * `tenant` (which may be null when {@link knowsTenant}).
   */
  ended(state: number, end: number, times: TaskTimes, key: number, tenant: string | null): void {
    this.counts[state] = (this.counts[state] as number) + 1;
    if (!Number.isNaN(times.wait)) this.waits.push(times.wait);
    if (state === FINISHED) {
      if (!Number.isNaN(times.slowdown)) this.slowdowns.push(times.slowdown);
      if (!Number.isNaN(times.bounded)) this.bounded.push(times.bounded);
      if (end > this.lastFinish) this.lastFinish = end;
    }
    const t = this.knowsTenant(key) ? (this.byKey[key] as number) : this.tenant(key, tenant as string);
    this.tasks[t] = (this.tasks[t] as number) + 1;
    if (state === FINISHED) this.finished[t] = (this.finished[t] as number) + 1;
    if (state === UNSCHEDULABLE) this.unschedulable[t] = (this.unschedulable[t] as number) + 1;
    if (!Number.isNaN(times.wait)) this.logWait(t, times.wait);
  }

  /** The figures of every attempt counted; deletes the scratch files (the counts are unusable afterwards). */
  figures(): AttemptFigures {
    try {
      const counts = {} as Record<TaskState, number>;
      STATES.forEach((s, i) => (counts[s] = this.counts[i] as number));
      const wait = listFigures(this.waits);
      const slowdown = listFigures(this.slowdowns);
      const bounded = listFigures(this.bounded);
      // the wait list's memory is not needed any more: the tenants' waits are gathered into it
      const p95s = this.p95Waits(this.waits.release());
      const n = this.names.length;
      const tenants: TenantFigures = {
        names: this.names.slice(),
        tasks: Array.from(this.tasks.subarray(0, n)),
        finished: Array.from(this.finished.subarray(0, n)),
        unschedulable: Array.from(this.unschedulable.subarray(0, n)),
        waitMean: Array.from({ length: n }, (_, t) => ((this.waitCounts[t] as number) === 0 ? null : (this.waitSums[t] as number) / (this.waitCounts[t] as number))),
        waitP95: Array.from({ length: n }, (_, t) => ((this.waitCounts[t] as number) === 0 ? null : (p95s[t] as number))),
      };
      return { counts, lastFinish: this.lastFinish, wait, slowdown, bounded, tenants };
    } finally {
      this.dispose();
    }
  }

  /** Deletes the scratch files. */
  dispose(): void {
    for (const s of [this.waits, this.slowdowns, this.bounded]) s.dispose();
    this.logFile?.dispose();
  }

  /** Numbers a tenant seen for the first time under `key` (or by name only). */
  private tenant(key: number, name: string): number {
    let t = this.byName.get(name);
    if (t === undefined) {
      t = this.names.length;
      this.byName.set(name, t);
      this.names.push(name);
      this.tasks = ensureLength(this.tasks, t + 1);
      this.finished = ensureLength(this.finished, t + 1);
      this.unschedulable = ensureLength(this.unschedulable, t + 1);
      this.waitCounts = ensureLength(this.waitCounts, t + 1);
      this.waitSums = ensureLength(this.waitSums, t + 1);
    }
    if (key >= 0) {
      if (key >= this.byKey.length) {
        const old = this.byKey.length;
        this.byKey = ensureLength(this.byKey, key + 1);
        this.byKey.fill(-1, old);
      }
      this.byKey[key] = t;
    }
    return t;
  }

  private logWait(t: number, wait: number): void {
    if (this.logged === this.limit) {
      this.logFile ??= new SpillFile(join(this.scratchDir, '.tenant-waits.samples'));
      this.logFile.append(this.log, 2 * this.logged);
      this.logged = 0;
    } else if (2 * this.logged === this.log.length) {
      const bigger = new Float64Array(2 * nextRoom(this.log.length / 2, this.limit));
      bigger.set(this.log);
      this.log = bigger;
    }
    const at = 2 * this.logged++;
    this.log[at] = t;
    this.log[at + 1] = wait;
    this.waitCounts[t] = (this.waitCounts[t] as number) + 1;
    this.waitSums[t] = (this.waitSums[t] as number) + wait;
  }

  /** Calls `visit` with the logged pairs in order, a block at a time (file first, then memory). */
  private forEachLogBlock(visit: (pairs: Float64Array, count: number) => void): void {
    this.logFile?.forEachBlock(new Float64Array(2 * Math.min(this.limit, 1 << 15)), (values, count) => visit(values, count / 2));
    visit(this.log, this.logged);
  }

  /**
   * The p95 wait of every tenant (NaN for none). Tenants are taken in batches whose waits fit in
   * `limit` values together: one pass over the log gathers a batch, then each tenant's p95 is
   * selected from its waits. A tenant with more waits than that alone is selected from the log without gathering.
   */
  private p95Waits(scratch: Float64Array): Float64Array {
    const tenants = this.names.length;
    const out = new Float64Array(tenants).fill(NaN);
    const counts = this.waitCounts;
    for (let t0 = 0; t0 < tenants; ) {
      if ((counts[t0] as number) > this.limit) {
        out[t0] = this.streamedP95(t0);
        t0++;
        continue;
      }
      let t1 = t0;
      let total = 0;
      while (t1 < tenants && (counts[t1] as number) <= this.limit - total) total += counts[t1++] as number;
      // tenant t's waits go to [at[t - t0], …), in the order its attempts ended
      const at = new Int32Array(t1 - t0 + 1);
      for (let t = t0; t < t1; t++) at[t - t0 + 1] = (at[t - t0] as number) + (counts[t] as number);
      const from = at.slice();
      // a fresh array for a million waits would cost more in page faults than gathering into it
      const values = scratch.length >= total ? scratch : new Float64Array(total);
      this.forEachLogBlock((pairs, n) => {
        for (let i = 0; i < n; i++) {
          const t = pairs[2 * i] as number;
          if (t < t0 || t >= t1) continue;
          const k = at[t - t0] as number;
          values[k] = pairs[2 * i + 1] as number;
          at[t - t0] = k + 1;
        }
      });
      for (let t = t0; t < t1; t++) out[t] = quantilesInPlace(values, from[t - t0] as number, from[t - t0 + 1] as number, [0.95])[0] ?? NaN;
      t0 = t1;
    }
    return out;
  }

  /** The p95 of tenant t's waits, selected from the log a block of its waits at a time. */
  private streamedP95(t: number): number {
    const block = new Float64Array(1 << 15);
    const source: BlockSource = (visit) => {
      let k = 0;
      this.forEachLogBlock((pairs, n) => {
        for (let i = 0; i < n; i++) {
          if (pairs[2 * i] !== t) continue;
          block[k++] = pairs[2 * i + 1] as number;
          if (k === block.length) {
            visit(block, k);
            k = 0;
          }
        }
      });
      if (k > 0) visit(block, k);
    };
    return quantilesStreamed(source, this.waitCounts[t] as number, [0.95], this.limit)[0] as number;
  }
}

function listFigures(samples: Samples): ListFigures {
  const [p50, p95, p99] = samples.quantiles([0.5, 0.95, 0.99]);
  return { mean: samples.mean(), p50: p50 ?? null, p95: p95 ?? null, p99: p99 ?? null };
}
