// The power reference scenarios (test/fixtures/power, from reference/power.md §5) with their exact numbers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExtremaRule } from '../../policies/capping/extrema-rule.js';
import { MeanWindow } from '../../policies/capping/window.js';
import { binPackingPacker } from '../../policies/elektron/bin-packing.js';
import { firstFitPacker } from '../../policies/elektron/first-fit.js';
import { maxGreedyMinsPacker } from '../../policies/elektron/max-greedy-mins.js';
import { maxMinPacker } from '../../policies/elektron/max-min.js';
import { byWatts, type Entry, type Offer, type OfferPacker } from '../../policies/elektron/offers.js';
import { chooseByTaskDist, switchTable, taskDistOf, twoMeansSplit } from '../../policies/elektron/task-dist.js';
import { curveModel, tableModel, type CurveKind } from '../../src/power/models.js';
import { raplLimitUw } from '../../src/power/rapl.js';
import { trapezoidEnergy } from '../../src/power/trapezoid.js';

/** Reads a scenario file as the shape its test declares. */
function load<T>(id: string): T {
  return JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'power', `${id}.json`), 'utf8')) as T;
}
interface Offer_ {
  readonly host?: string;
  readonly class?: string;
  readonly cpu: number;
  readonly mem: number;
  readonly watts: number;
}
type Placements = Record<string, unknown>;

describe('SPEC-INTERP-1', () => {
  const s = load<{ model: { table_w: number[] }; cases: { u: number; w: number }[]; tolerance: number }>('SPEC-INTERP-1');
  const model = tableModel(s.model.table_w);
  for (const c of s.cases) it(`u = ${c.u} draws ${c.w} W`, () => expect(Math.abs(model.power(c.u) - c.w)).toBeLessThanOrEqual(s.tolerance));
});

describe('ANALYTIC-CURVES-1', () => {
  const s = load<{ cases: { model: string; max_w: number; static_pct: number; u: number; w?: number; w_cloudsim?: number; w_idle_aware?: number }[]; tolerance: number }>('ANALYTIC-CURVES-1');
  for (const c of s.cases) {
    it(`${c.model} max ${c.max_w} W static ${c.static_pct} at u = ${c.u}`, () => {
      const idle = c.static_pct * c.max_w;
      const aware = curveModel(c.model as CurveKind, idle, c.max_w);
      const cloudsim = curveModel(c.model as CurveKind, idle, c.max_w, true);
      if (c.w !== undefined) {
        expect(Math.abs(aware.power(c.u) - c.w)).toBeLessThanOrEqual(s.tolerance);
        expect(Math.abs(cloudsim.power(c.u) - c.w)).toBeLessThanOrEqual(s.tolerance);
      } else {
        expect(Math.abs(cloudsim.power(c.u) - (c.w_cloudsim as number))).toBeLessThanOrEqual(s.tolerance);
        expect(Math.abs(aware.power(c.u) - (c.w_idle_aware as number))).toBeLessThanOrEqual(s.tolerance);
      }
    });
  }
});

describe('ENERGY-TRAPEZOID-1', () => {
  const s = load<{ model: { max_w: number; static_pct: number }; cases: { u_from: number; u_to: number; dt_s: number; p_from_w?: number; p_to_w?: number; energy_j: number }[]; tolerance: number }>('ENERGY-TRAPEZOID-1');
  const model = curveModel('linear', s.model.static_pct * s.model.max_w, s.model.max_w, true);
  for (const c of s.cases) {
    it(`u ${c.u_from} → ${c.u_to} over ${c.dt_s} s gives ${c.energy_j} J`, () => {
      if (c.p_from_w !== undefined) expect(model.power(c.u_from)).toBeCloseTo(c.p_from_w, 9);
      if (c.p_to_w !== undefined) expect(model.power(c.u_to)).toBeCloseTo(c.p_to_w, 9);
      expect(Math.abs(trapezoidEnergy(model, c.u_from, c.u_to, c.dt_s) - c.energy_j)).toBeLessThanOrEqual(s.tolerance);
    });
  }
});

