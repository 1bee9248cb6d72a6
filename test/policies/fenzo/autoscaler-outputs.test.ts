// The autoscaler through a whole run: scale actions in events.arrow, machine lifetimes and idle time in
// machines.arrow, group sizes in timeseries.arrow, worked out by hand.
import { describe, expect, it } from 'vitest';
import { resolveController } from '../../../policies/index.js';
import { runScenario } from '../../helpers/scenario.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

const tempDir = useTempDirs('fenzo-autoscale');

describe('fenzo-autoscaler on one 4-cpu machine', () => {
  // pool-0 (4 cpu). A (4 cpu, 100 s) and B (4 cpu, 20 s) at 0; minIdle = maxIdle = 1, cool-down 10 s,
  // machines join 5 s after a scale-up, evaluations every second.
  // t=0   A starts on pool-0, B waits: shortfall 1 (bypasses the cool-down) → scale-up 1: pool-1 joins at 5.
  // t=1–10 B was counted already; idle 0 < minIdle but the cool-down since t=0 runs to 10 → nothing.
  // t=5   pool-1 joins, B starts there.
  // t=11  cooled down, idle 0 < 1 → refill to maxIdle: scale-up 1, pool-2 joins at 16 (idle).
  // t=25  B ends: idle pool-1 and pool-2, 2 > maxIdle 1, cooled down since 11 → scale-down 1: the
  //       largest name, pool-2 (up 16–25: 9 s, busy 0 s, so 9 s of idle machine-time).
  // t=100 A ends; the run ends (nothing left to do).
  it('adds for the shortfall, refills to maxIdle after the cool-down, removes the excess idle machine', async () => {
    const r = await runScenario(tempDir(), {
      cluster: 'resources:\n  cpu: { unit: core }\ngroups:\n  - name: pool\n    count: 1\n    capacity: { cpu: 4 }\n',
      trace: 'task_id,submit,duration,cpu\nA,0,100,4\nB,0,20,4\n',
      policy: 'fifo+fenzo',
      sampleInterval: 10,
      controllers: [resolveController('fenzo-autoscaler', { rules: { pool: { minIdle: 1, maxIdle: 1, coolDown: 10 } }, provisioningDelay: 5 })],
    });
    const actions = r.events.filter((e) => String(e['kind']).startsWith('scale-')).map((e) => [e['time_s'], e['kind'], e['detail'], e['value']]);
    expect(actions).toEqual([
      [0, 'scale-up', 'pool', 1],
      [11, 'scale-up', 'pool', 1],
      [25, 'scale-down', 'pool', 1],
    ]);
    expect(r.task('B')).toMatchObject({ start_s: 5, machine_id: 'pool-1', wait_s: 5 });
    expect(r.machines.map((m) => [m['machine_id'], m['added_s'], m['removed_s'], m['up_s'], m['busy_s']])).toEqual([
      ['pool-0', 0, null, 100, 100],
      ['pool-1', 5, null, 95, 20],
      ['pool-2', 16, 25, 9, 0],
    ]);
    expect(r.timeseries.map((t) => [t['time_s'], t['machines_up_pool']])).toEqual([
      [0, 1],
      [10, 2],
      [20, 3],
      [30, 2],
      [40, 2],
      [50, 2],
      [60, 2],
      [70, 2],
      [80, 2],
      [90, 2],
      [100, 2],
    ]);
  });
});
