// Fenzo reference scenarios S16, S18 and S20: the autoscaler's scale-down, naive shortfall and balanced removal.
import { describe, expect, it } from 'vitest';
import { resolveController, resolvePolicy } from '../../../policies/index.js';
import type { Micros } from '../../../src/engine/time.js';
import type { ClusterSpec } from '../../../src/model/cluster-spec.js';
import type { Attributes } from '../../../src/model/constraints.js';
import { parseTaskConstraints } from '../../../src/model/constraints.js';
import type { EventRecord } from '../../../src/policy.js';
import { FENZO_RESOURCES, expandIds, loadScenario } from '../../helpers/fenzo-scenario.js';
import { simulate, taskSpec } from '../../helpers/policy-fixtures.js';

const S = 1_000_000;

interface Rule {
  name: string;
  minIdle: number;
  maxIdle: number;
  coolDownSecs: number;
  idleTooSmall: { cpusBelow: number; memMBBelow: number };
}
interface Autoscaled {
  policy: { fitness: string; autoscale: { groupAttr: string; scaleDownBalancedBy?: string; rules: Rule[] } };
  expected: Record<string, unknown>;
}

function group(name: string, ids: string[], capacity: number[], attributes: Attributes) {
  return { name, ids, capacity: Float64Array.from(capacity), speed: 1, attributes };
}

function spec(groups: ClusterSpec['groups']): ClusterSpec {
  return { file: 'fenzo-autoscale', resources: { names: [...FENZO_RESOURCES], units: ['cpus', 'MB', 'Mbps', 'ports'] }, groups };
}

function controller(s: Autoscaled, addGroup: string, extra: Record<string, unknown> = {}) {
  const rules = Object.fromEntries(
    s.policy.autoscale.rules.map((r) => [
      r.name,
      { minIdle: r.minIdle, maxIdle: r.maxIdle, coolDown: r.coolDownSecs, tooSmall: { cpu: r.idleTooSmall.cpusBelow, mem: r.idleTooSmall.memMBBelow }, addGroup },
    ]),
  );
  return resolveController('fenzo-autoscaler', { groupBy: s.policy.autoscale.groupAttr, rules, interval: 1, ...extra });
}

/** Tasks that outlast the test's horizon (their finish events keep the run and its ticks going); `text` in the trace constraints grammar. */
function longTasks(ids: string, demand: number[], submit: Micros, text = '') {
  const { constraints, rules } = parseTaskConstraints(text);
  return expandIds(ids).map((id) => taskSpec({ id, demand, submit, duration: 100 * S, constraints, rules }, id));
}

async function events(cluster: ClusterSpec, tasks: ReturnType<typeof longTasks>, fitness: string, setup: ReturnType<typeof controller>, horizon: Micros) {
  const seen: { time: Micros; event: EventRecord; ids: string[] }[] = [];
  const { sim } = await simulate(cluster, tasks, resolvePolicy('fifo+fenzo', { fitness }), {
    controllers: [setup],
    horizon,
    onEvent: (event, s) => {
      if (event.kind.startsWith('scale-') || event.kind === 'machine-remove') seen.push({ time: s.now, event, ids: event.machine !== undefined && event.machine >= 0 ? [s.cluster.ids[event.machine] as string] : [] });
    },
  });
  return { seen, sim };
}

