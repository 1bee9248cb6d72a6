// The Mesos allocator unit against the hierarchical allocator tests (S8, S9, S11, S12, S14): exact offers.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HierarchicalAllocator, shuffleWith, type Offer } from '../../../policies/drf/allocator.js';
import { randomStream } from '../../../src/random.js';

type Quantities = Readonly<Record<string, number>>;

interface Step {
  readonly op: string;
  readonly at?: number;
  readonly agent?: string;
  readonly framework?: string;
  readonly role?: string;
  readonly resources?: Quantities | 'all';
  readonly agents?: Readonly<Record<string, Quantities>>;
  readonly agentCount?: number;
  readonly used?: Readonly<Record<string, Quantities>>;
  readonly refuseSeconds?: number | null;
  readonly guarantees?: Quantities;
  readonly limits?: Quantities;
  readonly weight?: number;
  readonly offers?: readonly { framework: string; role: string; agent?: string; resources?: Quantities; oneWholeAgent?: Quantities }[];
  readonly times?: number;
  readonly body?: readonly Step[];
  readonly counts?: Readonly<Record<string, number>>;
}

interface AllocatorScenario {
  readonly id: string;
  readonly model: string;
  readonly config?: { allocationIntervalSec?: number };
  readonly agents: readonly { id: string; resources: Quantities }[];
  readonly tenants: readonly { id: string; role: string; quota?: { guarantees?: Quantities; limits?: Quantities } }[];
  readonly steps: readonly Step[];
}

/** Mesos' scalars have three decimals: quantities are kept in thousandths, as integers. */
const MILLI = 1000;

/** Plays an allocator scenario against a fresh allocator; returns the number of expectations checked. */
function play(file: string): number {
  const s = JSON.parse(readFileSync(new URL(`../../fixtures/drf/${file}`, import.meta.url), 'utf8')) as AllocatorScenario;
  const names = [...new Set(s.agents.flatMap((a) => Object.keys(a.resources)))].sort();
  const vector = (q: Quantities = {}, missing = 0) => Float64Array.from(names.map((n) => (n in q ? Math.round((q[n] as number) * MILLI) : missing)));
  const readable = (v: Float64Array): Quantities => Object.fromEntries(names.map((n, d) => [n, (v[d] as number) / MILLI] as const).filter(([, x]) => x !== 0));
  const same = (a: Quantities, b: Quantities | undefined) => b !== undefined && names.every((n) => (a[n] ?? 0) === (b[n] ?? 0));
  const interval = (s.config?.allocationIntervalSec ?? 1) * 1e6;
  const min = (name: string, q: number): [number, number][] => (names.includes(name) ? [[names.indexOf(name), q * MILLI]] : []);
  const allocator = new HierarchicalAllocator({
    dims: names.length,
    excluded: names.map(() => false),
    tieBreak: 'mesos',
    weights: new Map(),
    interval,
    minAllocatable: [min('cpus', 0.01), min('mem', 32)].filter((set) => set.length > 0),
  });
  for (const t of s.tenants) if (t.quota !== undefined) allocator.setQuota(t.role, { guarantees: vector(t.quota.guarantees), limits: vector(t.quota.limits, Infinity) });
  const shuffle = shuffleWith(randomStream(1, 'offers'));
  const slots = new Map(s.agents.map((a, i) => [a.id, i]));
  const added: number[] = [];
  const role = (fw: string) => (s.tenants.find((t) => t.id === fw) as { role: string }).role;
  const made: Offer[] = [];
  const outstanding = new Map<string, Float64Array>();
  const counts: Record<string, number> = {};
  let now = 0;
  let checked = 0;
  const run = (agents: readonly number[], batch: boolean) => {
    for (const offer of allocator.allocate(now, agents, batch, shuffle)) {
      made.push(offer);
      const key = `${offer.framework}@${offer.agent}`;
      const held = outstanding.get(key) ?? new Float64Array(names.length);
      outstanding.set(key, held.map((x, d) => x + (offer.resources[d] as number)));
    }
  };
  const take = (n: number, where: string): Offer[] => {
    expect(made.length, `${where}: offers made`).toBe(n);
    return made.splice(0, n);
  };
  const agentId = (slot: number) => (s.agents[slot] as { id: string }).id;
  const shown = (o: Offer) => ({ framework: o.framework, role: o.role, agent: agentId(o.agent), resources: readable(o.resources) });

  const steps = (list: readonly Step[], offeree: { current: string }) => {
    list.forEach((step, i) => {
      const where = `${s.id} step ${i} (${step.op})`;
      if (step.at !== undefined) now = step.at * 1e6;
      switch (step.op) {
        case 'addAgent': {
          const slot = slots.get(step.agent as string) as number;
          const spec = s.agents[slot] as { resources: Quantities };
          const used = new Map(Object.entries(step.used ?? {}).map(([fw, q]) => [fw, vector(q)] as const));
          allocator.addAgent(slot, vector(spec.resources), used);
          for (const [fw, q] of used) outstanding.set(`${fw}@${slot}`, q);
          added.push(slot);
          return run([slot], false);
        }
        case 'addFramework':
          allocator.addFramework(step.framework as string, role(step.framework as string));
          return run(added, false);
        case 'decline': {
          const fw = step.framework === '<offeree>' ? offeree.current : (step.framework as string);
          const slot = slots.get(step.agent as string) as number;
          const key = `${fw}@${slot}`;
          const held = outstanding.get(key);
          expect(held, `${where}: ${fw} holds an offer of ${step.agent}`).toBeDefined();
          outstanding.delete(key);
          const refuse = step.refuseSeconds === null || step.refuseSeconds === undefined ? null : step.refuseSeconds * 1e6;
          return allocator.recover(fw, slot, held as Float64Array, refuse, now);
        }
        case 'tick':
          if (step.at === undefined) now += interval;
          return run(added, true);
        case 'setQuota':
          return allocator.setQuota(step.role as string, { guarantees: vector(step.guarantees), limits: vector(step.limits, Infinity) });
        case 'setWeight':
          return allocator.setWeight(step.role as string, step.weight as number);
        case 'expectOffer': {
          checked++;
          if (step.agents !== undefined) {
            const got = take(Object.keys(step.agents).length, where).map(shown);
            const want = Object.entries(step.agents).map(([agent, q]) => ({ framework: step.framework, role: step.role, agent, resources: q }));
            return expect(got.sort((a, b) => a.agent.localeCompare(b.agent)), where).toEqual(want.sort((a, b) => a.agent.localeCompare(b.agent)));
          }
          const [got] = take(1, where).map(shown) as [ReturnType<typeof shown>];
          expect(got.framework, where).toBe(step.framework);
          if (step.role !== undefined) expect(got.role, where).toBe(step.role);
          if (step.agent !== undefined) expect(got.agent, where).toBe(step.agent);
          return expect(got.resources, where).toEqual(step.resources);
        }
        case 'expectNoOffer':
          checked++;
          return void take(0, where);
        case 'expectOffersUnordered': {
          checked++;
          const wanted = step.offers ?? [];
          const got = take(wanted.length, where).map(shown);
          const agentsUsed = new Set<string>();
          for (const w of wanted) {
            const i = got.findIndex((g) => g.framework === w.framework && g.role === w.role && (w.agent === undefined || g.agent === w.agent) && same(g.resources, w.resources ?? w.oneWholeAgent));
            expect(i, `${where}: an offer like ${JSON.stringify(w)} among ${JSON.stringify(got)}`).toBeGreaterThanOrEqual(0);
            const agent = (got.splice(i, 1)[0] as { agent: string }).agent;
            if (w.oneWholeAgent !== undefined) {
              expect(agentsUsed.has(agent), `${where}: one whole agent each`).toBe(false);
              agentsUsed.add(agent);
            }
          }
          return;
        }
        case 'expectOfferWholeAgent': {
          const [got] = take(1, where) as [Offer];
          expect(agentId(got.agent), where).toBe(step.agent);
          expect(readable(got.resources), where).toEqual((s.agents[got.agent] as { resources: Quantities }).resources);
          offeree.current = got.framework;
          counts[got.framework] = (counts[got.framework] ?? 0) + 1;
          return;
        }
        case 'repeat':
          for (let k = 0; k < (step.times as number); k++) steps(step.body ?? [], offeree);
          return;
        case 'expectOfferCounts':
          checked++;
          return expect(counts, where).toEqual(step.counts);
        default:
          throw new Error(`${where}: unknown op`);
      }
    });
  };
  steps(s.steps, { current: '' });
  return checked;
}

