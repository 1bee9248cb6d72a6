// The misfit memories (fenzo placement, composed rounds): turning known misfits down at once never changes a decision.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { resolvePolicy } from '../../../policies/index.js';
import { Misfits } from '../../../policies/fenzo/misfits.js';
import { WaitingMisfits } from '../../../policies/waiting-misfits.js';
import { parseTaskConstraints } from '../../../src/model/constraints.js';
import type { TaskSpec } from '../../../src/model/task.js';
import type { ClusterView, Policy } from '../../../src/policy.js';
import { arbMachineEvents, forgetful } from '../../helpers/misfit-fixtures.js';
import { arbScenario, simulate, type Scenario } from '../../helpers/policy-fixtures.js';

const RULES = ['', '', '', 'unique(zone)', 'exclusive', '~exclusive', 'HOSTNAME!=g0-0', '~balanced(zone:2)'];

const arbRun = arbScenario(30).chain((s) =>
  fc.record({ s: fc.constant(s), picks: fc.array(fc.nat(), { minLength: 30, maxLength: 30 }), events: arbMachineEvents(s.spec.resources.names.length), shared: fc.boolean() }),
);

/** The scenario's tasks, with co-task rules if asked, and equal demands as one shared array if `shared` (as the synthetic generator makes them). */
function tasksOf(s: Scenario, picks: readonly number[], rules: boolean, shared: boolean): TaskSpec[] {
  const demands = new Map<string, Float64Array>();
  const intern = (demand: Float64Array): Float64Array => {
    const key = demand.join(',');
    if (!demands.has(key)) demands.set(key, demand);
    return demands.get(key) as Float64Array;
  };
  return s.tasks.map((t, i) => ({
    ...t,
    ...(shared ? { demand: intern(t.demand) } : {}),
    ...(rules ? { job: `j${i % 3}`, rules: parseTaskConstraints(RULES[(picks[i] ?? 0) % RULES.length] as string).rules } : {}),
  }));
}

describe('the misfit memory decides as no memory', () => {
  const variants: [string, string, Record<string, unknown>, boolean][] = [
    ['exact cpuBinPacker', 'fifo+fenzo', { fitness: 'cpuBinPacker' }, false],
    ['indexed cpuBinPacker', 'fifo+fenzo', { fitness: 'cpuBinPacker', mode: 'indexed' }, false],
    ['indexed default', 'fifo+fenzo', { mode: 'indexed' }, false],
    ['indexed memorySpreader', 'fifo+fenzo', { fitness: 'memorySpreader', mode: 'indexed', spreaderFillVeto: false }, false],
    ['exact default with co-task rules', 'fifo+fenzo', {}, true],
    ['tiered queue, indexed cpuBinPacker with rules', 'fenzo-tiers+fenzo', { fitness: 'cpuBinPacker', mode: 'indexed', tiers: { a: 0, b: 1 } }, true],
    // composed rounds' memory (WaitingMisfits) under other placements; the forgetful view makes every round ask about every task
    ['fifo+best-fit', 'fifo+best-fit', {}, false],
    ['fifo+first-fit', 'fifo+first-fit', {}, false],
  ];
  for (const [label, name, options, rules] of variants) {
    it(`${label}: same decisions and outcomes over generated runs with machine changes`, async () => {
      await fc.assert(
        fc.asyncProperty(arbRun, async ({ s, picks, events, shared }) => {
          const tasks = tasksOf(s, picks, rules, shared);
          const run = (policy: Policy) => simulate(s.spec, tasks, policy, { chunkSize: s.chunkSize, machineEvents: events, maxAttempts: 2 });
          const [remembering, forgetting] = [await run(resolvePolicy(name, options as never)), await run(forgetful(resolvePolicy(name, options as never)))];
          const show = (r: Awaited<ReturnType<typeof run>>) => ({ decisions: r.decisions, ended: r.ended.map((t) => `${t.id}#${t.attempt} ${t.state} ${t.machine} ${t.start}-${t.end}`) });
          expect(show(remembering)).toEqual(show(forgetting));
        }),
        { numRuns: 100 },
      );
    });
  }
});

