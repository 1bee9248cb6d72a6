// fenzo under the shared conformance suite with every calculator; hard constraints checked at every placement;
// the indexed mode against the exact one on generated inputs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../../policies/index.js';
import { FITNESS_NAMES } from '../../../policies/fenzo/fitness.js';
import { attributeValue, parseTaskConstraints, satisfies, type PlacementRule } from '../../../src/model/constraints.js';
import type { TaskSpec, TaskView } from '../../../src/model/task.js';
import type { ClusterView, Policy } from '../../../src/policy.js';
import { arbScenario, clusterSpec, PolicyHarness, simulate, type Scenario, wrapPolicy } from '../../helpers/policy-fixtures.js';
import { runPolicyConformance } from '../conformance.js';

const WEIGHTS = { cpuBinPacker: 0.25, memorySpreader: 0.75 };
const optionsFor = (fitness: string) => (fitness === 'weightedAverage' ? { fitness, fitnessWeights: WEIGHTS } : { fitness });

// spreaders veto a host the task would fill exactly (a Fenzo quirk the suite's full-machine service trips over)
const conformanceOptions = (fitness: string) => ({ ...optionsFor(fitness), ...(fitness.includes('Spreader') || fitness === 'weightedAverage' ? { spreaderFillVeto: false } : {}) });
for (const fitness of FITNESS_NAMES) runPolicyConformance(`fifo+fenzo (${fitness})`, () => resolvePolicy('fifo+fenzo', conformanceOptions(fitness)));
runPolicyConformance('fenzo-tiers+fenzo (indexed cpuBinPacker)', () => resolvePolicy('fenzo-tiers+fenzo', { fitness: 'cpuBinPacker', mode: 'indexed' }));

/** Constraint texts generated tasks carry, in the trace grammar. */
const RULE_TEXTS = ['', '', 'unique(zone)', 'unique', 'balanced(zone:2)', 'exclusive', '~exclusive', 'HOSTNAME=g0-0|g1-1', 'HOSTNAME!=g0-0', '~unique(zone);class=x', '~balanced(class:2);zone!=b', 'unique(class);~zone=a'];

function withRules(s: Scenario, picks: readonly number[]): TaskSpec[] {
  return s.tasks.map((t, i) => {
    const { constraints, rules } = parseTaskConstraints(RULE_TEXTS[(picks[i] ?? 0) % RULE_TEXTS.length] as string);
    return { ...t, job: `j${i % 3}`, constraints: [...t.constraints, ...constraints], rules };
  });
}

/**
 * Wraps a policy to check each placement against the task's hard constraints, from its own record
 * of where tasks run: attribute and host-name rules, unique and balanced over the job's running
 * tasks, exclusive (empty host), and the lock of hosts running a hard-exclusive task placed in an
 * earlier round.
 */
function checked(inner: Policy, violations: string[]): Policy {
  return wrapPolicy(inner, (ctx) => {
    const s = inner.create(ctx);
    const view: ClusterView = ctx.view;
    const where = new Map<TaskView, number>();
    const lockedSince = new Map<TaskView, number>();
    let round = 0;
    const hard = (t: TaskView): PlacementRule[] => (t.rules ?? []).filter((r) => !r.soft);
    const value = (m: number, attribute: string) => attributeValue(view.attributes(m), view.machineId(m), attribute);
    const check = (task: TaskView, m: number): string | undefined => {
      if (!satisfies(view.attributes(m), task.constraints)) return 'attribute constraint';
      for (const [other, at] of lockedSince) if (where.get(other) === m && at < round) return 'host locked by an exclusive task';
      const mates = [...where].filter(([t]) => t.job === task.job).map(([, on]) => on);
      for (const rule of hard(task)) {
        if (rule.kind === 'value') {
          const v = value(m, rule.attribute);
          if ((v !== undefined && rule.values.includes(v)) !== (rule.op === 'eq')) return `value ${rule.attribute}`;
        } else if (rule.kind === 'exclusive') {
          if ([...where.values()].includes(m)) return 'exclusive on a busy host';
        } else if (rule.kind === 'unique') {
          const v = value(m, rule.attribute);
          if (v === undefined || mates.some((on) => value(on, rule.attribute) === v || value(on, rule.attribute) === undefined)) return `unique ${rule.attribute}`;
        } else {
          const v = value(m, rule.attribute);
          if (v === undefined) return `balanced ${rule.attribute}: no value`;
          const counts = new Map<string, number>();
          for (const on of mates) counts.set(value(on, rule.attribute) ?? '', (counts.get(value(on, rule.attribute) ?? '') ?? 0) + 1);
          const here = counts.get(v) ?? 0;
          const max = Math.max(0, ...counts.values());
          const min = counts.size < rule.expected ? 0 : Math.min(...counts.values());
          if (here > 0 && !(min === max || here < max)) return `balanced ${rule.attribute}`;
        }
      }
      return undefined;
    };
    return {
      submitted: (t) => s.submitted(t),
      removed: (t) => s.removed(t),
      stopped(t) {
        where.delete(t);
        lockedSince.delete(t);
        s.stopped?.(t);
      },
      machineChanged: (m) => s.machineChanged?.(m),
      schedule(out) {
        round++;
        s.schedule({
          place(task, m) {
            const problem = check(task, m);
            if (problem !== undefined) violations.push(`${task.id} on ${view.machineId(m)}: ${problem}`);
            out.place(task, m);
            where.set(task, m);
            if (hard(task).some((r) => r.kind === 'exclusive')) lockedSince.set(task, round);
          },
        });
      },
    };
  });
}