const files = readdirSync(new URL('../../fixtures/drf/', import.meta.url)).filter((f) => f.endsWith('.json')).sort();

describe('Mesos hierarchical allocator: reference scenarios', () => {
  const allocatorFiles = files.filter((f) => (JSON.parse(readFileSync(new URL(`../../fixtures/drf/${f}`, import.meta.url), 'utf8')) as { model: string }).model === 'allocator');

  it('covers every allocator scenario of the reference', () => {
    expect(allocatorFiles).toEqual(['S11a.json', 'S11b.json', 'S12a.json', 'S12b.json', 'S14a.json', 'S14b.json', 'S14c.json', 'S14d.json', 'S8.json', 'S9.json']);
  });

  it.each(allocatorFiles)('%s makes exactly the expected offers', (file) => {
    expect(play(file)).toBeGreaterThan(0);
  });
});

describe('Mesos hierarchical allocator: frameworks leaving', () => {
  it('a removed framework gets no offers, and its role leaves the role order with its last framework', () => {
    const allocator = new HierarchicalAllocator({ dims: 1, excluded: [false], tieBreak: 'mesos', weights: new Map(), interval: 1e6, minAllocatable: [] });
    const shuffle = shuffleWith(randomStream(1, 'offers'));
    allocator.addAgent(0, Float64Array.of(4));
    allocator.addFramework('f1', 'r1');
    allocator.addFramework('f2', 'r1');
    allocator.addFramework('g1', 'r2');
    expect(allocator.roles.sort()).toEqual(['r1', 'r2']);
    allocator.removeFramework('f1');
    allocator.removeFramework('g1');
    expect(allocator.roles.sort()).toEqual(['r1']);
    expect(allocator.allocate(0, [0], true, shuffle).map((o) => o.framework)).toEqual(['f2']);
  });
});
