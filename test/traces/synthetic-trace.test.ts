// The benchmarks' seeded workload generator (syntheticTrace): reproducible, chunked, replayable, and strict about its weights.
import { describe, expect, it } from 'vitest';
import type { TaskSpec } from '../../src/model/task.js';
import { CHUNK_SIZE } from '../../src/traces/source.js';
import { syntheticTrace, type SyntheticOptions } from '../../src/traces/synthetic.js';

const OPTIONS: SyntheticOptions = { tasks: 2_500, seed: 4, arrivalRate: 50, meanDuration: 20, maxDuration: 60, shapes: [[1_000, 512], [4_000, 2_048]], weights: [3, 1], tenants: 3, priorities: 2 };

/** The tasks of one pass over `chunks()`, as plain values, and the chunk sizes. */
async function pass(trace: ReturnType<typeof syntheticTrace>): Promise<{ tasks: unknown[]; sizes: number[] }> {
  const tasks: unknown[] = [];
  const sizes: number[] = [];
  for await (const chunk of trace.chunks()) {
    sizes.push(chunk.length);
    for (const t of chunk as readonly TaskSpec[]) tasks.push({ id: t.id, job: t.job, tenant: t.tenant, priority: t.priority, submit: t.submit, duration: t.duration, demand: Array.from(t.demand) });
  }
  return { tasks, sizes };
}

describe('syntheticTrace', () => {
  it('makes the same tasks for the same seed, in chunks of CHUNK_SIZE, in submit order, and again on a second pass', async () => {
    const trace = syntheticTrace(OPTIONS);
    const first = await pass(trace);
    expect(trace.progress()).toBe(1);
    expect(first.sizes).toEqual([CHUNK_SIZE, CHUNK_SIZE, 2_500 - 2 * CHUNK_SIZE]);
    const submits = first.tasks.map((t) => (t as { submit: number }).submit);
    expect(submits.every((s, i) => i === 0 || s >= (submits[i - 1] as number))).toBe(true);
    // sixteen tasks a job; tenants and priorities within range; durations capped
    expect(first.tasks.slice(14, 18).map((t) => (t as { job: string }).job)).toEqual(['j0', 'j0', 'j1', 'j1']);
    for (const t of first.tasks as { tenant: string; priority: number; duration: number }[]) {
      expect(['tenant-0', 'tenant-1', 'tenant-2']).toContain(t.tenant);
      expect([0, 1]).toContain(t.priority);
      expect(t.duration).toBeGreaterThanOrEqual(1_000);
      expect(t.duration).toBeLessThanOrEqual(60_000_000);
    }
    expect((await pass(trace)).tasks).toEqual(first.tasks);
    expect((await pass(syntheticTrace(OPTIONS))).tasks).toEqual(first.tasks);
    expect((await pass(syntheticTrace({ ...OPTIONS, seed: 5 }))).tasks).not.toEqual(first.tasks);
  });

  it('refuses bad shape weights when the trace is made', () => {
    expect(() => syntheticTrace({ ...OPTIONS, weights: [1] })).toThrow(RangeError);
    expect(() => syntheticTrace({ ...OPTIONS, weights: [0, 0] })).toThrow(/non-negative numbers, not all zero/);
  });
});
