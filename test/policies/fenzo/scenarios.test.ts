// Fenzo reference scenarios S1–S11 (test/fixtures/fenzo): exact placements through the fifo+fenzo policy.
import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../../policies/index.js';
import { fenzoCluster, fenzoTasks, loadScenario, type HostJson, type TaskJson } from '../../helpers/fenzo-scenario.js';
import { PolicyHarness, type Placed } from '../../helpers/policy-fixtures.js';

interface Simple {
  readonly policy: { readonly fitness: string; readonly variants?: readonly string[] };
  readonly hosts: readonly HostJson[];
  readonly tasks: readonly TaskJson[];
  readonly expected: Readonly<Record<string, number | Readonly<Record<string, number>>>>;
}

function harness(hosts: readonly HostJson[], fitness: string, options: Record<string, unknown> = {}, attributes?: (id: string) => Record<string, string>): PolicyHarness {
  return new PolicyHarness(fenzoCluster(hosts, attributes), resolvePolicy('fifo+fenzo', { fitness, ...options }));
}

/** Runs every task of the scenario in one round (one Fenzo iteration); returns host id per placed task. */
function oneRound(h: PolicyHarness, tasks: readonly TaskJson[]): Map<string, string> {
  for (const entry of tasks) for (const t of fenzoTasks(entry)) h.submit(t);
  return byHost(h, h.round());
}

function byHost(h: PolicyHarness, placed: readonly Placed[]): Map<string, string> {
  return new Map(placed.map((p) => [p.id, h.cluster.ids[p.machine] as string]));
}

function hostCounts(assignment: Map<string, string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const host of assignment.values()) counts.set(host, (counts.get(host) ?? 0) + 1);
  return counts;
}

describe('Fenzo S1/S2: resources are hard limits', () => {
  for (const name of ['S1', 'S2']) {
    it(`${name}: ${name === 'S1' ? 'offers on one host add up; memory binds' : 'network bandwidth binds'}`, () => {
      const s = loadScenario<Simple>(name);
      const assigned = oneRound(harness(s.hosts, s.policy.fitness), s.tasks);
      expect(hostCounts(assigned).size).toBe(s.expected['hostsInResult']);
      expect(assigned.size).toBe(s.expected['tasksAssigned']);
    });
  }
});

describe('Fenzo S3: bin packing prefers the small hosts', () => {
  const s = loadScenario<Simple>('S3');
  for (const fitness of [s.policy.fitness, ...(s.policy.variants ?? [])]) {
    for (const mode of ['exact', 'indexed']) {
      it(`${fitness} (${mode}): 10 small hosts full, the 41st task on host0`, () => {
        const assigned = oneRound(harness(s.hosts, fitness, { mode }), s.tasks);
        const counts = hostCounts(assigned);
        expect(counts.size).toBe(s.expected['hostsInResult']);
        const shapes = s.expected['hostsUsedByShape'] as Record<string, number>;
        expect([...counts.keys()].filter((h) => Number(h.slice(4)) >= 10).length).toBe(shapes['4cpu']);
        expect([...counts.keys()].filter((h) => Number(h.slice(4)) < 10).length).toBe(shapes['8cpu']);
        for (let i = 10; i < 20; i++) expect(counts.get(`host${i}`)).toBe(4);
        expect(assigned.get('t41')).toBe('host0');
      });
    }
  }
});

describe('Fenzo S5: running tasks count toward packing', () => {
  it('t1 on host0, t2 on the other host, t3 on the fuller host2 (0.75 against 0.5)', () => {
    const h = harness([{ ids: 'host0..host1', cpus: 4, memMB: 100, ports: [[1, 10]] }], 'cpuBinPacker');
    h.submit({ id: 't1', demand: [1, 10, 0, 1] });
    const step1 = byHost(h, h.round());
    expect(step1.size).toBe(1);
    const h1 = step1.get('t1') as string;
    expect(h1).toBe('host0');
    // step 2 offers nothing for H1 (its lease went with t1): its remaining room is held by a placeholder
    const m1 = h.cluster.ids.indexOf(h1);
    const hold = h.occupy(m1, [3, 90, 0, 9]);
    h.submit({ id: 't2', demand: [2, 10, 0, 1] });
    const h2 = byHost(h, h.round()).get('t2');
    expect(h2).toBe('host1');
    h.finish(hold);
    h.submit({ id: 't3', demand: [1, 10, 0, 1] });
    expect(byHost(h, h.round()).get('t3')).toBe(h2);
  });
});

