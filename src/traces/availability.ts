// Small machine tables (Alibaba server_event, machine_meta): read whole, then turned into add/update/remove events.
import type { Attributes } from '../model/constraints.js';
import { ByteCounter } from './lines.js';
import type { Problems } from './problems.js';
import { inTimeOrder } from './reorder.js';
import type { MachineEvent } from './source.js';
import { RowCursor, type Row } from './tables.js';

/** One row of a machine table: with a capacity the machine is available, without it goes away. */
export interface AvailabilityRow {
  readonly time: number;
  readonly id: string;
  readonly capacity: Float64Array | undefined;
  readonly attributes?: Attributes;
  /** Why a going-away row of a machine that is not available is left out (a report reason). */
  readonly unusedReason: string;
}

/** Every row `parse` keeps (undefined: nothing to keep); malformed rows are skipped or thrown per `problems`. */
export async function readWhole<T>(files: readonly string[], problems: Problems, parse: (row: Row) => T | undefined): Promise<T[]> {
  const out: T[] = [];
  const cursor = new RowCursor(files, new ByteCounter());
  try {
    for (let row = await cursor.advance(); row !== undefined; row = cursor.next() ?? (await cursor.advance())) {
      try {
        const kept = parse(row);
        if (kept !== undefined) out.push(kept);
      } catch (error) {
        problems.skip(error);
      }
    }
  } finally {
    await cursor.close();
  }
  return out;
}

/**
 * The rows as machine events in (time, file) order: an available row adds the machine (an update
 * when it is already available); a going-away row removes an available machine, and is dropped for
 * its `unusedReason` otherwise.
 */
export function* availabilityEvents(rows: AvailabilityRow[], problems: Problems): Generator<readonly MachineEvent[]> {
  const available = new Set<string>();
  for (const chunk of inTimeOrder(rows)) {
    const out: MachineEvent[] = [];
    for (const r of chunk) {
      if (r.capacity !== undefined) {
        const kind = available.has(r.id) ? 'update' : 'add';
        out.push(r.attributes === undefined ? { time: r.time, kind, id: r.id, capacity: r.capacity } : { time: r.time, kind, id: r.id, capacity: r.capacity, attributes: r.attributes });
        available.add(r.id);
      } else if (available.delete(r.id)) {
        out.push({ time: r.time, kind: 'remove', id: r.id });
      } else {
        problems.drop(r.unusedReason);
      }
    }
    if (out.length > 0) yield out;
  }
}
