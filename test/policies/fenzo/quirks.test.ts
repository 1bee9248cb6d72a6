// fenzo's quirk options and scoring details, each on a small hand-worked case.
import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../../policies/index.js';
import { parseTaskConstraints } from '../../../src/model/constraints.js';
import { isInputError } from '../../../src/errors.js';
import { fenzoCluster, type HostJson } from '../../helpers/fenzo-scenario.js';
import { PolicyHarness, type TaskInput } from '../../helpers/policy-fixtures.js';

const host = (id: string, cpus: number, memMB = 100, attributes: Record<string, string> = {}): HostJson => ({ id, cpus, memMB, ports: [[1, 10]], attributes });

function harness(hosts: HostJson[], options: Record<string, unknown>, order = 'fifo'): PolicyHarness {
  return new PolicyHarness(fenzoCluster(hosts), resolvePolicy(`${order}+fenzo`, options));
}

function task(id: string, cpus: number, text = '', job = id): TaskInput {
  return { id, job, demand: [cpus, 1, 0, 0], ...parseTaskConstraints(text) };
}

const hostOf = (h: PolicyHarness, id: string) => h.cluster.ids[h.log.find((p) => p.id === id)?.machine ?? -1];

describe('fenzo scoring', () => {
  it('ties go to the smallest host name in code-unit order, not to the lowest slot', () => {
    const h = harness([host('host2', 4), host('host10', 4)], {});
    h.submit(task('t', 1));
    h.round();
    expect(hostOf(h, 't')).toBe('host10');
  });

  it('a soft constraint (weight 0.5) outweighs any bin-packing difference (weight 0.35)', () => {
    const h = harness([host('a', 4, 100, { zone: 'x' }), host('b', 1, 100, { zone: 'y' })], { fitness: 'cpuBinPacker' });
    // on b the packer scores 1.0 but the soft zone=x fails: 0.35 < 0.5 + 0.35 × 0.25 on a
    h.submit(task('t', 1, '~zone=x'));
    h.round();
    expect(hostOf(h, 't')).toBe('a');
  });

  it('weightedAverage: 0.5/0.5 over 0.5 and 1.0 is 0.75, and a zero component vetoes', () => {
    // cpuBinPacker 0.5 on a 2-cpu host with 1 cpu asked; default 1.0; the other host scores 1/4 → 0.625
    const h = harness([host('a', 2), host('b', 4)], { fitness: 'weightedAverage', fitnessWeights: { cpuBinPacker: 0.5, default: 0.5 } });
    h.submit(task('t', 1));
    h.round();
    expect(hostOf(h, 't')).toBe('a');
    const veto = harness([host('a', 1)], { fitness: 'weightedAverage', fitnessWeights: { cpuSpreader: 0.3, default: 0.7 } });
    veto.submit(task('full', 1));
    expect(veto.round()).toEqual([]);
  });

  it('goodEnough stops after the batch of 10 in which a score passed it', () => {
    const hosts = Array.from({ length: 12 }, (_, i) => host(`h${String(i).padStart(2, '0')}`, i === 11 ? 1 : 2));
    // scores: 0.5 + 0.35 × 0.5 = 0.675 on h00..h10, 0.85 on h11 (a full 1-cpu host)
    const never = harness(hosts, { fitness: 'cpuBinPacker' });
    never.submit(task('t', 1));
    never.round();
    expect(hostOf(never, 't')).toBe('h11');
    const early = harness(hosts, { fitness: 'cpuBinPacker', goodEnough: 0.6 });
    early.submit(task('t', 1));
    early.round();
    expect(hostOf(early, 't')).toBe('h00');
  });

  it('an unknown fitness name or weighted component is an input error', () => {
    for (const options of [{ fitness: 'cpuPacker' }, { fitness: 'weightedAverage', fitnessWeights: { nope: 1 } }, { fitness: 'weightedAverage', fitnessWeights: { default: 0.5 } }]) {
      let error: unknown;
      try {
        resolvePolicy('fifo+fenzo', options);
      } catch (e) {
        error = e;
      }
      expect(isInputError(error)).toBe(true);
    }
  });

  it('experiment-file constraints apply by tenant, "*" to the others', () => {
    const h = harness([host('a', 4, 100, { zone: 'x' }), host('b', 4, 100, { zone: 'y' })], { constraints: { web: 'zone=y', '*': 'HOSTNAME=a' } });
    h.submit({ ...task('w', 1), tenant: 'web' });
    h.submit({ ...task('o', 1), tenant: 'batch' });
    h.round();
    expect([hostOf(h, 'w'), hostOf(h, 'o')]).toEqual(['b', 'a']);
  });
});

