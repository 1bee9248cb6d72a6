// The dependency gate: tasks that wait for others (Alibaba 2018's DAG) are admitted once those have ended for good.
import type { TaskSpec } from '../model/task.js';

interface Held {
  readonly spec: TaskSpec;
  missing: number;
}

/**
 * Holds tasks whose `after` keys have not all completed. A key completes when `of` tasks carrying
 * it in `completes` have ended for good (finished, or killed or unschedulable with no attempt
 * left), so a failed parent does not block its children forever. Memory: one entry per key seen,
 * plus the held tasks.
 */
export class DependencyGate {
  private readonly remaining = new Map<string, number>();
  private readonly completed = new Set<string>();
  private readonly waiting = new Map<string, Held[]>();

  /** True if `spec` may be admitted now; otherwise it is held until its keys complete. */
  admits(spec: TaskSpec): boolean {
    const held: Held = { spec, missing: 0 };
    for (const key of spec.after ?? []) {
      if (this.completed.has(key)) continue;
      held.missing++;
      const list = this.waiting.get(key);
      if (list === undefined) this.waiting.set(key, [held]);
      else list.push(held);
    }
    return held.missing === 0;
  }

  /** A task carrying `completes` ended for good; returns the held tasks now free, in the order they were held. */
  ended(completes: { readonly key: string; readonly of: number }): TaskSpec[] {
    const left = (this.remaining.get(completes.key) ?? completes.of) - 1;
    if (left > 0) {
      this.remaining.set(completes.key, left);
      return [];
    }
    this.remaining.delete(completes.key);
    this.completed.add(completes.key);
    const freed: TaskSpec[] = [];
    for (const held of this.waiting.get(completes.key) ?? []) {
      if (--held.missing === 0) freed.push(held.spec);
    }
    this.waiting.delete(completes.key);
    return freed;
  }

  /** Tasks still held (their dependencies never completed), once, in the order they were held. */
  held(): TaskSpec[] {
    const out = new Set<Held>();
    for (const list of this.waiting.values()) for (const h of list) if (h.missing > 0) out.add(h);
    return [...out].map((h) => h.spec);
  }
}
