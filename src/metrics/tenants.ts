// Per-tenant metrics: tenants.arrow (long format, one row per tenant per sample) and tenant_summary.arrow.
import { join } from 'node:path';
import { microsToSeconds, type Micros } from '../engine/time.js';
import type { ResourceSpace } from '../model/resources.js';
import type { TaskState } from '../model/task.js';
import { ArrowTableWriter } from './arrow-table.js';
import { tenantColumns, tenantSummaryColumns } from './schemas.js';
import { quantilesStreamed, type BlockSource } from './selection.js';
import { SpillFile } from './spill.js';
import { quantile, SAMPLES_IN_MEMORY } from './stats.js';
import type { UsageLedger } from './usage.js';
import { ensureLength } from '../typed-array.js';

/** Streams tenants.arrow at every sample and writes tenant_summary.arrow at the end. */
export class TenantRecorder {
  private readonly series: ArrowTableWriter;
  private readonly dims: number;
  /** The recorder's own dense tenant numbers: by name, and by the ledger's number (-1 until seen). */
  private readonly byName = new Map<string, number>();
  private readonly names: string[] = [];
  private byLedger = new Int32Array(64).fill(-1);
  private tasks = new Int32Array(64);
  private finished = new Int32Array(64);
  private unschedulable = new Int32Array(64);
  /** Per tenant: how many waits, and their sum in the order tasks ended (the mean's numerator). */
  private waitCounts = new Int32Array(64);
  private waitSums = new Float64Array(64);
  /**
   * Every wait as a (tenant number, wait) pair in the order tasks ended: at most `limit` pairs in
   * memory, the earlier ones in the scratch file `.tenant-waits.samples`, so memory does not grow
   * with the trace.
   */
  private log = new Float64Array(2 * 256);
  private logged = 0;
  private logFile: SpillFile | null = null;
  private readonly limit: number;

  /** @param memoryLimit waits kept in memory before they move to the scratch file in `dir`. */
  constructor(private readonly dir: string, private readonly resources: ResourceSpace, memoryLimit = SAMPLES_IN_MEMORY) {
    this.dims = resources.names.length;
    this.limit = Math.max(1, memoryLimit);
    this.series = new ArrowTableWriter(join(dir, 'tenants.arrow'), tenantColumns(resources), 4096);
  }

  sample(time: Micros, ledger: UsageLedger): void {
    const w = this.series;
    const t = microsToSeconds(time);
    const names = ledger.tenants;
    for (let i = 0; i < names.length; i++) {
      w.float(0, t);
      w.string(1, names[i] as string);
      w.float(2, ledger.tenantShare(i));
      for (let d = 0; d < this.dims; d++) {
        w.int(3 + d, ledger.tenantAllocated(i, d));
        w.float(3 + this.dims + d, ledger.tenantResourceShare(i, d));
      }
      w.endRow();
    }
  }

  /** Counts a task attempt of `tenant` (the ledger's number `tenantIndex`, -1 if none) that reached its final state as `state`, after a wait of `wait` seconds (NaN if it never started). */
  taskEnded(tenantIndex: number, tenant: string, state: TaskState, wait: number): void {
    const t = this.number(tenantIndex, tenant);
    this.tasks[t] = (this.tasks[t] as number) + 1;
    if (state === 'finished') this.finished[t] = (this.finished[t] as number) + 1;
    if (state === 'unschedulable') this.unschedulable[t] = (this.unschedulable[t] as number) + 1;
    if (!Number.isNaN(wait)) this.logWait(t, wait);
  }

