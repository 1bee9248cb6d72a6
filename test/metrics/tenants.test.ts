// Per-tenant metrics and offer-mode summary keys on tiny runs worked out by hand.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readArrowRows } from '../helpers/arrow.js';
import { runScenario } from '../helpers/scenario.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs('tenants');
const MACHINE = 'resources:\n  cpu: { unit: core }\n  mem: { unit: GB }\ngroups:\n  - name: m\n    count: 1\n    capacity: { cpu: 10, mem: 10 }\n';
const HEADER = 'task_id,tenant,submit,duration,cpu,mem\n';

/** `rows` (after the header) on the one-machine cluster, fifo+first-fit, sampled every 5 s: the run and its tenant_summary rows. */
async function tenantRun(rows: string) {
  const r = await runScenario(tempDir(), { cluster: MACHINE, trace: HEADER + rows, policy: 'fifo+first-fit', sampleInterval: 5 });
  return { r, summary: readArrowRows(join(r.dir, 'tenant_summary.arrow')) };
}

describe('tenants.arrow and tenant_summary.arrow', () => {
  // One 10 cpu / 10 mem machine, fifo+first-fit.
  // a1 (A, cpu 5 mem 1) runs 0-10; b1 (B, cpu 2 mem 4) runs 0-20; b2 (B, cpu 8 mem 1, at 5) waits
  // until a1 ends (free cpu 3 < 8), runs 10-15. The run spans 0-20.
  //   A: cpu .5 and mem .1 over 10 s -> means .25 and .05; dominant .5 over 10 s -> .25.
  //   B: cpu .2×20 + .8×5 = 8 -> .4; mem .4×20 + .1×5 = 8.5 -> .425;
  //      dominant .4 over [0,10) and [15,20), 1.0 over [10,15): 4 + 5 + 2 = 11 -> .55.
  //   Waits: A [0]; B [0, 5] -> mean 2.5, p95 0 + .95 × 5 = 4.75.
  it('gives per-tenant tasks, waits and time-averaged shares, and samples each tenant in long format', async () => {
    const { r, summary } = await tenantRun('a1,A,0,10,5,1\nb1,B,0,20,2,4\nb2,B,5,5,8,1\n');
    expect(summary.map((row) => row['tenant'])).toEqual(['A', 'B']);
    expect(summary[0]).toMatchObject({ tasks: 1, finished: 1, unschedulable: 0, wait_mean_s: 0, wait_p95_s: 0, dominant_share_mean: 0.25, share_mean_cpu: 0.25 });
    expect(summary[0]?.['share_mean_mem']).toBeCloseTo(0.05, 12);
    expect(summary[1]).toMatchObject({ tasks: 2, finished: 2, wait_mean_s: 2.5, wait_p95_s: 4.75 });
    expect(summary[1]?.['dominant_share_mean']).toBeCloseTo(0.55, 12);
    expect(summary[1]?.['share_mean_cpu']).toBeCloseTo(0.4, 12);
    expect(summary[1]?.['share_mean_mem']).toBeCloseTo(0.425, 12);
    const series = readArrowRows(join(r.dir, 'tenants.arrow'));
    expect(series.map((row) => [row['time_s'], row['tenant'], row['dominant_share'], row['allocated_cpu']])).toEqual([
      [0, 'A', 0.5, 5],
      [0, 'B', 0.4, 2],
      [5, 'A', 0.5, 5],
      [5, 'B', 0.4, 2],
      [10, 'A', 0, 0],
      [10, 'B', 1, 10],
      [15, 'A', 0, 0],
      [15, 'B', 0.4, 2],
      [20, 'A', 0, 0],
      [20, 'B', 0, 0],
    ]);
    expect(r.summary).toMatchObject({ offers_made: 0, offers_declined: 0, offer_wait_mean_s: null });
  });
  // a1 (A, cpu 5) runs 0-10; a2 (A, cpu 20) and c1 (C, cpu 11) fit no machine ever. A's counts
  // join its admitted and its unschedulable task; C, never admitted, has no waits and no share.
  it('counts unschedulable tasks with their tenant, admitted or not', async () => {
    const { r, summary } = await tenantRun('a1,A,0,10,5,1\na2,A,0,10,20,1\nc1,C,1,10,11,1\n');
    expect(summary.map((row) => row['tenant'])).toEqual(['A', 'C']);
    expect(summary[0]).toMatchObject({ tasks: 2, finished: 1, unschedulable: 1, wait_mean_s: 0, wait_p95_s: 0, dominant_share_mean: 0.5, share_mean_cpu: 0.5 });
    expect(summary[1]).toMatchObject({ tasks: 1, finished: 0, unschedulable: 1, wait_mean_s: null, wait_p95_s: null, dominant_share_mean: 0, share_mean_cpu: 0 });
    expect(new Set(readArrowRows(join(r.dir, 'tenants.arrow')).map((row) => row['tenant']))).toEqual(new Set(['A']));
  });
});

describe('offer-mode summary keys (mesos)', () => {
  // One 4 cpu / 4 mem machine. a (A, 2/2, 10 s) and b (B, 4/4, 10 s) at 0.
  // t=0  the whole machine goes to A (equal shares, "A" < "B"): a launches, 2/2 declined (filter 5 s);
  //      A has nothing pending and suppresses its offers.
  // t=1  2/2 to B, which cannot use it: declined, filtered until 6.   t=6  again, filtered until 11.
  // t=10 a ends; 4/4 is more than B refused, so the filter does not block: b launches.
  // Offers 4 (0, 1, 6, 10), declined 3; offer waits a 0, b 10 -> mean 5.
  it('counts offers made and declined and the mean time launched tasks waited for their offer', async () => {
    const r = await runScenario(tempDir(), {
      cluster: MACHINE.replace('cpu: 10, mem: 10', 'cpu: 4, mem: 4'),
      trace: HEADER + 'a,A,0,10,2,2\nb,B,0,10,4,4\n',
      policy: 'mesos',
      sampleInterval: 5,
    });
    expect(r.task('b')).toMatchObject({ start_s: 10, wait_s: 10 });
    expect(r.summary).toMatchObject({ offers_made: 4, offers_declined: 3, offer_wait_mean_s: 5 });
  });
});