describe('fenzo never violates a hard constraint', () => {
  for (const fitness of FITNESS_NAMES) {
    it(`${fitness}: every placement of generated runs with rules`, async () => {
      await fc.assert(
        fc.asyncProperty(arbScenario(30), fc.array(fc.nat(), { minLength: 30, maxLength: 30 }), async (s, picks) => {
          const violations: string[] = [];
          const policy = checked(resolvePolicy('fifo+fenzo', optionsFor(fitness)), violations);
          await simulate(s.spec, withRules(s, picks), policy, { chunkSize: s.chunkSize });
          expect(violations).toEqual([]);
        }),
        { numRuns: 25 },
      );
    });
  }
});

describe('the indexed mode decides as the exact mode', () => {
  const names = ['a', 'b', 'c', 'host2', 'host10', 'host1'];
  const calculators = ['default', 'cpuBinPacker', 'memoryBinPacker', 'networkBinPacker', 'cpuSpreader', 'memorySpreader', 'networkSpreader'];
  const arb = fc.record({
    groups: fc.array(fc.record({ count: fc.integer({ min: 1, max: 4 }), capacity: fc.array(fc.constantFrom(0, 8, 16, 32), { minLength: 3, maxLength: 3 }), name: fc.constantFrom(...names) }), { minLength: 1, maxLength: 4 }),
    steps: fc.array(
      fc.record({
        submit: fc.array(fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 3, maxLength: 3 }), { maxLength: 6 }),
        finish: fc.array(fc.nat(), { maxLength: 3 }),
        // a machine (by index) gains 8 in one dimension: indexes must follow capacities that change
        grow: fc.option(fc.record({ machine: fc.nat(), dim: fc.integer({ min: 0, max: 2 }) }), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 8 },
    ),
  });
  for (const fitness of calculators) {
    it(`${fitness}: same placements over generated rounds, finishes, capacity growth, host names and exclusive locks`, () => {
      fc.assert(
        fc.property(arb, ({ groups, steps }) => {
          const spec = clusterSpec(['cpu', 'mem', 'network'], groups.map((g, i) => ({ ...g, name: `${g.name}${i}` })));
          const runs = ['exact', 'indexed'].map((mode) => new PolicyHarness(spec, resolvePolicy('fifo+fenzo', { fitness, mode })));
          const logs = runs.map((h) => {
            let n = 0;
            for (const step of steps) {
              // every 7th task is exclusive: scored by the exact scan in both modes, its lock binds the index too
              for (const demand of step.submit) h.submit({ demand, ...(++n % 7 === 0 ? parseTaskConstraints('exclusive') : {}) });
              h.round();
              const running = [...h.running];
              for (const k of step.finish) {
                const task = running[k % Math.max(1, running.length)];
                if (task === undefined || task.state !== 'running') continue;
                h.finish(task);
                h.scheduler.stopped?.(task);
              }
              if (step.grow !== undefined) {
                const m = step.grow.machine % h.cluster.size;
                const capacity = Float64Array.from({ length: 3 }, (_, d) => h.view.capacity(m, d) + (d === step.grow?.dim ? 8 : 0));
                h.cluster.setCapacity(m, capacity);
                h.scheduler.machineChanged?.(m);
              }
            }
            return h.log.map((p) => `${p.id}@${p.machine}`);
          });
          expect(logs[1]).toEqual(logs[0]);
        }),
        { numRuns: 150 },
      );
    });
  }
});