describe('fenzo quirks', () => {
  it('exclusiveLocksInRound: Fenzo lets a later task of the same round join an exclusive task', () => {
    for (const [locks, expected] of [
      [false, 'a'],
      [true, 'b'],
    ] as const) {
      const h = harness([host('a', 4), host('b', 4)], { fitness: 'cpuBinPacker', exclusiveLocksInRound: locks });
      h.submit(task('x', 1, 'exclusive'));
      h.submit(task('y', 1));
      h.round();
      expect([hostOf(h, 'x'), hostOf(h, 'y')]).toEqual(['a', expected]);
    }
  });

  it('balancedSoft: after A:2, B:2, C:1 Fenzo scores A 0.6 and C 0.8; "average" scores A 0 and C 0.4', () => {
    // the 6th co-task may go to A (small host, packs 0.75) or C (big host, packs 0.25); B is excluded.
    // fenzo: A 0.5·0.6 + 0.35·0.75 = 0.5625 > C 0.5·0.8 + 0.35·0.25 = 0.4875; average: A 0.2625 < C 0.2875
    const zones = ['A', 'A', 'B', 'B', 'C'];
    for (const [balancedSoft, expected] of [
      ['fenzo', 'a'],
      ['average', 'c'],
    ] as const) {
      const h = harness([host('a', 4, 100, { zone: 'A' }), host('b', 4, 100, { zone: 'B' }), host('c', 8, 100, { zone: 'C' })], { fitness: 'cpuBinPacker', balancedSoft });
      zones.forEach((z, i) => {
        h.submit(task(`t${i}`, 1, `~balanced(zone:3);zone=${z}`, 'g'));
        h.round();
      });
      h.submit(task('last', 1, '~balanced(zone:3);zone!=B', 'g'));
      h.round();
      expect(hostOf(h, 'last')).toBe(expected);
    }
  });

  it('zeroDemandVeto: a zero-demand task cannot go to an idle host under a bin-packer unless turned off', () => {
    const veto = harness([host('a', 4)], { fitness: 'cpuBinPacker' });
    veto.submit({ id: 'z', demand: [0, 0, 0, 0] });
    expect(veto.round()).toEqual([]);
    const fixed = harness([host('a', 4)], { fitness: 'cpuBinPacker', zeroDemandVeto: false });
    fixed.submit({ id: 'z', demand: [0, 0, 0, 0] });
    expect(fixed.round()).toHaveLength(1);
  });

  it('spreaderFillVeto: a task that exactly fills a host cannot go there under a spreader unless turned off', () => {
    const veto = harness([host('a', 2)], { fitness: 'cpuSpreader' });
    veto.submit(task('fill', 2));
    expect(veto.round()).toEqual([]);
    const fixed = harness([host('a', 2)], { fitness: 'cpuSpreader', spreaderFillVeto: false });
    fixed.submit(task('fill', 2));
    expect(fixed.round()).toHaveLength(1);
  });

  it('zeroAllowanceFails: only the first task of an all-zero group is recorded as held back', async () => {
    const { fenzoRun } = await import('../../../policies/fenzo/run-state.js');
    for (const [quirk, held] of [
      [true, 1],
      [false, 3],
    ] as const) {
      const h = harness([host('a', 4)], { resAllocs: { zero: { cpu: 0, mem: 0 } }, zeroAllowanceFails: quirk }, 'fenzo-queue');
      for (let i = 0; i < 3; i++) h.submit({ ...task(`z${i}`, 1), tenant: 'zero' });
      expect(h.round()).toEqual([]);
      expect(fenzoRun(h.view).heldBack.size).toBe(held);
    }
  });
});

describe('fenzo in a simulation', () => {
  // X (exclusive, 10 s) at 0 locks the only machine; Y at 1 s waits until X stops at 10 s. The
  // placement learns of X stopping only if the composed policy passes stopped() on to it, whatever the queue.
  for (const order of ['fifo', 'fenzo-queue', 'fenzo-tiers']) {
    it(`${order}+fenzo: an exclusive task's lock ends when it stops`, async () => {
      const { simulate, taskSpec } = await import('../../helpers/policy-fixtures.js');
      const spec = fenzoCluster([host('a', 4)]);
      const tasks = [
        taskSpec({ id: 'X', demand: [1, 1, 0, 0], duration: 10_000_000, ...parseTaskConstraints('exclusive') }, 'X'),
        taskSpec({ id: 'Y', demand: [1, 1, 0, 0], submit: 1_000_000, duration: 1_000_000 }, 'Y'),
      ];
      const { ended } = await simulate(spec, tasks, resolvePolicy(`${order}+fenzo`, { mode: 'indexed' }));
      expect(ended.map((t) => [t.id, t.start])).toEqual([
        ['X', 0],
        ['Y', 10_000_000],
      ]);
    });
  }
});