describe('Fenzo autoscaler scenarios', () => {
  it('S16: 12 idle hosts above maxIdle 10 lose 2 in the first scale-down, once', async () => {
    const s = loadScenario<Autoscaled>('S16');
    const cluster = spec([group('4coreServers', expandIds('host0..host12'), [4, 40000, 0, 10], { MachineType: '4coreServers' })]);
    const { seen } = await events(cluster, longTasks('t1..t4', [1, 1000, 0, 1], 0), s.policy.fitness, controller(s, '4coreServers'), 10 * S);
    const downs = seen.filter((e) => e.event.kind === 'scale-down');
    expect(downs.length).toBeGreaterThanOrEqual(1);
    expect(downs[0]?.event.value).toBe(s.expected['hostsInFirstScaleDown']);
    expect(downs.length).toBe(1);
    // the cool-down and the startup grace (min(cool-down, 120 s)): first evaluation at 0, action after 2 s
    expect(downs[0]?.time).toBe(3 * S);
    expect(seen.filter((e) => e.event.kind === 'machine-remove').flatMap((e) => e.ids)).toEqual(['host9', 'host8']);
  });

  it('S18: the naive shortfall adds one machine per failed task and ignores the cool-down', async () => {
    const s = loadScenario<Autoscaled>('S18');
    const cluster = spec([
      group('other', ['host0', 'host1'], [1, 1000, 0, 10], {}),
      group('pool', [], [1, 1000, 0, 10], { MachineType: '4coreServers' }),
    ]);
    const tasks = [...longTasks('t1..t2', [1, 1000, 0, 1], 0), ...longTasks('t3..t20', [1, 1000, 0, 1], 3 * S), ...longTasks('u1..u30', [1, 1000, 0, 1], 3.5 * S)];
    const { seen } = await events(cluster, tasks, s.policy.fitness, controller(s, 'pool', { provisioningDelay: 60 }), 5 * S);
    const ups = seen.filter((e) => e.event.kind === 'scale-up').map((e) => [e.time / S, e.event.value]);
    const steps = (s as unknown as { policy: unknown; steps: { expected?: { scaleUpCount: number } }[] }).steps;
    expect(ups).toEqual([
      [3, steps[1]?.expected?.scaleUpCount],
      [4, steps[2]?.expected?.scaleUpCount],
    ]);
  });

  it('S20: removals balanced over zones leave 4 idle hosts in each', async () => {
    const s = loadScenario<Autoscaled & { policy: { autoscale: { scaleDownBalancedBy: string } } }>('S20');
    const ids = expandIds('host0..host17');
    const cluster = spec([0, 1, 2].map((z) => group(`zone${z}`, ids.filter((_, n) => n % 3 === z), [4, 40000, 0, 10], { MachineType: '4coreServers', Zone: String(z) })));
    const tasks = longTasks('t1..t8', [1, 10000, 0, 1], 0, 'Zone=1');
    const { seen, sim } = await events(cluster, tasks, s.policy.fitness, controller(s, 'zone0', { scaleDownBalancedBy: s.policy.autoscale.scaleDownBalancedBy }), 10 * S);
    expect(seen.some((e) => e.event.kind === 'scale-up')).toBe(false);
    const idle: Record<string, number> = {};
    for (let m = 0; m < sim.cluster.size; m++) {
      if (sim.cluster.up[m] !== 1 || sim.cluster.running[m] !== 0) continue;
      const zone = (sim.cluster.attributes[m] as Attributes)['Zone'] as string;
      idle[zone] = (idle[zone] ?? 0) + 1;
    }
    expect(idle).toEqual(s.expected['remainingHostsPerZone']);
  });
});

describe('shortfall evaluators', () => {
  // one busy 4-cpu machine; five 1-cpu tasks fail to place at t=0
  const cluster = spec([group('pool', ['pool-0'], [4, 1000, 0, 10], {})]);
  const tasks = (text: string) => [...longTasks('A1..A1', [4, 1, 0, 1], 0), ...longTasks('t1..t5', [1, 1, 0, 1], 0, text).map((t) => ({ ...t, job: 'j' }))];
  const firstScaleUp = async (options: Record<string, unknown>, text = '') => {
    const setup = resolveController('fenzo-autoscaler', { rules: { pool: { minIdle: 1, maxIdle: 1, coolDown: 60 } }, provisioningDelay: 30, ...options });
    const { seen } = await events(cluster, tasks(text), 'default', setup, 2 * S);
    return seen.find((e) => e.event.kind === 'scale-up')?.event.value;
  };
  it('naive: one machine per failed task', async () => {
    expect(await firstScaleUp({ shortfall: 'naive' })).toBe(5);
  });
  it('optimizing: the five tasks pack onto two clones of the 4-cpu machine', async () => {
    expect(await firstScaleUp({ shortfall: 'optimizing' })).toBe(2);
  });
  it('optimizing keeps the constraints: unique hosts need five clones, unless maxSize caps them', async () => {
    expect(await firstScaleUp({ shortfall: 'optimizing' }, 'unique')).toBe(5);
    expect(await firstScaleUp({ shortfall: 'optimizing', rules: { pool: { minIdle: 1, maxIdle: 1, coolDown: 60, maxSize: 4 } } }, 'unique')).toBe(3);
  });
});

describe('delayed actions', () => {
  it('S16 with delayDown 2: asked at 3 s, still called for at 5 s (between 1× and 2× the delay), removed then', async () => {
    const s = loadScenario<Autoscaled>('S16');
    const cluster = spec([group('4coreServers', expandIds('host0..host12'), [4, 40000, 0, 10], { MachineType: '4coreServers' })]);
    const { seen } = await events(cluster, longTasks('t1..t4', [1, 1000, 0, 1], 0), s.policy.fitness, controller(s, '4coreServers', { delayDown: 2 }), 10 * S);
    expect(seen.filter((e) => e.event.kind === 'scale-down').map((e) => [e.time / S, e.event.value])).toEqual([[5, 2]]);
  });
});
