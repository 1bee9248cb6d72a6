import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AttemptStats, STATES } from '../../src/metrics/attempt-stats.js';
import { quantile, WHOLE_ROOM_AFTER } from '../../src/metrics/stats.js';
import { attemptTimes } from '../../src/metrics/summary.js';
import type { TaskState } from '../../src/model/task.js';

const root = mkdtempSync(join(tmpdir(), 'clustersim-attempt-stats-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const code = (s: TaskState) => STATES.indexOf(s);
const times = { wait: NaN, run: NaN, slowdown: NaN, bounded: NaN };

describe('the figures of ended attempts', () => {
  it('count states, waits, slowdowns and the last finish of a small case worked by hand', () => {
    const dir = mkdtempSync(join(root, 'small-'));
    const stats = new AttemptStats(dir);
    // A: submitted 0, started 2 s, finished 12 s (wait 2, run 10, slowdown 1.2, bounded 1.2)
    stats.ended(code('finished'), 12e6, attemptTimes(0, 2e6, 12e6, times), 0, 'A');
    // B: submitted 1 s, started 1 s, finished 5 s (wait 0, run 4, slowdown 1, bounded max(1, 4/10) = 1)
    stats.ended(code('finished'), 5e6, attemptTimes(1e6, 1e6, 5e6, times), 1, 'B');
    // A again: killed after waiting 4 s; B: unschedulable, never started
    stats.ended(code('killed'), 9e6, attemptTimes(0, 4e6, 9e6, times), 0, null);
    stats.ended(code('unschedulable'), -1, attemptTimes(3e6, -1, -1, times), 1, null);
    const f = stats.figures();
    expect(f.counts).toEqual({ waiting: 0, running: 0, finished: 2, killed: 1, preempted: 0, unschedulable: 1 });
    expect(f.lastFinish).toBe(12e6);
    expect(f.wait).toEqual({ mean: 2, p50: 2, p95: 2 + 0.9 * 2, p99: 2 + 0.98 * 2 });
    expect(f.slowdown).toEqual({ mean: 1.1, p50: 1.1, p95: 1 + 0.95 * 0.2, p99: 1 + 0.99 * 0.2 });
    expect(f.bounded.mean).toBe(1.1);
    expect(f.tenants).toEqual({ names: ['A', 'B'], tasks: [2, 2], finished: [1, 1], unschedulable: [0, 1], waitMean: [3, 0], waitP95: [2 + 0.95 * 2, 0] });
  });

  it('give each tenant the p95 of its waits exactly, whether its waits are gathered in batches, spilled or selected from the file', () => {
    const dir = mkdtempSync(join(root, 'tenants-'));
    // 7 waits in memory: tenants 3 and 4 (6 waits each) come back in a batch from the file, tenants 0-2 (more than 7) each by selection
    const stats = new AttemptStats(dir, 7);
    const waits: number[][] = [[], [], [], [], []];
    let seed = 7;
    for (let i = 0; i < 90; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      const t = i % 2 === 0 ? 0 : i < 24 ? 3 + ((i >> 1) % 2) : 1 + ((seed >> 16) % 2);
      const wait = ((seed >> 8) % 11) * 1e6;
      (waits[t] as number[]).push(wait / 1e6);
      // tenant 4 has no ledger number: it is known by name only
      stats.ended(code('finished'), wait + 5e6, attemptTimes(0, wait, wait + 5e6, times), t === 4 ? -1 : t, `tenant-${t}`);
    }
    expect(readdirSync(dir).sort()).toEqual(['.bounded-slowdown.samples', '.slowdown.samples', '.tenant-waits.samples', '.wait.samples']);
    const f = stats.figures();
    const expected = waits.map((w) => quantile(Float64Array.from(w).sort(), 0.95));
    expect([...f.tenants.names].sort()).toEqual(['tenant-0', 'tenant-1', 'tenant-2', 'tenant-3', 'tenant-4']);
    expect(waits.map((w) => w.length > 7)).toEqual([true, true, true, false, false]);
    f.tenants.names.forEach((name, t) => expect(f.tenants.waitP95[t]).toBe(expected[Number(name.slice(7))]));
    expect(f.tenants.tasks.reduce((a, b) => a + b, 0)).toBe(90);
    // the scratch files are gone with the figures
    expect(readdirSync(dir)).toEqual([]);
  });

  it('give each tenant the p95 of its waits exactly when the waits outgrow the first room of the log', () => {
    const dir = mkdtempSync(join(root, 'many-'));
    const stats = new AttemptStats(dir);
    const waits: number[][] = [[], [], []];
    // more waits than WHOLE_ROOM_AFTER, so the log and the lists take their whole room part-way;
    // tenant 2's ten waits come on either side of that point, so any of them lost moves its p95
    for (let i = 0; i < 70_000; i++) {
      const near = Math.abs(i - WHOLE_ROOM_AFTER) <= 5;
      const t = near ? 2 : i % 2;
      const wait = near ? (i - 60_000) * 1e6 : i % 4 === 0 ? i * 1e3 : 0;
      (waits[t] as number[]).push(wait / 1e6);
      stats.ended(code('finished'), wait + 5e6, attemptTimes(0, wait, wait + 5e6, times), t, `tenant-${t}`);
    }
    const f = stats.figures();
    const all = Float64Array.from(waits.flat()).sort();
    expect(f.wait.p95).toBe(quantile(all, 0.95));
    expect(f.wait.p99).toBe(quantile(all, 0.99));
    expect(f.tenants.waitP95).toEqual(waits.map((w) => quantile(Float64Array.from(w).sort(), 0.95)));
    expect(f.tenants.waitMean).toEqual(waits.map((w) => w.reduce((a, b) => a + b, 0) / w.length));
  });

  it('leave no scratch file behind when disposed of after a failure', () => {
    const dir = mkdtempSync(join(root, 'dispose-'));
    const stats = new AttemptStats(dir, 2);
    for (let i = 0; i < 10; i++) stats.ended(code('finished'), 3e6, attemptTimes(0, 1e6, 3e6, times), 0, 'A');
    expect(readdirSync(dir).length).toBeGreaterThan(0);
    stats.dispose();
    expect(readdirSync(dir)).toEqual([]);
  });
});
