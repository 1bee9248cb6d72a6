// Hand-worked energy: exact integration on a SPEC table, sampling independence, no model → null, caps and power states.
import { describe, expect, it } from 'vitest';
import { resolveController } from '../../policies/index.js';
import { arrowColumns } from '../helpers/arrow.js';
import { runScenario } from '../helpers/scenario.js';
import { useTempDirs } from '../helpers/temp-dirs.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const HEADER = 'task_id,job_id,tenant,priority,kind,submit,duration,cpu,mem,constraints\n';

/** One HP ML110 G4 (SPEC table 86 … 117 W) with 1000 millicores. */
const G4 = `resources: { cpu: { unit: millicore }, mem: { unit: MiB } }
groups:
  - name: g4
    count: 1
    capacity: { cpu: 1000, mem: 1000 }
    attributes: { class: A }
    power: hp-ml110-g4-xeon-3040
`;

describe('exact energy on a SPEC-table machine', () => {
  const dirs = useTempDirs('power-energy');
  // u = 0.35 for 100 s (97.75 W), idle for 100 s (86 W), u = 1 for 50 s (117 W)
  const trace = `${HEADER}a,a,t,0,batch,0,100,350,10,\nb,b,t,0,batch,200,50,1000,10,\n`;

  it('gives watts × seconds joules, idle energy apart, and the same energy at any sample interval', async () => {
    const one = await runScenario(dirs(), { cluster: G4, trace, policy: 'fifo+first-fit', sampleInterval: 1 });
    const odd = await runScenario(dirs(), { cluster: G4, trace, policy: 'fifo+first-fit', sampleInterval: 37 });
    const expected = 97.75 * 100 + 86 * 100 + 117 * 50;
    expect(one.summary['energy_j']).toBeCloseTo(expected, 9);
    expect(one.summary['energy_kwh']).toBeCloseTo(expected / 3.6e6, 12);
    expect(one.summary['idle_energy_j']).toBeCloseTo(8600, 9);
    expect(one.summary['power_mean_w']).toBeCloseTo(expected / 250, 9);
    expect(one.summary['power_peak_w']).toBe(117);
    // 1 s samples over [0, 250]: a fifth of them at 117 W, so both percentiles are 117 W
    expect([one.summary['power_p95_w'], one.summary['power_p99_w']]).toEqual([117, 117]);
    // percentiles are over samples: at 37 s (0, 37 … 222) 86 W ×3, 97.75 W ×3, 117 W ×1, so p95 sits
    // at rank 0.95 × 6 = 5.7, between 97.75 and 117 W
    expect(odd.summary['power_p95_w']).toBeCloseTo(97.75 + 0.7 * (117 - 97.75), 9);
    expect(one.summary['facility_energy_j']).toBeNull();
    expect(one.machine('g4-0')['energy_j']).toBeCloseTo(expected, 9);
    expect(odd.summary['energy_j']).toBe(one.summary['energy_j']);
    expect(odd.machine('g4-0')['energy_j']).toBe(one.machine('g4-0')['energy_j']);
    const at = (t: number) => one.timeseries.find((r) => r['time_s'] === t) as Record<string, unknown>;
    expect(at(50)['power_w']).toBeCloseTo(97.75, 9);
    expect(at(150)['power_w_A']).toBe(86);
  });

  it('scales facility energy by the cluster PUE', async () => {
    const r = await runScenario(dirs(), { cluster: `pue: 1.5\n${G4}`, trace, policy: 'fifo+first-fit' });
    expect(r.summary['facility_energy_j']).toBeCloseTo(1.5 * (r.summary['energy_j'] as number), 9);
  });

  it('reports no energy (null, not zero) for a cluster without power models', async () => {
    const cluster = G4.replace('    power: hp-ml110-g4-xeon-3040\n', '');
    const r = await runScenario(dirs(), { cluster, trace, policy: 'fifo+first-fit' });
    expect(r.summary['energy_j']).toBeNull();
    expect(r.summary['power_peak_w']).toBeNull();
    expect(r.machine('g4-0')['energy_j']).toBeNull();
    expect(arrowColumns(join(r.dir, 'timeseries.arrow'))).not.toContain('power_w');
  });

  it('integrates a dominant-share model on the largest share', async () => {
    const cluster = G4.replace('power: hp-ml110-g4-xeon-3040', 'power: { model: linear, idle_w: 100, max_w: 200, utilisation: dominant }');
    // cpu share 0.35, mem share 0.5: dominant 0.5 → 150 W for 100 s, then 100 W idle for 100 s, then 200 W for 50 s
    const r = await runScenario(dirs(), { cluster, trace: trace.replace('350,10,', '350,500,'), policy: 'fifo+first-fit' });
    expect(r.summary['energy_j']).toBeCloseTo(150 * 100 + 100 * 100 + 200 * 50, 9);
  });
});