  private logWait(t: number, wait: number): void {
    if (this.logged === this.limit) {
      this.logFile ??= new SpillFile(join(this.dir, '.tenant-waits.samples'));
      this.logFile.append(this.log, 2 * this.logged);
      this.logged = 0;
    } else if (2 * this.logged === this.log.length) {
      const bigger = new Float64Array(Math.min(2 * this.log.length, 2 * this.limit));
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

  /** The recorder's number for `tenant`; through the ledger's number `l` when there is one (no string lookup). */
  private number(l: number, tenant: string): number {
    if (l >= 0 && l < this.byLedger.length) {
      const t = this.byLedger[l] as number;
      if (t >= 0) return t;
    }
    let t = this.byName.get(tenant);
    if (t === undefined) {
      t = this.names.length;
      this.byName.set(tenant, t);
      this.names.push(tenant);
      this.tasks = ensureLength(this.tasks, t + 1);
      this.finished = ensureLength(this.finished, t + 1);
      this.unschedulable = ensureLength(this.unschedulable, t + 1);
      this.waitCounts = ensureLength(this.waitCounts, t + 1);
      this.waitSums = ensureLength(this.waitSums, t + 1);
    }
    if (l >= 0) {
      if (l >= this.byLedger.length) {
        const old = this.byLedger.length;
        this.byLedger = ensureLength(this.byLedger, l + 1);
        this.byLedger.fill(-1, old);
      }
      this.byLedger[l] = t;
    }
    return t;
  }

  /**
   * The p95 wait of every tenant (NaN for none). Tenants are taken in batches whose waits fit in
   * `limit` values together: one pass over the log gathers a batch, then each tenant's waits are
   * sorted. A tenant with more waits than that alone is selected from the log without gathering.
   */
  private p95Waits(): Float64Array {
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
      // tenant t's waits go to [at[t - t0], …), in the order its tasks ended
      const at = new Int32Array(t1 - t0 + 1);
      for (let t = t0; t < t1; t++) at[t - t0 + 1] = (at[t - t0] as number) + (counts[t] as number);
      const from = at.slice();
      const values = new Float64Array(total);
      this.forEachLogBlock((pairs, n) => {
        for (let i = 0; i < n; i++) {
          const t = pairs[2 * i] as number;
          if (t < t0 || t >= t1) continue;
          const k = at[t - t0] as number;
          values[k] = pairs[2 * i + 1] as number;
          at[t - t0] = k + 1;
        }
      });
      for (let t = t0; t < t1; t++) out[t] = quantile(values.subarray(from[t - t0] as number, from[t - t0 + 1] as number).sort(), 0.95) ?? NaN;
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

  /** Closes tenants.arrow and writes tenant_summary.arrow; call after the ledger has been finished at `end`. */
  finish(ledger: UsageLedger, end: Micros): void {
    this.series.close();
    const dominant = new Map(ledger.tenantShares(end).map((s) => [s.name, s.share]));
    const perResource = ledger.tenantResourceShares(end);
    const index = new Map(ledger.tenants.map((name, i) => [name, i]));
    const names = [...new Set([...this.names, ...index.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const p95s = this.p95Waits();
    this.logFile?.dispose();
    const w = new ArrowTableWriter(join(this.dir, 'tenant_summary.arrow'), tenantSummaryColumns(this.resources));
    for (const name of names) {
      const t = this.byName.get(name);
      w.string(0, name);
      w.int(1, t === undefined ? 0 : (this.tasks[t] as number));
      w.int(2, t === undefined ? 0 : (this.finished[t] as number));
      w.int(3, t === undefined ? 0 : (this.unschedulable[t] as number));
      const waits = t === undefined ? 0 : (this.waitCounts[t] as number);
      if (waits === 0) {
        w.null(4);
        w.null(5);
      } else {
        w.float(4, (this.waitSums[t as number] as number) / waits);
        w.float(5, p95s[t as number] as number);
      }
      w.float(6, dominant.get(name) ?? 0);
      const i = index.get(name);
      for (let d = 0; d < this.dims; d++) w.float(7 + d, i === undefined ? 0 : ((perResource[i] as Float64Array)[d] as number));
      w.endRow();
    }
    w.close();
  }

  abort(): void {
    this.series.abort();
    this.logFile?.dispose();
  }
}
