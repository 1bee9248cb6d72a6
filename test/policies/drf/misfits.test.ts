// The drf order passing over tenants whose waiting tasks all fit nowhere: never a different decision.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../../policies/index.js';
import type { ClusterView, Policy } from '../../../src/policy.js';
import { arbMachineEvents, forgetful, throughView } from '../../helpers/misfit-fixtures.js';
import { arbScenario, clusterSpec, simulate, taskSpec } from '../../helpers/policy-fixtures.js';

/** `inner`, counting how often it reads the view's method `method` (once per call). */
function counting(inner: Policy, method: keyof ClusterView, counter: { calls: number }): Policy {
  return throughView(inner, (prop) => {
    if (prop === method) counter.calls++;
    return undefined;
  });
}

const arbRun = arbScenario(40).chain((s) => fc.record({ s: fc.constant(s), events: arbMachineEvents(s.spec.resources.names.length) }));

describe('drf: tenants left with misfits only are passed over until room they may use grows', () => {
  const variants: [string, string, Record<string, unknown>][] = [
    ['first-fit', 'drf+first-fit', {}],
    ['best-fit, paper tie-break', 'drf+best-fit', { tie_break: 'paper' }],
    ['worst-fit, weights', 'drf+worst-fit', { weights: { a: 2, 'a/x': 0.5 } }],
    ['fenzo indexed cpuBinPacker', 'drf+fenzo', { fitness: 'cpuBinPacker', mode: 'indexed' }],
    ['first-fit with quota (no passing over)', 'drf+first-fit', { quota: { a: { guarantees: { cpu: 20 } }, b: { limits: { cpu: 60 } } } }],
  ];
  for (const [label, name, options] of variants) {
    it(`${label}: same decisions and outcomes as offering every waiting task again, over generated runs with machine changes`, async () => {
      // every task a round offers is first checked with mayFit (so are tasks a tenant's cursor moves over)
      const remembered = { calls: 0 };
      const forgotten = { calls: 0 };
      await fc.assert(
        fc.asyncProperty(arbRun, async ({ s, events }) => {
          const run = (policy: Policy) => simulate(s.spec, s.tasks, policy, { chunkSize: s.chunkSize, machineEvents: events, maxAttempts: 2 });
          const remembering = await run(counting(resolvePolicy(name, options as never), 'mayFit', remembered));
          const forgetting = await run(counting(forgetful(resolvePolicy(name, options as never)), 'mayFit', forgotten));
          const show = (r: Awaited<ReturnType<typeof run>>) => ({ decisions: r.decisions, ended: r.ended.map((t) => `${t.id}#${t.attempt} ${t.state} ${t.machine} ${t.start}-${t.end}`) });
          expect(show(remembering)).toEqual(show(forgetting));
        }),
        { numRuns: 100 },
      );
      // the runs did pass tasks over (except with quota, where every round offers everything again)
      if (options['quota'] === undefined) expect(remembered.calls).toBeLessThan(forgotten.calls);
      else expect(remembered.calls).toBe(forgotten.calls);
    });
  }

  it('a hand-worked run: the waiting misfit is offered again only when room it can use comes back', async () => {
    // two machines of (10 cpu, 10 mem). At 0 s a0 (7, 3) takes m0, leaving (3, 7), and a1 (4, 8)
    // takes m1, leaving (6, 2); both run 10 s. b0 (5, 5) arrives at 0.5 s: each dimension has room
    // somewhere, no machine has both, so first-fit turns it down. a2 and a3 (1, 1) run on m0 over
    // 1–3 s and 4–5 s; when each ends, m0 is back at (3, 7), short of b0's 5 cpu, so b0 is not
    // offered again until 10 s, when a0 and a1 end and it starts on m0.
    const spec = clusterSpec(['cpu', 'mem'], [{ count: 2, capacity: [10, 10] }]);
    const tasks = [
      taskSpec({ submit: 0, duration: 10_000_000, demand: [7, 3], tenant: 'a' }, 'a0'),
      taskSpec({ submit: 0, duration: 10_000_000, demand: [4, 8], tenant: 'a' }, 'a1'),
      taskSpec({ submit: 500_000, duration: 10_000_000, demand: [5, 5], tenant: 'b' }, 'b0'),
      taskSpec({ submit: 1_000_000, duration: 2_000_000, demand: [1, 1], tenant: 'a' }, 'a2'),
      taskSpec({ submit: 4_000_000, duration: 1_000_000, demand: [1, 1], tenant: 'a' }, 'a3'),
    ];
    // first-fit searches the machines once per task offered to it
    const remembered = { calls: 0 };
    const forgotten = { calls: 0 };
    const r = await simulate(spec, tasks, counting(resolvePolicy('drf+first-fit'), 'firstFit', remembered));
    const f = await simulate(spec, tasks, counting(forgetful(resolvePolicy('drf+first-fit')), 'firstFit', forgotten));
    const placed = (ended: typeof r.ended) => Object.fromEntries(ended.map((t) => [t.id, `m${t.machine} ${t.start / 1e6}-${t.end / 1e6}`]));
    expect(placed(r.ended)).toEqual({ a0: 'm0 0-10', a1: 'm1 0-10', b0: 'm0 10-20', a2: 'm0 1-3', a3: 'm0 4-5' });
    expect(placed(f.ended)).toEqual(placed(r.ended));
    // offers: a0, a1, b0 at 0.5 s, a2, a3, b0 at 10 s; the forgetful run also offers b0 at 3 s and 5 s
    expect(remembered.calls).toBe(6);
    expect(forgotten.calls).toBe(8);
  });
});