describe('RAPL-CAP-WATTS-1', () => {
  const s = load<{ cases: { max_power_uw: number; pct: number; limit_uw: number }[] }>('RAPL-CAP-WATTS-1');
  for (const c of s.cases) it(`${c.pct} % of ${c.max_power_uw} µW`, () => expect(raplLimitUw(c.max_power_uw, c.pct)).toBe(c.limit_uw));
});

interface ScenarioTask {
  readonly name: string;
  readonly cpu: number;
  readonly ram: number;
  readonly watts: number;
  readonly class_to_watts?: Record<string, number>;
  readonly inst: number;
}
interface Instance {
  readonly name: string;
  readonly entry: ScenarioTask;
}

/** Elektron's queue for scenario tasks: entry i holds inst instances named `<name>-<inst>` … `<name>-1`. */
function queueOf(tasks: readonly ScenarioTask[]): Entry<Instance>[] {
  return tasks.map((t, order) => ({ watts: t.watts, order, head: 0, tasks: Array.from({ length: t.inst }, (_, i) => ({ name: `${t.name}-${t.inst - i}`, entry: t })) }));
}

/** An Elektron offer: running totals of cpu, ram and watts (watts fit-tested when `waar`). */
function offerOf(o: Offer_, waar: boolean, classMap: boolean, took: string[]): Offer<Instance> {
  let cpu = 0;
  let ram = 0;
  let watts = 0;
  const wattsOf = (t: ScenarioTask): number => (classMap && t.class_to_watts !== undefined ? (t.class_to_watts[o.class ?? ''] ?? 0) : t.watts);
  return {
    fits: (i) => o.cpu >= cpu + i.entry.cpu && o.mem >= ram + i.entry.ram && (!waar || o.watts >= watts + wattsOf(i.entry)),
    take: (i) => {
      cpu += i.entry.cpu;
      ram += i.entry.ram;
      watts += wattsOf(i.entry);
      took.push(i.name);
    },
  };
}

const PACKERS: Record<string, { packer: OfferPacker; sorted: boolean }> = {
  'first-fit': { packer: firstFitPacker, sorted: false },
  'bin-packing': { packer: binPackingPacker, sorted: true },
  'max-min': { packer: maxMinPacker, sorted: true },
  'max-greedymins': { packer: maxGreedyMinsPacker, sorted: true },
};

function runOffers(policy: string, tasks: readonly ScenarioTask[], offers: readonly Offer_[], faithful: boolean, classMap = false): Placements {
  const { packer, sorted } = PACKERS[policy] as { packer: OfferPacker; sorted: boolean };
  const queue = queueOf(tasks);
  if (sorted) queue.sort(byWatts);
  const out: Placements = {};
  for (const o of offers) {
    const took: string[] = [];
    packer(queue, offerOf(o, true, classMap, took), { faithful, limit: Infinity });
    out[o.host ?? o.class ?? ''] = took;
  }
  const pending: Record<string, number> = {};
  for (const e of queue) if (e.tasks.length > e.head) pending[(e.tasks[0] as Instance).entry.name] = e.tasks.length - e.head;
  out['pending'] = pending;
  return out;
}

describe('ELEKTRON-POLICIES-1', () => {
  const s = load<{ tasks: ScenarioTask[]; offers: Offer_[]; expected: Record<string, Placements> }>('ELEKTRON-POLICIES-1');
  for (const [policy, expected] of Object.entries(s.expected)) {
    for (const faithful of [true, false]) {
      it(`${policy} (${faithful ? 'faithful' : 'intended'})`, () => expect(runOffers(policy, s.tasks, s.offers, faithful)).toEqual(expected));
    }
  }
});

