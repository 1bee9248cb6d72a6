// Quota for the drf queue order: per top-level role consumption, limits, and headroom for unmet guarantees.
// Cost: O(Q × D) per admission check for Q quota roles.
import type { Quota } from './allocator.js';

/** A quota role's guarantees and limits with what its subtree holds now. */
export interface QuotaEntry extends Quota {
  readonly role: string;
  readonly consumed: Float64Array;
}

/**
 * Task-by-task reading of the Mesos allocator's quota rules (reference §2.5): a role may not hold
 * more than its limits; while some role's guarantee is unmet, the part of a task beyond its own
 * role's unmet guarantee must come out of the free room left after every unmet guarantee.
 */
export class QuotaBook {
  readonly entries: readonly QuotaEntry[];
  private readonly byRole: ReadonlyMap<string, QuotaEntry>;
  /** Everything the order's running tasks hold. */
  private readonly allocated: Float64Array;
  private readonly required: Float64Array;

  constructor(quotas: ReadonlyMap<string, Quota>, private readonly dims: number) {
    this.entries = [...quotas].map(([role, q]) => ({ role, guarantees: q.guarantees, limits: q.limits, consumed: new Float64Array(dims) }));
    this.byRole = new Map(this.entries.map((e) => [e.role, e]));
    this.allocated = new Float64Array(dims);
    this.required = new Float64Array(dims);
  }

  /** The quota of tenant `path` (that of its top-level role), if any. */
  of(path: string): QuotaEntry | undefined {
    const cut = path.indexOf('/');
    return this.byRole.get(cut < 0 ? path : path.slice(0, cut));
  }

  /** A task of a tenant under `entry` started (sign 1) or stopped (-1). */
  change(entry: QuotaEntry | undefined, demand: Float64Array, sign: 1 | -1): void {
    for (let d = 0; d < this.dims; d++) {
      const x = sign * (demand[d] as number);
      this.allocated[d] = (this.allocated[d] as number) + x;
      if (entry !== undefined) entry.consumed[d] = (entry.consumed[d] as number) + x;
    }
  }

  unmet(entry: QuotaEntry): boolean {
    for (let d = 0; d < this.dims; d++) if ((entry.guarantees[d] as number) > (entry.consumed[d] as number)) return true;
    return false;
  }

  /** True if the demand uses some resource of which `entry` still misses part of its guarantee. */
  advances(entry: QuotaEntry, demand: Float64Array): boolean {
    for (let d = 0; d < this.dims; d++) if ((demand[d] as number) > 0 && (entry.guarantees[d] as number) > (entry.consumed[d] as number)) return true;
    return false;
  }

  /** True if a task of a tenant under `entry` (or none) stays within limits and leaves the headroom unmet guarantees need. */
  admits(entry: QuotaEntry | undefined, demand: Float64Array, total: Float64Array): boolean {
    this.required.fill(0);
    let needed = false;
    for (const e of this.entries) {
      for (let d = 0; d < this.dims; d++) {
        const r = (e.guarantees[d] as number) - (e.consumed[d] as number);
        if (r > 0) {
          this.required[d] = (this.required[d] as number) + r;
          needed = true;
        }
      }
    }
    for (let d = 0; d < this.dims; d++) {
      const x = demand[d] as number;
      if (entry !== undefined && (entry.consumed[d] as number) + x > (entry.limits[d] as number)) return false;
      if (!needed) continue;
      const toward = entry === undefined ? 0 : Math.min(x, Math.max(0, (entry.guarantees[d] as number) - (entry.consumed[d] as number)));
      const surplus = (total[d] as number) - (this.allocated[d] as number) - (this.required[d] as number);
      if (x - toward > surplus) return false;
    }
    return true;
  }
}
