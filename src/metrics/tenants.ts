// Per-tenant metrics: tenants.arrow (long format, one row per tenant per sample) and tenant_summary.arrow.
import { join } from 'node:path';
import { microsToSeconds, type Micros } from '../engine/time.js';
import type { ResourceSpace } from '../model/resources.js';
import type { Task } from '../model/task.js';
import { ArrowTableWriter } from './arrow-table.js';
import { tenantColumns, tenantSummaryColumns } from './schemas.js';
import { Samples, quantile } from './stats.js';
import type { TaskTimes } from './summary.js';
import type { UsageLedger } from './usage.js';

interface TenantTasks {
  tasks: number;
  finished: number;
  unschedulable: number;
  readonly waits: Samples;
}

/** Streams tenants.arrow at every sample and writes tenant_summary.arrow at the end. */
export class TenantRecorder {
  private readonly series: ArrowTableWriter;
  private readonly byName = new Map<string, TenantTasks>();
  private readonly dims: number;

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
    let t = this.byName.get(task.tenant);
    if (t === undefined) {
      t = { tasks: 0, finished: 0, unschedulable: 0, waits: new Samples(16) };
      this.byName.set(task.tenant, t);
    }
    t.tasks++;
    if (task.state === 'finished') t.finished++;
    if (task.state === 'unschedulable') t.unschedulable++;
    if (times.wait !== null) t.waits.push(times.wait);
  }

  /** Closes tenants.arrow and writes tenant_summary.arrow; call after the ledger has been finished at `end`. */
  finish(ledger: UsageLedger, end: Micros): void {
    this.series.close();
    const dominant = new Map(ledger.tenantShares(end).map((s) => [s.name, s.share]));
    const perResource = ledger.tenantResourceShares(end);
    const index = new Map(ledger.tenants.map((name, i) => [name, i]));
    const names = [...new Set([...this.byName.keys(), ...index.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const w = new ArrowTableWriter(join(this.dir, 'tenant_summary.arrow'), tenantSummaryColumns(this.resources));
    for (const name of names) {
      const t = this.byName.get(name) ?? { tasks: 0, finished: 0, unschedulable: 0, waits: new Samples(1) };
      w.string(0, name);
      w.int(1, t.tasks);
      w.int(2, t.finished);
      w.int(3, t.unschedulable);
      const mean = t.waits.mean();
      const p95 = quantile(t.waits.sorted(), 0.95);
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