/** One machine: linear 100 W idle … 200 W peak; a full-machine task draws 200 W, 100 W of it dynamic. */
const LINEAR = `resources: { cpu: { unit: millicore }, mem: { unit: MiB } }
groups:
  - name: n
    count: 1
    capacity: { cpu: 1000, mem: 1000 }
    power: { model: linear, idle_w: 100, max_w: 200 }
`;

describe('power capping', () => {
  const dirs = useTempDirs('power-cap');
  const trace = `${HEADER}a,a,t,0,batch,0,100,1000,10,\n`;

  it('a cap that halves dynamic power stretches a task by 2^(1/3) (cubic DVFS) and draws exactly the limit', async () => {
    // cap 75 % of 200 W peak = 150 W: dynamic 100 W → 50 W, so speed = (50 / 100)^(1/3)
    const cap = resolveController('extrema', { hi_w: 10, lo_w: 0, cap_pct: 75 });
    const r = await runScenario(dirs(), { cluster: LINEAR, trace, policy: 'fifo+first-fit', controllers: [cap] });
    const stretched = 100 * Math.cbrt(2);
    expect(r.task('a')['run_s']).toBeCloseTo(stretched, 5);
    expect(r.summary['energy_j']).toBeCloseTo(150 * (r.task('a')['run_s'] as number), 3);
    expect(r.machine('n-0')['throttled_s']).toBeCloseTo(r.task('a')['run_s'] as number, 9);
    // capped from 0 until the end of the run (never uncapped: lo_w 0)
    expect(r.machine('n-0')['capped_s']).toBe(r.summary['end_s']);
    expect(r.summary['capped_machine_s']).toBe(r.summary['end_s']);
    const caps = r.events.filter((e) => e['kind'] === 'cap');
    expect(caps.map((e) => [e['time_s'], e['machine_id'], e['value']])).toEqual([[0, 'n-0', 75]]);
  });

  it('gives byte-identical outputs when run twice with a capper', async () => {
    const cap = resolveController('progressive-extrema', { hi_w: 10, lo_w: 0 });
    const twoTasks = `${trace}b,b,t,0,batch,3,50,500,10,\n`;
    const a = await runScenario(dirs(), { cluster: LINEAR, trace: twoTasks, policy: 'fifo+first-fit', controllers: [cap] });
    const b = await runScenario(dirs(), { cluster: LINEAR, trace: twoTasks, policy: 'fifo+first-fit', controllers: [cap] });
    for (const file of ['tasks.arrow', 'timeseries.arrow', 'machines.arrow', 'events.arrow']) expect(readFileSync(join(a.dir, file)).equals(readFileSync(join(b.dir, file)))).toBe(true);
    expect(a.events.filter((e) => e['kind'] === 'cap').map((e) => e['value'])).toEqual([50, 25, 12.5]);
  });

  it('with slowdown none a cap is only recorded', async () => {
    const cap = resolveController('extrema', { hi_w: 10, lo_w: 0, cap_pct: 75, slowdown: 'none' });
    const r = await runScenario(dirs(), { cluster: LINEAR, trace, policy: 'fifo+first-fit', controllers: [cap] });
    expect(r.task('a')['run_s']).toBe(100);
    expect(r.events.filter((e) => e['kind'] === 'cap')).toHaveLength(1);
    expect([r.machine('n-0')['capped_s'], r.machine('n-0')['throttled_s']]).toEqual([100, 0]);
  });
});

describe('power states', () => {
  const dirs = useTempDirs('power-states');

  it('switches an idle machine off and wakes it for new work, charging transition energy', async () => {
    const cluster = LINEAR.replace('power: { model: linear, idle_w: 100, max_w: 200 }', 'power: { model: linear, idle_w: 100, max_w: 200, off_w: 5, wake_up_j: 1000, power_down_j: 500 }');
    const trace = `${HEADER}a,a,t,0,batch,0,10,1000,10,\nb,b,t,0,batch,100,10,1000,10,\n`;
    const down = resolveController('power-down', { idle_s: 20, wake_up_s: 30, interval_s: 10 });
    const r = await runScenario(dirs(), { cluster, trace, policy: 'fifo+first-fit', controllers: [down] });
    // busy 0–10 (200 W); last seen busy at tick 0, so off at tick 20; b arrives at 100, woken at tick 100, up at 130
    expect(r.events.filter((e) => e['kind'] === 'machine-down' || e['kind'] === 'machine-up').map((e) => [e['kind'], e['time_s']])).toEqual([
      ['machine-down', 20],
      ['machine-up', 130],
    ]);
    expect(r.task('b')['start_s']).toBe(130);
    const expected = 200 * 10 + 100 * 10 + 5 * 110 + 500 + 1000 + 200 * 10;
    expect(r.summary['energy_j']).toBeCloseTo(expected, 9);
    expect(r.summary['transition_energy_j']).toBe(1500);
  });
});
