// CloudSim's minimum-power-increase placement by hand: the machine whose modelled power rises least.
import { describe, expect, it } from 'vitest';
import { runScenario } from '../helpers/scenario.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const HEADER = 'task_id,job_id,tenant,priority,kind,submit,duration,cpu,mem,constraints\n';

// steep: 50 → 300 W (250 W dynamic); flat: 100 → 200 W (100 W dynamic); both 1000 millicores
const CLUSTER = `resources: { cpu: { unit: millicore }, mem: { unit: MiB } }
groups:
  - { id: steep, capacity: { cpu: 1000, mem: 1000 }, power: { model: linear, idle_w: 50, max_w: 300 } }
  - { id: flat, capacity: { cpu: 1000, mem: 1000 }, power: { model: linear, idle_w: 100, max_w: 200 } }
  - { id: unmodelled, capacity: { cpu: 1000, mem: 1000 } }
`;

describe('min-power-increase', () => {
  const dirs = useTempDirs('min-power');

  it('picks the smallest rise, and an unmodelled machine only when no modelled one fits', async () => {
    // a: +50 W on flat vs +125 W on steep → flat; b (600) no longer fits flat → steep (+150 W);
    // c (600) fits neither modelled machine (500 and 400 free) → unmodelled
    const trace = `${HEADER}a,a,t,0,batch,0,10,500,10,\nb,b,t,0,batch,0,10,600,10,\nc,c,t,0,batch,0,10,600,10,\n`;
    const r = await runScenario(dirs(), { cluster: CLUSTER, trace, policy: 'fifo+min-power-increase' });
    expect(['a', 'b', 'c'].map((id) => r.task(id)['machine_id'])).toEqual(['flat', 'steep', 'unmodelled']);
  });

  it('skips a busy machine that would pass max_utilisation', async () => {
    const trace = `${HEADER}a,a,t,0,batch,0,10,500,10,\nb,b,t,0,batch,0,10,400,10,\n`;
    const r = await runScenario(dirs(), { cluster: CLUSTER, trace, policy: 'fifo+min-power-increase', options: { max_utilisation: 0.8 } });
    // b would take flat to 0.9 > 0.8: steep instead (+100 W), though flat would rise only 40 W
    expect([r.task('a')['machine_id'], r.task('b')['machine_id']]).toEqual(['flat', 'steep']);
  });
});
