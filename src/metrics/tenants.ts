// Per-tenant metrics: tenants.arrow (long format, one row per tenant per sample) and tenant_summary.arrow.
import { join } from 'node:path';
import { microsToSeconds, type Micros } from '../engine/time.js';
import type { ResourceSpace } from '../model/resources.js';
import type { TenantFigures } from './attempt-stats.js';
import { ArrowTableWriter } from './arrow-table.js';
import { tenantColumns, tenantSummaryColumns } from './schemas.js';
import type { UsageLedger } from './usage.js';

/** Streams tenants.arrow at every sample and writes tenant_summary.arrow at the end. */
export class TenantRecorder {
  private readonly series: ArrowTableWriter;
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

  /**
   * Closes tenants.arrow and writes tenant_summary.arrow from the ledger's shares and the counts of
   * each tenant's ended attempts; call after the ledger has been finished at `end`.
   */
  finish(ledger: UsageLedger, end: Micros, attempts: TenantFigures): void {
    this.series.close();
    const dominant = new Map(ledger.tenantShares(end).map((s) => [s.name, s.share]));
    const perResource = ledger.tenantResourceShares(end);
    const index = new Map(ledger.tenants.map((name, i) => [name, i]));
    const counted = new Map(attempts.names.map((name, t) => [name, t]));
    const names = [...new Set([...attempts.names, ...index.keys()])].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const w = new ArrowTableWriter(join(this.dir, 'tenant_summary.arrow'), tenantSummaryColumns(this.resources));
    for (const name of names) {
      const t = counted.get(name);
      w.string(0, name);
      w.int(1, t === undefined ? 0 : (attempts.tasks[t] as number));
      w.int(2, t === undefined ? 0 : (attempts.finished[t] as number));
      w.int(3, t === undefined ? 0 : (attempts.unschedulable[t] as number));
      w.floatOrNull(4, t === undefined ? null : (attempts.waitMean[t] ?? null));
      w.floatOrNull(5, t === undefined ? null : (attempts.waitP95[t] ?? null));
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
