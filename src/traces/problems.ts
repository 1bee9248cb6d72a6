// Bad rows and dropped tasks of one trace read: errors by default, counted skips in lenient mode.
import { isInputError } from '../errors.js';

/** How many rows a reader skipped as malformed (lenient mode) and how many tasks it left out, by reason. */
export interface TraceReport {
  /** Malformed rows skipped (only in lenient mode; otherwise the first one is an error). */
  readonly skipped: number;
  /** The messages of the first few skipped rows, each naming file, line and value. */
  readonly firstSkipped: readonly string[];
  /** Well-formed rows or tasks left out by the format's documented rules, by reason. */
  readonly dropped: Readonly<Record<string, number>>;
}

const KEEP_FIRST = 5;

/** Collects a reader's skips and drops. */
export class Problems {
  private skippedRows = 0;
  private readonly first: string[] = [];
  private readonly drops: Record<string, number> = {};

  constructor(readonly lenient: boolean) {}

  /** Handles an error thrown while reading one row: rethrows it unless lenient and about bad input. */
  skip(error: unknown): void {
    if (!this.lenient || !isInputError(error)) throw error;
    this.skippedRows++;
    if (this.first.length < KEEP_FIRST) this.first.push((error as Error).message);
  }

  /** Counts a task or row left out for `reason` (a short phrase, e.g. "never scheduled"). */
  drop(reason: string, count = 1): void {
    this.drops[reason] = (this.drops[reason] ?? 0) + count;
  }

  report(): TraceReport {
    const dropped: Record<string, number> = {};
    for (const key of Object.keys(this.drops).sort()) dropped[key] = this.drops[key] as number;
    return { skipped: this.skippedRows, firstSkipped: [...this.first], dropped };
  }
}

/** A one-paragraph rendering of a report for stderr, or '' when nothing was skipped or dropped. */
export function describeReport(name: string, report: TraceReport): string {
  const parts: string[] = [];
  if (report.skipped > 0) parts.push(`skipped ${report.skipped} malformed row(s); first: ${report.firstSkipped.join(' | ')}`);
  const drops = Object.entries(report.dropped).map(([reason, n]) => `${n} ${reason}`);
  if (drops.length > 0) parts.push(`left out: ${drops.join(', ')}`);
  return parts.length === 0 ? '' : `${name}: ${parts.join('; ')}`;
}
