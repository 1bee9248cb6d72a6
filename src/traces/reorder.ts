// Re-sorting a nearly time-ordered stream of tasks within a bounded window (for traces sorted by another key).
import { inputError, type Where } from '../errors.js';
import type { Micros } from '../engine/time.js';
import type { TaskSpec } from '../model/task.js';
import type { ByteCounter } from './lines.js';
import type { Problems } from './problems.js';
import { CHUNK_SIZE } from './source.js';
import { RowCursor, type Row } from './tables.js';

/**
 * Holds tasks until no later row can precede them: a task leaves once a row at least `window` µs
 * later has been seen. Equal submit times keep input order. A row earlier than a task already
 * released is out of order beyond the window: an input error.
 */
export class ReorderBuffer {
  private readonly heap: Entry[] = [];
  private seq = 0;
  private latest = -Infinity;
  private released = -Infinity;

  constructor(private readonly window: Micros) {}

  get size(): number {
    return this.heap.length;
  }

  /**
   * Adds a task; `where` locates its row for the out-of-order error. With `instances`, the task
   * stands for that many identical tasks `<id>/0`, `<id>/1`, ..., expanded only on release.
   */
  push(spec: TaskSpec, where: Where, instances?: number): void {
    if (spec.submit < this.released) {
      throw inputError(RangeError, `time ${spec.submit / 1e6} s is out of order: a task at ${this.released / 1e6} s was already released, and the reorder window is ${this.window / 1e6} s`, where);
    }
    const heap = this.heap;
    let i = heap.length;
    heap.push({ spec, seq: this.seq++, instances });
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as Entry, heap[parent] as Entry)) break;
      [heap[i], heap[parent]] = [heap[parent] as Entry, heap[i] as Entry];
      i = parent;
    }
    if (spec.submit > this.latest) this.latest = spec.submit;
  }

  /**
   * Moves tasks that can no longer be preceded (with `all`, any task) into `out`, stopping once
   * `out` holds `max` (so a large release is spread over several chunks).
   */
  release(out: TaskSpec[], all = false, max = CHUNK_SIZE): void {
    const limit = all ? Infinity : this.latest - this.window;
    while (this.heap.length > 0 && out.length < max && (this.heap[0] as Entry).spec.submit <= limit) {
      const { spec, instances } = this.pop();
      this.released = spec.submit;
      if (instances === undefined) out.push(spec);
      else for (let i = 0; i < instances; i++) out.push({ ...spec, id: `${spec.id}/${i}` });
    }
  }

  private pop(): Entry {
    const heap = this.heap;
    const top = heap[0] as Entry;
    const last = heap.pop() as Entry;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l] as Entry, heap[m] as Entry)) m = l;
        if (r < heap.length && before(heap[r] as Entry, heap[m] as Entry)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m] as Entry, heap[i] as Entry];
        i = m;
      }
    }
    return top;
  }
}

type Entry = { spec: TaskSpec; seq: number; instances: number | undefined };

function before(a: Entry, b: Entry): boolean {
  return a.spec.submit < b.spec.submit || (a.spec.submit === b.spec.submit && a.seq < b.seq);
}

/** Sorts events of a small table read whole (a stable sort: equal times keep file order) and yields them in chunks. */
export function* inTimeOrder<T extends { readonly time: number }>(events: T[], chunk = 4096): Generator<T[]> {
  events.sort((a, b) => a.time - b.time);
  for (let i = 0; i < events.length; i += chunk) yield events.slice(i, i + chunk);
}

/** A task a row describes, standing for `instances` identical tasks when given; `field` names where its time came from. */
export interface RowTask {
  readonly spec: TaskSpec;
  readonly instances: number | undefined;
  readonly field: string;
}

/**
 * Streams the tasks of a table published out of time order (Alibaba batch_task) through a
 * reorder buffer of `window` µs. `parse` turns a row into a task, or null to leave it out; its
 * input errors are skipped or thrown per `problems`.
 */
export async function* reorderedTasks(files: readonly string[], bytes: ByteCounter, window: Micros, problems: Problems, parse: (row: Row) => RowTask | null): AsyncGenerator<TaskSpec[]> {
  const rows = new RowCursor(files, bytes);
  const buffer = new ReorderBuffer(window);
  let out: TaskSpec[] = [];
  try {
    for (let row = await rows.advance(); row !== undefined; row = rows.next() ?? (await rows.advance())) {
      try {
        const task = parse(row);
        if (task !== null) {
          buffer.push(task.spec, { file: row.file, line: row.line, field: task.field }, task.instances);
          buffer.release(out);
        }
      } catch (error) {
        problems.skip(error);
      }
      if (out.length >= CHUNK_SIZE) {
        yield out;
        out = [];
      }
    }
    while (buffer.size > 0) {
      buffer.release(out, true);
      yield out;
      out = [];
    }
    if (out.length > 0) yield out;
  } finally {
    await rows.close();
  }
}
