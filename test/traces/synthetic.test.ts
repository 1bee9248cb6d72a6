// The synthetic format: seeded and reproducible, independent streams, the named distributions, bursts, tenants, mixes, empirical draws.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClusterSpec } from '../../src/model/cluster-spec.js';
import type { TaskSpec } from '../../src/model/task.js';
import { openTrace, type TraceRef } from '../../src/traces/index.js';
import { cli } from '../helpers/cli.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const tempDir = useTempDirs('synthetic');
const CLUSTER: ClusterSpec = {
  file: 'test',
  resources: { names: ['cpu', 'mem'], units: ['millicore', 'MiB'] },
  groups: [
    { name: 'small', ids: ['s0'], capacity: Float64Array.of(4000, 8192), speed: 1, attributes: {} },
    { name: 'big', ids: ['b0'], capacity: Float64Array.of(32000, 65536), speed: 1, attributes: {} },
  ],
};

async function generate(options: Record<string, unknown>, seed = 7, cluster = CLUSTER): Promise<TaskSpec[]> {
  const ref: TraceRef = { format: 'synthetic', path: null, options, where: {}, optionsWhere: {} };
  const out: TaskSpec[] = [];
  for await (const chunk of openTrace(ref, cluster, seed).chunks()) out.push(...chunk);
  return out;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const seconds = (ts: readonly TaskSpec[]) => ts.map((t) => (t.duration ?? NaN) / 1e6);

describe('synthetic workloads', () => {
  it('are the same for the same seed and differ for another', async () => {
    const a = await generate({ tasks: 500 });
    expect(await generate({ tasks: 500 })).toEqual(a);
    expect((await generate({ tasks: 500 }, 8)).map((t) => t.submit)).not.toEqual(a.map((t) => t.submit));
    expect(a).toHaveLength(500);
    expect(a.every((t, i) => i === 0 || t.submit >= (a[i - 1] as TaskSpec).submit)).toBe(true);
  });

  it('draw each aspect from its own stream: a new duration law leaves arrivals and tenants alone', async () => {
    const a = await generate({ tasks: 300, tenants: 3 });
    const b = await generate({ tasks: 300, tenants: 3, duration: { dist: 'pareto', min: 5, alpha: 2 } });
    expect(b.map((t) => [t.submit, t.tenant])).toEqual(a.map((t) => [t.submit, t.tenant]));
    expect(seconds(b)).not.toEqual(seconds(a));
  });

  it('has Poisson arrivals at the rate asked and the named duration laws', async () => {
    const n = 20000;
    const poisson = await generate({ tasks: n, rate: 4, duration: { dist: 'exponential', mean: 60 } });
    expect((poisson.at(-1) as TaskSpec).submit / 1e6 / n).toBeCloseTo(0.25, 2);
    expect(mean(seconds(poisson)) / 60).toBeCloseTo(1, 1);
    const lognormal = await generate({ tasks: n, duration: { dist: 'lognormal', median: 30, sigma: 1 } });
    expect(median(seconds(lognormal)) / 30).toBeCloseTo(1, 1);
    const pareto = seconds(await generate({ tasks: n, duration: { dist: 'pareto', min: 10, alpha: 3, max: 1000 } }));
    expect(Math.min(...pareto)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...pareto)).toBeLessThanOrEqual(1000);
    // Pareto mean = alpha·min/(alpha−1) = 15
    expect(mean(pareto) / 15).toBeCloseTo(1, 1);
  });

  it('makes bursts: the same mean calm rate, but far more arrivals per minute at the peak', async () => {
    const count = (ts: readonly TaskSpec[]) => {
      const perMinute = new Map<number, number>();
      for (const t of ts) perMinute.set(Math.floor(t.submit / 60e6), (perMinute.get(Math.floor(t.submit / 60e6)) ?? 0) + 1);
      return Math.max(...perMinute.values());
    };
    const calm = await generate({ tasks: 5000, rate: 1 });
    const bursty = await generate({ tasks: 5000, rate: 1, arrival: 'bursty', burst_factor: 20, burst_on_s: 60, burst_off_s: 600 });
    expect(count(bursty)).toBeGreaterThan(3 * count(calm));
  });

  it('draws demands per resource, defaults to 1/16 of the smallest machine, and mixes tenants, priorities and services', async () => {
    const ts = await generate({ tasks: 10000, tenants: 3, priorities: 4, service_fraction: 0.25, tasks_per_job: 10, demands: { cpu: { dist: 'uniform', min: 100, max: 900 } } });
    const cpu = ts.map((t) => t.demand[0] as number);
    expect(Math.min(...cpu)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...cpu)).toBeLessThanOrEqual(900);
    expect(new Set(ts.map((t) => t.demand[1]))).toEqual(new Set([512]));
    const share = (name: string) => ts.filter((t) => t.tenant === name).length / ts.length;
    // Zipf weights 1, 1/2, 1/3 → shares 6/11, 3/11, 2/11
    expect(share('tenant-0')).toBeCloseTo(6 / 11, 1);
    expect(share('tenant-2')).toBeCloseTo(2 / 11, 1);
    expect(new Set(ts.map((t) => t.priority))).toEqual(new Set([0, 1, 2, 3]));
    expect(ts.filter((t) => t.kind === 'service' && t.duration === null).length / ts.length).toBeCloseTo(0.25, 1);
    expect(ts[19]?.job).toBe('j1');
  });

  it('resamples durations and demands together from a trace with empirical', async () => {
    const dir = tempDir();
    const file = join(dir, 'small.csv');
    writeFileSync(file, 'task_id,submit,duration,cpu,mem\na,0,10,100,200\nb,1,20,300,400\n');
    const ts = await generate({ tasks: 200, duration: { dist: 'empirical' }, demands: { cpu: { dist: 'empirical' }, mem: { dist: 'empirical' } }, empirical: { path: file } });
    expect(new Set(ts.map((t) => `${t.duration}/${t.demand[0]}/${t.demand[1]}`))).toEqual(new Set(['10000000/100/200', '20000000/300/400']));
  });

  it('checks its options', async () => {
    await expect(generate({ duration: { dist: 'gamma', shape: 2 } })).rejects.toThrow(/Option "duration" of trace format "synthetic": "dist" must be one of exponential, lognormal, pareto, uniform, constant, empirical, got "gamma"/);
    await expect(generate({ demands: { gpu: { dist: 'constant', value: 1 } } })).rejects.toThrow(/Synthetic "demands" names "gpu", not a resource of the cluster \(cpu, mem\)/);
    await expect(generate({ duration: { dist: 'empirical' } })).rejects.toThrow(/names no trace/);
  });

  it('runs from an experiment file', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'cluster.yaml'), 'resources:\n  cpu: { unit: millicore }\ngroups:\n  - name: m\n    count: 4\n    capacity: { cpu: 4000 }\n');
    writeFileSync(join(dir, 'exp.yaml'), 'name: synth\ncluster: cluster.yaml\ntrace:\n  format: synthetic\n  options: { tasks: 400, rate: 0.5, tenants: 2, duration: { dist: lognormal, median: 20, sigma: 1 }, demands: { cpu: { dist: uniform, min: 500, max: 3000 } } }\npolicies: [fifo+best-fit]\nseeds: [1, 2]\n');
    const result = await cli('run', join(dir, 'exp.yaml'), '--out', join(dir, 'results'), '--quiet');
    expect(result.code).toBe(0);
    const summary = (seed: number) => JSON.parse(readFileSync(join(dir, 'results', 'synth', `fifo+best-fit-seed${seed}`, 'summary.json'), 'utf8'));
    expect(summary(1).tasks).toBe(400);
    expect(summary(1).tenants).toBe(2);
    expect(summary(1).makespan_s).not.toBe(summary(2).makespan_s);
  });
});
