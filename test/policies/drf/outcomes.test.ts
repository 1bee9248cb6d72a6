// DRF and the Mesos offer mode through the whole simulation: who runs what, and when, on hand-worked cases.
import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../../policies/index.js';
import { machines, PolicyHarness } from '../../helpers/policy-fixtures.js';
import { runScenario, type ScenarioResult } from '../../helpers/scenario.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const tempDir = useTempDirs('drf-outcomes');

function cluster(capacity: Record<string, number>): string {
  const names = Object.keys(capacity);
  return `resources:\n${names.map((n) => `  ${n}: { unit: unit }\n`).join('')}groups:\n  - name: m\n    count: 1\n    capacity: { ${names.map((n) => `${n}: ${capacity[n]}`).join(', ')} }\n`;
}

/** `count` long tasks per tenant, all at 0, demands in the cluster's resource order. */
function trace(resources: readonly string[], tenants: Record<string, readonly number[]>, count = 12, duration = 100): string {
  const rows = [`task_id,tenant,submit,duration,${resources.join(',')}`];
  for (const [tenant, demand] of Object.entries(tenants)) for (let i = 0; i < count; i++) rows.push(`${tenant.replaceAll('/', '_')}-${i},${tenant},0,${duration},${demand.join(',')}`);
  return `${rows.join('\n')}\n`;
}

/** Tasks started at time 0 per tenant. */
function startedAtZero(r: ScenarioResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of r.tasks) if (t['start_s'] === 0) out[t['tenant'] as string] = (out[t['tenant'] as string] ?? 0) + 1;
  return out;
}

describe('drf queue order through the simulation', () => {
  it('weighted: with weights 2 and 1 on 12 cpus of 1-cpu tasks, A runs 8 and B 4', async () => {
    const r = await runScenario(tempDir(), { cluster: cluster({ cpu: 12 }), trace: trace(['cpu'], { A: [1], B: [1] }), policy: 'drf+first-fit', options: { weights: { A: 2 } } });
    expect(startedAtZero(r)).toEqual({ A: 8, B: 4 });
  });

  it('hierarchical: subtree a (a/x, a/y) and b share 12 cpus evenly before a splits its half', async () => {
    const r = await runScenario(tempDir(), { cluster: cluster({ cpu: 12 }), trace: trace(['cpu'], { 'a/x': [1], 'a/y': [1], b: [1] }), policy: 'drf+first-fit' });
    expect(startedAtZero(r)).toEqual({ 'a/x': 3, 'a/y': 3, b: 6 });
  });

  it('excluded resources: on 8 cpus / 4 gpus, A <1 cpu, 1 gpu> and B <1 cpu> split 3/5 by gpu share, 4/4 with gpu excluded', async () => {
    const input = { cluster: cluster({ cpu: 8, gpu: 4 }), trace: trace(['cpu', 'gpu'], { A: [1, 1], B: [1, 0] }), policy: 'drf+first-fit' };
    expect(startedAtZero(await runScenario(tempDir(), input))).toEqual({ A: 3, B: 5 });
    expect(startedAtZero(await runScenario(tempDir(), { ...input, options: { exclude: ['gpu'] } }))).toEqual({ A: 4, B: 4 });
  });

  it('recovers shares as tasks finish: a tenant whose tasks end gets the freed room first', async () => {
    // 4 cpus; A's four 1-cpu tasks of 10 s and B's eight of 100 s at 0: A 2, B 2 at 0. At 10 A's two end;
    // A's share drops to 0 < B's .5, so A's last two start at 10.
    const rows = ['task_id,tenant,submit,duration,cpu'];
    for (let i = 0; i < 4; i++) rows.push(`a${i},A,0,10,1`);
    for (let i = 0; i < 8; i++) rows.push(`b${i},B,0,100,1`);
    const r = await runScenario(tempDir(), { cluster: cluster({ cpu: 4 }), trace: `${rows.join('\n')}\n`, policy: 'drf+first-fit' });
    expect(startedAtZero(r)).toEqual({ A: 2, B: 2 });
    expect(['a2', 'a3'].map((id) => r.task(id)['start_s'])).toEqual([10, 10]);
  });
});

describe('drf queue order with quota', () => {
  const cpu8 = cluster({ cpu: 8 });

  it('limits: role A limited to 3 cpus runs 3 tasks, B takes the other 5', async () => {
    const r = await runScenario(tempDir(), { cluster: cpu8, trace: trace(['cpu'], { A: [1], B: [1] }), policy: 'drf+first-fit', options: { quota: { A: { limits: { cpu: 3 } } } } });
    expect(startedAtZero(r)).toEqual({ A: 3, B: 5 });
  });

  it('guarantees come first: A guaranteed 6 of 8 cpus gets them although B (weight 10) has the lower share', async () => {
    const input = { cluster: cpu8, trace: trace(['cpu'], { A: [1], B: [1] }), policy: 'drf+first-fit' };
    // without quota B's share k/8/10 stays below A's until B holds 7: B, B, ..., A
    expect(startedAtZero(await runScenario(tempDir(), { ...input, options: { weights: { B: 10 } } }))).toEqual({ A: 1, B: 7 });
    expect(startedAtZero(await runScenario(tempDir(), { ...input, options: { weights: { B: 10 }, quota: { A: { guarantees: { cpu: 6 } } } } }))).toEqual({ A: 6, B: 2 });
  });

  it('headroom: a guarantee holds room back even before its role has tasks', async () => {
    // B's eight tasks at 0 may use only 8 - 6 = 2 cpus; A's tasks arriving at 10 find their 6
    const rows = ['task_id,tenant,submit,duration,cpu'];
    for (let i = 0; i < 8; i++) rows.push(`b${i},B,0,100,1`);
    for (let i = 0; i < 8; i++) rows.push(`a${i},A,10,100,1`);
    const r = await runScenario(tempDir(), { cluster: cpu8, trace: `${rows.join('\n')}\n`, policy: 'drf+first-fit', options: { quota: { A: { guarantees: { cpu: 6 } } } } });
    expect(startedAtZero(r)).toEqual({ B: 2 });
    expect(r.tasks.filter((t) => t['start_s'] === 10).map((t) => t['tenant'])).toEqual(['A', 'A', 'A', 'A', 'A', 'A']);
  });
});