describe('Misfits', () => {
  it('knows a task while no machine that grew since it was remembered fits it', () => {
    const grown = [7, 2, 5, 7];
    const fitsOn = new Set<number>();
    const view = { grew: 1, grownMachine: (k: number) => grown[k] ?? -1, fits: (_: unknown, m: number) => fitsOn.has(m) } as unknown as ClusterView & { grew: number };
    const misfits = new Misfits(view);
    const task = { uid: 5000 } as Parameters<Misfits['known']>[0];
    const other = { uid: 3 } as Parameters<Misfits['known']>[0];
    expect(misfits.known(task)).toBe(false);
    misfits.remember(task);
    expect(misfits.known(task)).toBe(true);
    expect(misfits.known(other)).toBe(false);
    view.grew = 3;
    expect(misfits.known(task)).toBe(true);
    fitsOn.add(7);
    expect(misfits.known(task)).toBe(true);
    view.grew = 4;
    expect(misfits.known(task)).toBe(false);
    view.grew = 40;
    fitsOn.clear();
    expect(misfits.known(task)).toBe(false);
  });
});

describe('WaitingMisfits', () => {
  it('knows a shape turned down this round only by the very same demand and constraints arrays', () => {
    const view = { resources: { names: ['cpu', 'mem'] }, grew: 0 } as unknown as ClusterView;
    const waiting = new WaitingMisfits(view);
    const demand = Float64Array.of(4, 8);
    const zoneA = [{ attribute: 'zone', op: 'eq', values: ['a'] }] as const;
    const task = (d: Float64Array, constraints: TaskSpec['constraints'] = []) => ({ uid: 0, demand: d, constraints }) as unknown as Parameters<WaitingMisfits['refused']>[0];
    const none: TaskSpec['constraints'] = [];
    waiting.start(false);
    waiting.refused(task(demand, none));
    expect(waiting.sameShape(task(demand, none))).toBe(true);
    expect(waiting.sameShape(task(demand, zoneA))).toBe(false);
    expect(waiting.sameShape(task(Float64Array.of(4, 8), none))).toBe(false);
    waiting.start(true);
    expect(waiting.sameShape(task(demand, none))).toBe(false);
  });

  it('a composed round carries the minimum over only after skipping the tasks left waiting, and hears again of each that a filtering round passes over', async () => {
    const spies = (['plan', 'start', 'mayFitNow', 'sameShape', 'refused'] as const).map((name) => [name, vi.spyOn(WaitingMisfits.prototype, name)] as const);
    try {
      for (const { s, picks, events, shared } of fc.sample(arbRun, { numRuns: 60, seed: 7 })) {
        await simulate(s.spec, tasksOf(s, picks, false, shared), resolvePolicy('fifo+best-fit', {} as never), { chunkSize: s.chunkSize, machineEvents: events, maxAttempts: 2 });
      }
      // every call, in the order made: name, argument, result
      const calls = spies
        .flatMap(([name, spy]) => spy.mock.invocationCallOrder.map((order, i) => ({ order, name, arg: spy.mock.calls[i]?.[0] as unknown, result: spy.mock.results[i]?.value as unknown })))
        .sort((a, b) => a.order - b.order);
      let filtered = 0;
      let passedOver = 0;
      calls.forEach((call, i) => {
        if (call.name === 'plan') {
          expect(calls[i + 1]).toMatchObject({ name: 'start', arg: call.result === 'skip' });
          if (call.result === 'filter') filtered++;
        }
        if (call.name === 'mayFitNow' && call.result === false) {
          passedOver++;
          // the memory is told of it, unless a task of the very same shape was refused this round
          expect(calls[i + 1]).toMatchObject({ name: 'sameShape', arg: call.arg });
          if (calls[i + 1]?.result === false) expect(calls[i + 2]).toMatchObject({ name: 'refused', arg: call.arg });
        }
      });
      // the generated runs do filter, and pass tasks over
      expect(filtered).toBeGreaterThan(0);
      expect(passedOver).toBeGreaterThan(0);
    } finally {
      vi.restoreAllMocks();
    }
  });
});
