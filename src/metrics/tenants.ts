// Per-tenant metrics: tenants.arrow (long format, one row per tenant per sample) and tenant_summary.arrow.
import { join } from 'node:path';
import { microsToSeconds, type Micros } from '../engine/time.js';
import type { ResourceSpace } from '../model/resources.js';
import type { Task } from '../model/task.js';
import { ArrowTableWriter } from './arrow-table.js';
import { tenantColumns, tenantSummaryColumns } from './schemas.js';
import { meanOf, quantile } from './stats.js';
import type { TaskTimes } from './summary.js';
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
  /** Every wait, in the order tasks ended, with its tenant's number. */
  private waits = new Float64Array(1024);
  private waitTenants = new Int32Array(1024);
  private waitCount = 0;

  constructor(private readonly dir: string, private readonly resources: ResourceSpace) {
    this.dims = resources.names.length;
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

  taskEnded(task: Task, times: TaskTimes): void {
    const t = this.number(task);
    this.tasks[t] = (this.tasks[t] as number) + 1;
    if (task.state === 'finished') this.finished[t] = (this.finished[t] as number) + 1;
    if (task.state === 'unschedulable') this.unschedulable[t] = (this.unschedulable[t] as number) + 1;
    if (times.wait !== null) {
      const n = this.waitCount++;
      this.waits = ensureLength(this.waits, n + 1);
      this.waitTenants = ensureLength(this.waitTenants, n + 1);
      this.waits[n] = times.wait;
      this.waitTenants[n] = t;
    }
  }

  /** The recorder's number for the task's tenant; through the ledger's number when the task has one (no string lookup). */
  private number(task: Task): number {
    const l = task.tenantIndex;
    if (l >= 0 && l < this.byLedger.length) {
      const t = this.byLedger[l] as number;
      if (t >= 0) return t;
    }
    let t = this.byName.get(task.tenant);
    if (t === undefined) {
      t = this.names.length;
      this.byName.set(task.tenant, t);
      this.names.push(task.tenant);
      this.tasks = ensureLength(this.tasks, t + 1);
      this.finished = ensureLength(this.finished, t + 1);
      this.unschedulable = ensureLength(this.unschedulable, t + 1);
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

  /** Each tenant's waits, in the order its tasks ended: tenant t's are at [from[t], from[t + 1]). */
  private waitsByTenant(): { values: Float64Array; from: Int32Array } {
    const from = new Int32Array(this.names.length + 1);
    for (let i = 0; i < this.waitCount; i++) {
      const t = (this.waitTenants[i] as number) + 1;
      from[t] = (from[t] as number) + 1;
    }
    for (let t = 0; t < this.names.length; t++) from[t + 1] = (from[t + 1] as number) + (from[t] as number);
    const at = from.slice(0, this.names.length);
    const values = new Float64Array(this.waitCount);
    for (let i = 0; i < this.waitCount; i++) {
      const t = this.waitTenants[i] as number;
      const k = at[t] as number;
      values[k] = this.waits[i] as number;
      at[t] = k + 1;
    }
    return { values, from };
  }

  /** Closes tenants.arrow and writes tenant_summary.arrow; call after the ledger has been finished at `end`. */
  finish(ledger: UsageLedger, end: Micros): void {
    this.series.close();
    const dominant = new Map(ledger.tenantShares(end).map((s) => [s.name, s.share]));
    const perResource = ledger.tenantResourceShares(end);
    const index = new Map(ledger.tenants.map((name, i) => [name, i]));
    const names = [...new Set([...this.names, ...index.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const { values, from } = this.waitsByTenant();
    const w = new ArrowTableWriter(join(this.dir, 'tenant_summary.arrow'), tenantSummaryColumns(this.resources));
    for (const name of names) {
      const t = this.byName.get(name);
      const waits = t === undefined ? new Float64Array(0) : values.subarray(from[t] as number, from[t + 1] as number);
      w.string(0, name);
      w.int(1, t === undefined ? 0 : (this.tasks[t] as number));
      w.int(2, t === undefined ? 0 : (this.finished[t] as number));
      w.int(3, t === undefined ? 0 : (this.unschedulable[t] as number));
      const mean = meanOf(waits);
      const p95 = quantile(waits.sort(), 0.95);
      if (mean === null) w.null(4);
      else w.float(4, mean);
      if (p95 === null) w.null(5);
      else w.float(5, p95);
      w.float(6, dominant.get(name) ?? 0);
      const i = index.get(name);
      for (let d = 0; d < this.dims; d++) w.float(7 + d, i === undefined ? 0 : ((perResource[i] as Float64Array)[d] as number));
      w.endRow();
    }
    w.close();
  }

  abort(): void {
    this.series.abort();
  }
}