describe('drf queue order: a task that does not fit', () => {
  it('is passed over: the same tenant offers its next task, in DRF order with the others', () => {
    const h = new PolicyHarness(machines(['cpu'], [[4], [2]]), resolvePolicy('drf+first-fit'));
    h.submit({ tenant: 'A', demand: [5] });
    h.submit({ tenant: 'A', demand: [1] });
    h.submit({ tenant: 'B', demand: [1] });
    // A and B tie at 0 ("A" < "B"): A's t0 fits nowhere, so A offers t1; then B (0 < 1/6) offers t2
    expect(h.round().map((p) => p.id)).toEqual(['t1', 't2']);
    // free 2 and 2: A's t3 (3 cpus) fits nowhere, A's t4 goes (A and B tie at 1/6, count 1 each, "A" first), then B's t5
    h.submit({ tenant: 'A', demand: [3] });
    h.submit({ tenant: 'A', demand: [1] });
    h.submit({ tenant: 'B', demand: [1] });
    expect(h.round().map((p) => p.id)).toEqual(['t4', 't5']);
  });

  it('is offered again once room grows: in the simulation a finish frees room for the big task', async () => {
    // 4 cpus: A's big (4 cpus) waits behind B's b0 (2 cpus, 10 s) and A's small (1 cpu, 10 s); both end at 10
    const rows = ['task_id,tenant,submit,duration,cpu', 'b0,B,0,10,2', 'small,A,0,10,1', 'big,A,0,10,4'];
    const r = await runScenario(tempDir(), { cluster: cluster({ cpu: 4 }), trace: `${rows.join('\n')}\n`, policy: 'drf+first-fit' });
    expect([r.task('b0')['start_s'], r.task('small')['start_s'], r.task('big')['start_s']]).toEqual([0, 0, 10]);
  });
});

describe('mesos offer mode through the simulation', () => {
  const paper = { cluster: cluster({ cpu: 9, mem: 18 }), trace: trace(['cpu', 'mem'], { A: [1, 4], B: [3, 1] }, 6), policy: 'mesos' };

  it('the allocation interval sets how long the declined rest of the machine waits for its next offer', async () => {
    for (const interval of [1, 10]) {
      const r = await runScenario(tempDir(), { ...paper, options: { allocation_interval: interval } });
      expect(startedAtZero(r), `interval ${interval}`).toEqual({ A: 4 });
      expect(r.task('B-0')['start_s'], `interval ${interval}`).toBe(interval);
    }
  });

  it('offer latency delays every launch by the latency', async () => {
    const r = await runScenario(tempDir(), { ...paper, options: { offer_latency: 0.25 } });
    expect(r.tasks.filter((t) => t['start_s'] === 0.25).map((t) => t['task_id'])).toEqual(['A-0', 'A-1', 'A-2', 'A-3']);
    expect(r.task('B-0')['start_s']).toBe(1.25);
  });

  it('decline filters: without them the unusable rest is offered again every tick (11 offers instead of 4)', async () => {
    // as in test/metrics/tenants.test.ts: A takes 2/2 of 4/4 for 10 s; B needs 4/4 and declines 2/2
    const input = { cluster: cluster({ cpu: 4, mem: 4 }), trace: 'task_id,tenant,submit,duration,cpu,mem\na,A,0,10,2,2\nb,B,0,10,4,4\n', policy: 'mesos' };
    const filtered = await runScenario(tempDir(), input);
    const unfiltered = await runScenario(tempDir(), { ...input, options: { refuse_seconds: 0 } });
    expect([filtered.summary['offers_made'], filtered.summary['offers_declined']]).toEqual([4, 3]);
    // offers at 0, 1, ..., 10; all but the last declined
    expect([unfiltered.summary['offers_made'], unfiltered.summary['offers_declined']]).toEqual([11, 10]);
    expect(unfiltered.task('b')['start_s']).toBe(10);
  });

  it('quota limits chop offers: role A limited to 3 cpus runs 3 tasks, the rest goes to B', async () => {
    const r = await runScenario(tempDir(), { cluster: cluster({ cpu: 8 }), trace: trace(['cpu'], { A: [1], B: [1] }), policy: 'mesos', options: { quota: { A: { limits: { cpu: 3 } } } } });
    const started = r.tasks.filter((t) => t['start_s'] !== null && (t['start_s'] as number) <= 1);
    expect(started.filter((t) => t['tenant'] === 'A')).toHaveLength(3);
    expect(started.filter((t) => t['tenant'] === 'B')).toHaveLength(5);
  });
});