describe('Fenzo S6: spreaders put one task per host', () => {
  const s = loadScenario<Simple>('S6');
  for (const fitness of [s.policy.fitness, ...(s.policy.variants ?? [])]) {
    for (const mode of ['exact', 'indexed']) {
      it(`${fitness} (${mode})`, () => {
        const counts = hostCounts(oneRound(harness(s.hosts, fitness, { mode }), s.tasks));
        expect(counts.size).toBe(s.expected['hostsInResult']);
        expect(Math.max(...counts.values())).toBe(s.expected['maxTasksPerHost']);
      });
    }
  }
});

describe('Fenzo S8/S10: unique and balanced zones', () => {
  const s8 = loadScenario<Simple>('S8');
  it('S8: hard unique zone spreads the three co-tasks over three hosts', () => {
    expect(hostCounts(oneRound(harness(s8.hosts, s8.policy.fitness), s8.tasks)).size).toBe(s8.expected['hostsInResult']);
  });
  it('S8 without the constraint: bin packing stacks all three on one host (testHardConstraint2)', () => {
    const plain = s8.tasks.map((t) => ({ ...t, hard: [] }));
    expect(hostCounts(oneRound(harness(s8.hosts, s8.policy.fitness), plain)).size).toBe(1);
  });
  const s10 = loadScenario<Simple & { variants: unknown }>('S10');
  const soft = s10.tasks;
  const hard = soft.map((t) => ({ ...t, soft: [], hard: (t.soft ?? []).map((c) => ({ ...c, type: 'BalancedHostAttr' })) }));
  for (const [form, tasks] of [['soft', soft], ['hard', hard]] as const) {
    it(`S10 ${form}: six co-tasks, two per zone`, () => {
      const counts = hostCounts(oneRound(harness(s8.hosts, s10.policy.fitness), tasks));
      expect(counts.size).toBe(s10.expected['hostsInResult']);
      expect([...counts.values()]).toEqual([2, 2, 2].map(() => s10.expected['tasksPerHost']));
    });
  }
});

describe('Fenzo S11: exclusive host', () => {
  interface S11 {
    readonly a: { readonly hosts: readonly HostJson[] };
  }
  const s = loadScenario<S11>('S11');
  it('a: the exclusive task avoids the busy host while the plain one joins it', () => {
    const h = harness(s.a.hosts, 'cpuMemBinPacker');
    h.submit({ id: 't1', demand: [1, 1000, 0, 1] });
    const host = byHost(h, h.round()).get('t1');
    h.submit({ id: 'noC', demand: [1, 1000, 0, 1] });
    h.submit(fenzoTasks({ id: 'yesC', cpus: 1, memMB: 1000, ports: 1, hard: [{ type: 'ExclusiveHost' }] })[0] as never);
    const step2 = byHost(h, h.round());
    expect(hostCounts(step2).size).toBe(2);
    expect(step2.get('noC')).toBe(host);
    expect(step2.get('yesC')).not.toBe(host);
  });
  it('b: a running exclusive task locks its host until another host joins', () => {
    const h = harness([{ id: 'hostA', cpus: 8, memMB: 8000, ports: [[1, 10]] }, { id: 'hostB', cpus: 8, memMB: 8000, ports: [[1, 10]] }], 'cpuMemBinPacker');
    h.setUp(1, false);
    h.submit(fenzoTasks({ id: 'x', cpus: 1, memMB: 1000, ports: 1, hard: [{ type: 'ExclusiveHost' }] })[0] as never);
    expect(byHost(h, h.round()).get('x')).toBe('hostA');
    h.submit({ id: 'y', demand: [1, 1000, 0, 1] });
    expect(h.round()).toEqual([]);
    h.setUp(1, true);
    h.scheduler.machineChanged?.(1);
    expect(byHost(h, h.round()).get('y')).toBe('hostB');
  });
});
