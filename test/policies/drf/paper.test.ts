// The DRF paper's example (scenario S1) through the drf queue order, and through the CLI as shipped.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { resolvePolicy } from '../../../policies/index.js';
import { main } from '../../../src/cli/main.js';
import { machines, PolicyHarness } from '../../helpers/policy-fixtures.js';
import { readArrowRows } from '../../helpers/arrow.js';
import { useTempDirs } from '../../helpers/temp-dirs.js';

interface PaperScenario {
  readonly agents: readonly { resources: { cpus: number; mem: number } }[];
  readonly tenants: readonly { id: string; taskDemand: { cpus: number; mem: number } }[];
  readonly steps: readonly {
    op: string;
    tieBreak?: string;
    order?: readonly string[];
    alloc?: Readonly<Record<string, { tasks: number; cpus: number; mem: number }>>;
    dominantShares?: Readonly<Record<string, string>>;
    unused?: { cpus: number; mem: number };
  }[];
}

const S1 = JSON.parse(readFileSync(new URL('../../fixtures/drf/S1.json', import.meta.url), 'utf8')) as PaperScenario;

/** Progressive filling on the scenario's pooled machine: tenants submit in `first` order, one round. */
function fill(tieBreak: 'mesos' | 'paper', first: readonly string[]) {
  const pool = (S1.agents[0] as PaperScenario['agents'][number]).resources;
  const h = new PolicyHarness(machines(['cpus', 'mem'], [[pool.cpus, pool.mem]]), resolvePolicy('drf+first-fit', { tie_break: tieBreak }));
  const byId = new Map<string, string>();
  for (const id of first) {
    const demand = (S1.tenants.find((t) => t.id === id) as PaperScenario['tenants'][number]).taskDemand;
    for (let i = 0; i < 6; i++) byId.set(h.submit({ tenant: id, demand: [demand.cpus, demand.mem] }).id, id);
  }
  const picks = h.round().map((p) => byId.get(p.id) as string);
  const alloc: Record<string, { tasks: number; cpus: number; mem: number }> = {};
  for (const task of h.running) {
    const a = (alloc[task.tenant] ??= { tasks: 0, cpus: 0, mem: 0 });
    a.tasks++;
    a.cpus += task.demand[0] as number;
    a.mem += task.demand[1] as number;
  }
  return { picks, alloc, free: [h.view.free(0, 0), h.view.free(0, 1)], pool };
}

describe('DRF paper example (S1): progressive filling on 9 CPU / 18 GB', () => {
  const step = (op: string) => S1.steps.find((s) => s.op === op) as PaperScenario['steps'][number];

  it('with the paper tie-break and B seen first, picks B, A, A, B, A and ends at A 3 tasks, B 2, both dominant shares 2/3', () => {
    expect(step('progressiveFill').tieBreak).toBe('B-first');
    const { picks, alloc, free, pool } = fill('paper', ['B', 'A']);
    expect(picks).toEqual(step('expectPicks').order);
    const final = step('expectFinal');
    expect(alloc).toEqual(final.alloc);
    expect(free).toEqual([final.unused?.cpus, final.unused?.mem]);
    for (const [tenant, share] of Object.entries(final.dominantShares ?? {})) {
      const a = alloc[tenant] as { cpus: number; mem: number };
      const [num, den] = share.split('/').map(Number) as [number, number];
      expect(Math.max(a.cpus / pool.cpus, a.mem / pool.mem)).toBeCloseTo(num / den, 12);
    }
  });

  it("with Mesos' tie-break (count, then name) A goes first at 0/0: A, B, A, B, A, same final allocation", () => {
    const { picks, alloc } = fill('mesos', ['B', 'A']);
    expect(picks).toEqual(['A', 'B', 'A', 'B', 'A']);
    expect(alloc).toEqual(step('expectFinal').alloc);
  });
});

describe('DRF paper example through the CLI (experiments/drf-paper.yaml)', () => {
  const temp = useTempDirs('drf-paper');

  it('drf+first-fit starts 3 of A and 2 of B at time 0; fifo+first-fit 4 of A and 1 of B; mesos offers the whole machine to A, then the rest to B a tick later', async () => {
    const out = temp();
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['run', 'experiments/drf-paper.yaml', '--out', out, '--quiet'])).toBe(0);
    } finally {
      vi.restoreAllMocks();
    }
    const startedAtZero = (run: string) => {
      const rows = readArrowRows(join(out, 'drf-paper', run, 'tasks.arrow')).filter((r) => r['start_s'] === 0);
      return { A: rows.filter((r) => r['tenant'] === 'A').length, B: rows.filter((r) => r['tenant'] === 'B').length };
    };
    expect(startedAtZero('drf+first-fit-seed1')).toEqual({ A: 3, B: 2 });
    expect(startedAtZero('fifo+first-fit-seed1')).toEqual({ A: 4, B: 1 });
    expect(startedAtZero('mesos-seed1')).toEqual({ A: 4, B: 0 });
    const mesosTasks = readArrowRows(join(out, 'drf-paper', 'mesos-seed1', 'tasks.arrow'));
    expect(mesosTasks.filter((r) => r['start_s'] === 1).map((r) => r['task_id'])).toEqual(['b0']);
    const events = readArrowRows(join(out, 'drf-paper', 'mesos-seed1', 'events.arrow')).filter((r) => (r['time_s'] as number) <= 1);
    expect(events.map((r) => [r['time_s'], r['kind'], r['detail'] ?? r['task_id']])).toEqual([
      [0, 'offer', 'A'],
      [0, 'offer-launch', 'a0'],
      [0, 'offer-launch', 'a1'],
      [0, 'offer-launch', 'a2'],
      [0, 'offer-launch', 'a3'],
      [0, 'offer-declined', 'A'],
      [1, 'offer', 'B'],
      [1, 'offer-launch', 'b0'],
      [1, 'offer-declined', 'B'],
    ]);
  });
});