describe('ELEKTRON-BP-SKIP-1', () => {
  const s = load<{ tasks: ScenarioTask[]; offers: Offer_[]; expected: Record<string, Record<string, Placements>> }>('ELEKTRON-BP-SKIP-1');
  it('bin-packing faithful skips the entry after an exhausted one; intended does not', () => {
    expect(runOffers('bin-packing', s.tasks, s.offers, true)).toEqual(s.expected['bin-packing']?.['faithful']);
    expect(runOffers('bin-packing', s.tasks, s.offers, false)).toEqual(s.expected['bin-packing']?.['intended']);
  });
  it('max-min', () => {
    expect(runOffers('max-min', s.tasks, s.offers, true)).toEqual(s.expected['max-min']);
    expect(runOffers('max-min', s.tasks, s.offers, false)).toEqual(s.expected['max-min']);
  });
  it('max-greedymins, faithful and intended', () => {
    expect(runOffers('max-greedymins', s.tasks, s.offers, true)).toEqual(s.expected['max-greedymins']?.['faithful_and_intended']);
    expect(runOffers('max-greedymins', s.tasks, s.offers, false)).toEqual(s.expected['max-greedymins']?.['faithful_and_intended']);
  });
  it('first-fit', () => expect(runOffers('first-fit', s.tasks, s.offers, true)).toEqual(s.expected['first-fit']));
});

describe('ELEKTRON-CLASSMAP-1', () => {
  const s = load<{ task: ScenarioTask; policy: string; cases: { classMapWatts: boolean; offer: Offer_ & { class: string }; placed: number }[] }>('ELEKTRON-CLASSMAP-1');
  for (const c of s.cases) {
    it(`class ${c.offer.class}, classMapWatts ${c.classMapWatts}: ${c.placed} placed`, () => {
      const out = runOffers(s.policy, [s.task], [c.offer], true, c.classMapWatts);
      expect((out[c.offer.class] as string[]).length).toBe(c.placed);
    });
  }
});

describe('ELEKTRON-SWITCH-SELECT-1', () => {
  const s = load<{ config_docs: Record<string, number>; config_head_json: Record<string, number>; cases: { taskDist: number | 'single-cluster'; docs: string; head: string }[] }>('ELEKTRON-SWITCH-SELECT-1');
  const docs = switchTable(s.config_docs);
  const head = switchTable(s.config_head_json);
  for (const c of s.cases) {
    it(`taskDist ${c.taskDist}`, () => {
      const dist = c.taskDist === 'single-cluster' ? null : c.taskDist;
      expect(chooseByTaskDist(docs, dist)).toBe(c.docs);
      expect(chooseByTaskDist(head, dist)).toBe(c.head);
    });
  }
});

describe('EXTREMA-1', () => {
  const s = load<{ hi_w: number; lo_w: number; per_node_power_w_by_tick: Record<string, Record<string, number>>; expected: { t: number; cluster_mean: number; action: [string, string, number] | null }[] }>('EXTREMA-1');
  it('caps one node per tick above hi and uncaps LIFO below lo', () => {
    const rule = new ExtremaRule(s.hi_w, s.lo_w, 50);
    const window = new MeanWindow(5);
    const byTick = (t: number): Record<string, number> => s.per_node_power_w_by_tick[t <= 4 ? '1-4' : '5-11'] ?? {};
    for (const e of s.expected) {
      const nodes = Object.entries(byTick(e.t)).map(([id, watts]) => ({ id, watts }));
      window.push(nodes.reduce((sum, n) => sum + n.watts, 0));
      expect(window.mean).toBeCloseTo(e.cluster_mean, 9);
      const action = rule.tick(window.mean, nodes);
      expect(action === null ? null : [action.kind, action.id, action.pct]).toEqual(e.action);
    }
  });
});

describe('deterministic 2-means for switching', () => {
  it('splits at the least within-group sum of squares and finds one cluster when all values are equal', () => {
    expect(twoMeansSplit([20, 60])).toBe(1);
    expect(twoMeansSplit([1, 2, 3, 10, 11])).toBe(3);
    expect(twoMeansSplit([5, 5, 5])).toBe(0);
    expect(taskDistOf([{ feature: 20, instances: 3 }, { feature: 60, instances: 2 }])).toBe(1.5);
    expect(taskDistOf([{ feature: 7, instances: 4 }])).toBeNull();
  });
});
