// Elektron's policies on the simulator: the reference placements, power classes, switching, and bad profiles.
import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../policies/index.js';
import { isInputError } from '../../src/errors.js';
import { runScenario, type ScenarioResult } from '../helpers/scenario.js';
import { useTempDirs } from '../helpers/temp-dirs.js';

const HEADER = 'task_id,job_id,tenant,priority,kind,submit,duration,cpu,mem,constraints\n';

/** ELEKTRON-POLICIES-1 as a cluster and trace: machines a and b (4 cpu, 8192 MB, 100 W budget). */
const CLUSTER = `resources: { cpu: { unit: core }, mem: { unit: MB } }
groups:
  - { id: a, capacity: { cpu: 4, mem: 8192 }, attributes: { class: A, watts: 100 } }
  - { id: b, capacity: { cpu: 4, mem: 8192 }, attributes: { class: D, watts: 100 } }
`;
const TRACE = `${HEADER}light-3,light,t,0,batch,0,1000,1,1024,
light-2,light,t,0,batch,0,1000,1,1024,
light-1,light,t,0,batch,0,1000,1,1024,
heavy-2,heavy,t,0,batch,0,1000,2,2048,
heavy-1,heavy,t,0,batch,0,1000,2,2048,
`;
const OPTIONS = { watts_as_resource: true, task_watts: { 'job:light': 20, 'job:heavy': 60 } };

/** Where each task started at time 0, as the scenario's expected map (machine → tasks in placement order). */
function placedAtZero(r: ScenarioResult): Record<string, string[]> {
  const out: Record<string, string[]> = { a: [], b: [] };
  for (const t of r.tasks) if (t['start_s'] === 0) (out[t['machine_id'] as string] as string[]).push(t['task_id'] as string);
  return out;
}

describe('Elektron policies on the simulator (ELEKTRON-POLICIES-1)', () => {
  const dirs = useTempDirs('elektron');
  const expected: Record<string, Record<string, string[]>> = {
    'elektron-first-fit': { a: ['light-3'], b: ['light-2'] },
    'elektron-bin-packing': { a: ['light-3', 'light-2', 'light-1'], b: ['heavy-2'] },
    'elektron-max-min': { a: ['heavy-2', 'light-3', 'light-2'], b: ['heavy-1', 'light-1'] },
    'elektron-max-greedymins': { a: ['heavy-2', 'light-3', 'light-2'], b: ['heavy-1', 'light-1'] },
  };
  for (const [policy, placements] of Object.entries(expected)) {
    it(policy, async () => {
      const r = await runScenario(dirs(), { cluster: CLUSTER, trace: TRACE, policy, options: OPTIONS });
      const got = placedAtZero(r);
      // tasks.arrow is in end order; compare as sets per machine, placement order is pinned by the pure scenarios
      expect(Object.fromEntries(Object.entries(got).map(([m, ids]) => [m, [...ids].sort()]))).toEqual(Object.fromEntries(Object.entries(placements).map(([m, ids]) => [m, [...ids].sort()])));
    });
  }

  it('offers machines again a second later, so first-fit places one task per machine per offer cycle', async () => {
    const r = await runScenario(dirs(), { cluster: CLUSTER, trace: TRACE, policy: 'elektron-first-fit', options: OPTIONS });
    const starts = Object.fromEntries(r.tasks.map((t) => [t['task_id'], [t['machine_id'], t['start_s']]]));
    expect(starts).toEqual({ 'light-3': ['a', 0], 'light-2': ['b', 0], 'light-1': ['a', 1], 'heavy-2': ['b', 1], 'heavy-1': ['a', 2] });
  });

  it('bin-packing skips the entry after an exhausted one when faithful, not when intended (ELEKTRON-BP-SKIP-1)', async () => {
    const cluster = `resources: { cpu: { unit: core }, mem: { unit: MB } }
groups:
  - { id: h, capacity: { cpu: 4, mem: 10000 }, attributes: { watts: 200 } }
`;
    const trace = `${HEADER}A-3,A,t,0,batch,0,100,1,100,\nA-2,A,t,0,batch,0,100,1,100,\nA-1,A,t,0,batch,0,100,1,100,\nB-1,B,t,0,batch,0,100,1,100,\nC-1,C,t,0,batch,0,100,1,100,\n`;
    const task_watts = { 'job:A': 10, 'job:B': 50, 'job:C': 90 };
    const atZero = async (variant: string) => {
      const r = await runScenario(dirs(), { cluster, trace, policy: 'elektron-bin-packing', options: { watts_as_resource: true, task_watts, variant } });
      return r.tasks.filter((t) => t['start_s'] === 0).map((t) => t['task_id']).sort();
    };
    expect(await atZero('faithful')).toEqual(['A-1', 'A-2', 'A-3', 'C-1']);
    expect(await atZero('intended')).toEqual(['A-1', 'A-2', 'A-3', 'B-1']);
  });

  it('class-mapped watts decide the fit (ELEKTRON-CLASSMAP-1 on class A and D machines)', async () => {
    const cluster = `resources: { cpu: { unit: core }, mem: { unit: MB } }
groups:
  - { id: a, capacity: { cpu: 12, mem: 16384 }, attributes: { class: A, watts: 200 } }
  - { id: d, capacity: { cpu: 12, mem: 16384 }, attributes: { class: D, watts: 200 } }
`;
    const trace = `${HEADER}${[1, 2, 3, 4].map((i) => `dgemm-${i},dgemm,t,0,batch,0,1000,3,32,`).join('\n')}\n`;
    const task_watts = { 'job:dgemm': { watts: 85.903, class_watts: { A: 114.789, D: 81.944 } } };
    const r = await runScenario(dirs(), { cluster, trace, policy: 'elektron-bin-packing', options: { watts_as_resource: true, class_map_watts: true, task_watts } });
    const at = (m: string) => r.tasks.filter((t) => t['start_s'] === 0 && t['machine_id'] === m).length;
    expect([at('a'), at('d')]).toEqual([1, 2]);
  });

  it('intended: a machine class missing from a task\'s class_watts is an input error (faithful counts 0 W)', async () => {
    const options = { ...OPTIONS, class_map_watts: true, task_watts: { '*': { watts: 20, class_watts: { A: 30 } } } };
    const faithful = await runScenario(dirs(), { cluster: CLUSTER, trace: TRACE, policy: 'elektron-bin-packing', options });
    expect(faithful.summary['finished']).toBe(5);
    await runScenario(dirs(), { cluster: CLUSTER, trace: TRACE, policy: 'elektron-bin-packing', options: { ...options, variant: 'intended' } }).then(
      () => expect.unreachable(),
      (error: Error) => {
        expect(isInputError(error)).toBe(true);
        expect(error.message).toContain('machine b has power class "D", which a task_watts entry with class_watts lacks');
      },
    );
  });

  it('a profile naming a power class no machine has is an input error', () => {
    const policy = resolvePolicy('elektron-bin-packing', { task_watts: { '*': { watts: 10, class_watts: { Z: 5 } } } });
    return runScenario(dirs(), { cluster: CLUSTER, trace: TRACE, policy: 'elektron-bin-packing', options: policy.options }).then(
      () => expect.unreachable(),
      (error: Error) => {
        expect(isInputError(error)).toBe(true);
        expect(error.message).toContain('power class "Z"');
      },
    );
  });

  it('rejects a malformed task_watts option with the entry and value', () => {
    let error: Error | undefined;
    try {
      resolvePolicy('elektron-max-min', { task_watts: { 'job:x': -3 } });
    } catch (e) {
      error = e as Error;
    }
    expect(isInputError(error)).toBe(true);
    expect(error?.message).toContain('"job:x" must be watts ≥ 0, got -3');
  });
});

