// Fenzo reference scenarios S13 (group limits) and S14 (tiered queue SLAs), and the queues' hand-worked orders.
import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../../policies/index.js';
import { fenzoRun } from '../../../policies/fenzo/run-state.js';
import { fenzoCluster, fenzoTasks, loadScenario, type HostJson, type TaskJson } from '../../helpers/fenzo-scenario.js';
import { PolicyHarness } from '../../helpers/policy-fixtures.js';

type Caps = Record<string, Record<string, number>>;

/** Scenario resource maps use Fenzo's names; the scenario cluster's resources are cpu, mem, network, ports. */
function caps(map: Record<string, Record<string, number>>): Caps {
  const rename: Record<string, string> = { cpus: 'cpu', memMB: 'mem', networkMbps: 'network' };
  return Object.fromEntries(
    Object.entries(map).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).filter(([r]) => r in rename).map(([r, q]) => [rename[r] as string, q]))]),
  );
}

function counts(h: PolicyHarness, tenantOf: Map<string, string>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const p of h.log) {
    const t = tenantOf.get(p.id) as string;
    out[t] = (out[t] ?? 0) + 1;
  }
  return out;
}

describe('Fenzo S13: per-group resource limits', () => {
  interface S13 {
    policy: { fitness: string; resAllocs: Caps };
    hosts: HostJson[];
    tasks: [{ repeat: number; sequence: TaskJson[] }];
    expected: { assigned: Record<string, number>; failures: number };
  }
  const s = loadScenario<S13>('S13');
  it('App1 stops at its 4-cpu cap, App2 places all five; one task is held back', () => {
    const h = new PolicyHarness(fenzoCluster(s.hosts), resolvePolicy('fenzo-queue+fenzo', { fitness: s.policy.fitness, resAllocs: caps(s.policy.resAllocs) }));
    const tenantOf = new Map<string, string>();
    const entry = s.tasks[0];
    for (let i = 0; i < entry.repeat; i++) {
      for (const t of entry.sequence) {
        const task = h.submit(fenzoTasks(t)[0] as never);
        tenantOf.set(task.id, task.tenant);
      }
    }
    h.round();
    expect(counts(h, tenantOf)).toEqual(s.expected.assigned);
    expect(h.pending.size).toBe(s.expected.failures);
    expect(fenzoRun(h.view).heldBack.size).toBe(s.expected.failures);
  });
  it('a task of a group without limits is held back once any limits exist', () => {
    const h = new PolicyHarness(fenzoCluster(s.hosts), resolvePolicy('fenzo-queue+fenzo', { resAllocs: { App1: { cpu: 4 } } }));
    h.submit({ id: 'x', tenant: 'App3', demand: [1, 1, 0, 0] });
    expect(h.round()).toEqual([]);
  });
});

describe('Fenzo S14: weighted DRF across the buckets of a tier', () => {
  interface S14 {
    policy: { queue: { sla: { tier0: Caps } } };
    hosts: HostJson[];
    tasks: (TaskJson & { bucket: string })[];
    expected: { assignedByBucket: Record<string, number> };
    phase2_testTierSlas2: { newSla: Caps & { tier0Capacity: Record<string, number> }; expected: { newlyAssignedByBucket: Record<string, number> } };
  }
  const s = loadScenario<S14>('S14');
  const run = (h: PolicyHarness, tenantOf: Map<string, string>, tasks: readonly (TaskJson & { bucket: string })[]) => {
    for (const t of tasks) for (const input of fenzoTasks(t, t.bucket)) tenantOf.set(h.submit(input).id, t.bucket);
    h.round();
  };
  it('phase 1: each bucket gets exactly its guarantee (tier capacity = sum of allocations)', () => {
    const h = new PolicyHarness(fenzoCluster(s.hosts), resolvePolicy('fenzo-tiers+fenzo', { sla: caps(s.policy.queue.sla.tier0) }));
    const tenantOf = new Map<string, string>();
    run(h, tenantOf, s.tasks);
    expect(counts(h, tenantOf)).toEqual(s.expected.assignedByBucket);
  });
  it('phase 2: under the new SLA and doubled hosts, A borrows 10, B nothing, C 30', () => {
    const { tier0Capacity, ...allocs } = s.phase2_testTierSlas2.newSla;
    const sla = caps(Object.fromEntries(Object.entries(allocs).filter(([k]) => k.length === 1)) as Caps);
    const hosts = s.hosts.map((h) => ({ ...h, cpus: 2 * (h.cpus ?? 0), memMB: 2 * (h.memMB ?? 0), networkMbps: 2 * (h.networkMbps ?? 0), ports: [[1, 200]] as [number, number][] }));
    const h = new PolicyHarness(fenzoCluster(hosts), resolvePolicy('fenzo-tiers+fenzo', { sla, tierCapacity: caps({ 0: tier0Capacity }) }));
    const tenantOf = new Map<string, string>();
    // phase 1 left A 10, B 20 and C 10 running
    for (const [bucket, n] of Object.entries(s.expected.assignedByBucket)) run(h, tenantOf, [{ ...(s.tasks[0] as TaskJson), bucket, count: n }]);
    expect(counts(h, tenantOf)).toEqual(s.expected.assignedByBucket);
    const before = h.log.length;
    // the queue keeps phase 1's unplaced tasks (25 − placed per bucket) and gets 25 more per bucket
    run(h, tenantOf, s.tasks.map((t) => ({ ...t, count: 2 * (t.count ?? 0) - (s.expected.assignedByBucket[t.bucket] ?? 0) })));
    const added: Record<string, number> = { A: 0, B: 0, C: 0 };
    for (const p of h.log.slice(before)) added[tenantOf.get(p.id) as string] = (added[tenantOf.get(p.id) as string] ?? 0) + 1;
    expect(added).toEqual(s.phase2_testTierSlas2.expected.newlyAssignedByBucket);
  });
  it('tiers are strict: tier 1 waits while tier 0 has tasks that fit', () => {
    const h = new PolicyHarness(fenzoCluster([{ id: 'host0', cpus: 2, memMB: 10, ports: [[1, 10]] }]), resolvePolicy('fenzo-tiers+fenzo', { tiers: { low: 1, high: 0 } }));
    h.submit({ id: 'l1', tenant: 'low', demand: [1, 1, 0, 0] });
    h.submit({ id: 'h1', tenant: 'high', demand: [1, 1, 0, 0] });
    h.submit({ id: 'h2', tenant: 'high', demand: [1, 1, 0, 0] });
    expect(h.round().map((p) => p.id)).toEqual(['h1', 'h2']);
  });
  it('without an SLA, buckets alternate by dominant share of the tier usage, ties by name', () => {
    const h = new PolicyHarness(fenzoCluster([{ id: 'host0', cpus: 10, memMB: 100, ports: [[1, 10]] }]), resolvePolicy('fenzo-tiers+fenzo', {}));
    for (let i = 0; i < 2; i++) h.submit({ id: `b${i}`, tenant: 'b', demand: [1, 1, 0, 0] });
    for (let i = 0; i < 2; i++) h.submit({ id: `a${i}`, tenant: 'a', demand: [2, 1, 0, 0] });
    // a0 (tie, name) → a 100%; b0 → b 1/3; b1 → b 2/4; a1
    expect(h.round().map((p) => p.id)).toEqual(['a0', 'b0', 'b1', 'a1']);
  });
});