describe('Elektron policy switching', () => {
  const dirs = useTempDirs('elektron-switch');

  it('logs the chosen policy and window to events.arrow; round-robin walks the table in taskDist order', async () => {
    const trace = `${HEADER}${Array.from({ length: 6 }, (_, i) => `t${i},j${i},t,0,batch,${i * 10},5,1,1024,`).join('\n')}\n`;
    const r = await runScenario(dirs(), { cluster: CLUSTER, trace, policy: 'elektron-switching', options: { ...OPTIONS, criteria: 'round-robin', window: 1 } });
    const switches = r.events.filter((e) => e['kind'] === 'policy-switch');
    expect(switches.map((e) => e['detail'])).toEqual(['max-min', 'max-greedymins', 'bin-packing', 'max-min', 'max-greedymins', 'bin-packing']);
    expect(switches.every((e) => e['value'] === 1)).toBe(true);
    expect(r.summary['finished']).toBe(6);
  });

  it('starts with first_policy and rejects one that takes no part', async () => {
    const r = await runScenario(dirs(), { cluster: CLUSTER, trace: TRACE, policy: 'elektron-switching', options: { ...OPTIONS, first_policy: 'bin-packing' } });
    expect(r.events.find((e) => e['kind'] === 'policy-switch')?.['detail']).toBe('bin-packing');
    await expect(runScenario(dirs(), { cluster: CLUSTER, trace: TRACE, policy: 'elektron-switching', options: { first_policy: 'first-fit' } })).rejects.toThrow(
      'Option "first_policy" of policy "elektron-switching" is "first-fit", which takes no part in switching (policies with taskDist > 0: max-min, max-greedymins, bin-packing)',
    );
  });

  it('task-dist picks bin-packing for a window of one power class and max-min for a heavy mix', async () => {
    const one = await runScenario(dirs(), { cluster: CLUSTER, trace: TRACE, policy: 'elektron-switching', options: { watts_as_resource: true } });
    expect(one.events.find((e) => e['kind'] === 'policy-switch')?.['detail']).toBe('bin-packing');
    // 3 light (20 W) vs 2 heavy (60 W) instances: taskDist 1.5, nearest of 0.416 / 6.667 / 10 is max-min
    const mix = await runScenario(dirs(), { cluster: CLUSTER, trace: TRACE, policy: 'elektron-switching', options: OPTIONS });
    const first = mix.events.find((e) => e['kind'] === 'policy-switch');
    expect(first?.['detail']).toBe('max-min');
    expect(first?.['value']).toBe(5);
  });
});
